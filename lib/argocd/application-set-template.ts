import { IConstruct } from 'constructs';
import { ValidationError } from '../errors';
import { checkNamespace, checkObjectName, fail } from '../_internal/values';
import { SpecContext, checkNotTemplated, isTemplated } from './_context';
import { ApplicationSpecOptions, IgnoreDifference, _ApplicationSpecBuilder } from './application';
import { ApplicationSource } from './application-source';
import { Destination } from './destination';
import { IAppProject } from './project-ref';
import { SyncPolicy } from './sync-policy';
import { methodName } from '../_internal/method-name';

/**
 * The Application an ApplicationSet generates once per parameter set (`spec.template`).
 *
 * Every string may hold placeholders: `{{env}}` (fasttemplate, Argo CD's default) or
 * `{{ .env }}` (with `goTemplate: true`). Fields that are not strings in the CRD (booleans such
 * as `selfHeal`, numbers such as `revisionHistoryLimit`) cannot hold a placeholder; vary them per
 * Application with the ApplicationSet's `templatePatch`.
 */
export interface ApplicationSetTemplate extends ApplicationSpecOptions {
  /** The generated Application's name (`metadata.name`), e.g. `api-{{env}}`. */
  readonly name: string;

  /**
   * The generated Application's namespace. Argo CD writes the Applications into the
   * ApplicationSet's namespace whatever is set here.
   *
   * @default - not written
   */
  readonly namespace?: string;

  /**
   * Labels on the generated Applications.
   *
   * @default - none
   */
  readonly labels?: { [key: string]: string };

  /**
   * Annotations on the generated Applications.
   *
   * @default - none
   */
  readonly annotations?: { [key: string]: string };

  /**
   * Finalizers on the generated Applications, e.g. `resources-finalizer.argocd.argoproj.io`.
   *
   * @default - not written; Argo CD adds the resources finalizer unless the ApplicationSet's
   * syncPolicy sets preserveResourcesOnDeletion
   */
  readonly finalizers?: string[];

  /**
   * The project of every generated Application. Give `project` or `projectName`, not both.
   *
   * @default - `projectName`
   */
  readonly project?: IAppProject;

  /**
   * The project's name, when it comes from a placeholder (e.g. `{{team}}`) or is declared
   * elsewhere. Give `project` or `projectName`, not both.
   *
   * @default - `project`'s name
   */
  readonly projectName?: string;
}

/**
 * A generator's own template (`generators[].<kind>.template`): Argo CD merges it over the
 * ApplicationSet's template for that generator's Applications; fields left out keep the
 * ApplicationSet's values.
 */
export interface GeneratorTemplate {
  /**
   * The Application name.
   *
   * @default - the ApplicationSet template's
   */
  readonly name?: string;

  /**
   * The Application namespace.
   *
   * @default - the ApplicationSet template's
   */
  readonly namespace?: string;

  /**
   * Labels, merged over the ApplicationSet template's.
   *
   * @default - the ApplicationSet template's
   */
  readonly labels?: { [key: string]: string };

  /**
   * Annotations, merged over the ApplicationSet template's.
   *
   * @default - the ApplicationSet template's
   */
  readonly annotations?: { [key: string]: string };

  /**
   * Finalizers.
   *
   * @default - the ApplicationSet template's
   */
  readonly finalizers?: string[];

  /**
   * The project.
   *
   * @default - the ApplicationSet template's
   */
  readonly project?: IAppProject;

  /**
   * The project's name, may hold placeholders.
   *
   * @default - the ApplicationSet template's
   */
  readonly projectName?: string;

  /**
   * The source.
   *
   * @default - the ApplicationSet template's
   */
  readonly source?: ApplicationSource;

  /**
   * Several sources.
   *
   * @default - the ApplicationSet template's
   */
  readonly sources?: ApplicationSource[];

  /**
   * The destination.
   *
   * @default - the ApplicationSet template's
   */
  readonly destination?: Destination;

  /**
   * The sync policy.
   *
   * @default - the ApplicationSet template's
   */
  readonly syncPolicy?: SyncPolicy;

  /**
   * Differences to ignore.
   *
   * @default - the ApplicationSet template's
   */
  readonly ignoreDifferences?: IgnoreDifference[];

  /**
   * Extra information for the UI.
   *
   * @default - the ApplicationSet template's
   */
  readonly info?: { [name: string]: string };

  /**
   * How many past syncs to keep.
   *
   * @default - the ApplicationSet template's
   */
  readonly revisionHistoryLimit?: number;
}

/** Runs `fn`, rewriting `spec.` field paths in its ValidationError to start with `prefix`. */
function withFieldPrefix<T>(scope: IConstruct, prefix: string, fn: () => T): T {
  try {
    return fn();
  } catch (e: any) {
    if (!ValidationError.isValidationError(e)) throw e;
    const head = `[${scope.node.path}] `;
    const body = e.message.startsWith(head) ? e.message.slice(head.length) : e.message;
    throw new ValidationError(body.startsWith('spec.') ? `${prefix}${body}` : body, scope);
  }
}

function projectOf(scope: IConstruct, field: string, project: IAppProject | undefined, projectName: string | undefined): string | undefined {
  if (project !== undefined && projectName !== undefined) {
    fail(scope, field, projectName, 'is set together with project; give project or projectName, not both');
  }
  if (project !== undefined) {
    if (typeof project.projectName !== 'string') {
      fail(scope, field, project, `is not an IAppProject; pass an AppProject or ${methodName('AppProject.fromProjectName')}, or use projectName`);
    }
    return project.projectName;
  }
  if (projectName !== undefined && typeof projectName !== 'string') fail(scope, field, projectName, 'is not a string');
  return projectName;
}

function renderMetadata(scope: IConstruct, prefix: string, t: GeneratorTemplate): any {
  const meta: any = {};
  if (t.name !== undefined) {
    if (!isTemplated(t.name)) checkObjectName(scope, `${prefix}metadata.name`, t.name);
    meta.name = t.name;
  }
  if (t.namespace !== undefined) {
    if (!isTemplated(t.namespace)) checkNamespace(scope, `${prefix}metadata.namespace`, t.namespace);
    meta.namespace = t.namespace;
  }
  if (t.labels && Object.keys(t.labels).length) meta.labels = { ...t.labels };
  if (t.annotations && Object.keys(t.annotations).length) meta.annotations = { ...t.annotations };
  if (t.finalizers?.length) meta.finalizers = [...t.finalizers];
  return meta;
}

/** A rendered ApplicationSet template, and the builder that can still take sources. @internal */
export interface _RenderedTemplate {
  readonly builder: _ApplicationSpecBuilder;
  render(): any;
}

/** Checks and renders the ApplicationSet's `spec.template`. @internal */
export function _bindTemplate(scope: IConstruct, t: ApplicationSetTemplate): _RenderedTemplate {
  const prefix = 'spec.template.';
  if (!t || typeof t.name !== 'string') fail(scope, `${prefix}metadata.name`, t?.name, 'is missing; give the template a name, e.g. \'{{name}}-app\'');
  const project = projectOf(scope, `${prefix}spec.project`, t.project, t.projectName);
  if (project === undefined) {
    fail(scope, `${prefix}spec.project`, undefined, `is missing; give project (an AppProject or ${methodName('AppProject.fromProjectName')}) or projectName (may hold a placeholder)`);
  }
  const ctx: SpecContext = { scope, templated: true };
  const metadata = renderMetadata(scope, prefix, t);
  checkNotTemplated(ctx, `${prefix}spec.revisionHistoryLimit`, t.revisionHistoryLimit);
  const builder = withFieldPrefix(scope, 'spec.template.', () => new _ApplicationSpecBuilder(ctx, t));
  return {
    builder,
    render: () => {
      const spec = withFieldPrefix<any>(scope, 'spec.template.', () => builder.render());
      return { metadata, spec: { project, ...spec } };
    },
  };
}

const NO_DESTINATION = Destination.server('https://placeholder.invalid');

/** Checks and renders a generator's template override. @internal */
export function _renderGeneratorTemplate(scope: IConstruct, field: string, t: GeneratorTemplate): any {
  const prefix = `${field}.template.`;
  const project = projectOf(scope, `${prefix}spec.project`, t.project, t.projectName);
  const ctx: SpecContext = { scope, templated: true };
  const metadata = renderMetadata(scope, prefix, t);
  checkNotTemplated(ctx, `${prefix}spec.revisionHistoryLimit`, t.revisionHistoryLimit);
  const spec: any = withFieldPrefix<any>(scope, prefix, () => new _ApplicationSpecBuilder(ctx, {
    ...t, destination: t.destination ?? NO_DESTINATION,
  }).render());
  // the CRD requires spec.project and spec.destination; empty values do not override the
  // ApplicationSet's template when Argo CD merges (mergo)
  return { metadata, spec: { ...spec, project: project ?? '', destination: t.destination ? t.destination._toKube() : {} } };
}
