import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import type { ApplicationSetSpec } from '../../imports/applicationset-argoproj.io';
import { ValidationError } from '../errors';
import { checkInteger, checkNamespace, checkNonEmpty, checkObjectName, fail, isDnsSubdomain, show } from '../_internal/values';
import { ApplicationSource } from './application-source';
import { ApplicationSetTemplate, _RenderedTemplate, _bindTemplate } from './application-set-template';
import { ApplicationSetGenerator } from './generators/generator';
import { toWire } from './generators/_params';
import { missingPlaceholderProblems, stringsOf } from './generators/_placeholders';
import { _allConstructs, _memo, _renderOnce } from '../_internal/synthesis';
import { _Expansion, _expansionKey } from './_expansion';
// the project check also judges the Applications an ApplicationSet generates
import './project-check';
import { ApplicationSetPreview, PreviewWorld } from './preview/application-set-preview';
import { SECRET_TYPE_LABEL } from './preview/_generators';
import { methodName } from '../_internal/method-name';
import { lazy } from '../_internal/lazy';

// the ApplicationSet binding is 2 MB of generated JavaScript (about 24 ms to load): required by
// the first ApplicationSet
// eslint-disable-next-line @typescript-eslint/no-require-imports
const applicationSetBinding = lazy(() => require('../../imports/applicationset-argoproj.io') as typeof import('../../imports/applicationset-argoproj.io'));

const APPLICATION_SET = Symbol.for('cdk8s-argocd.ApplicationSet');

/**
 * An option for Go templates (`spec.goTemplateOptions`).
 */
export class GoTemplateOption {
  /**
   * `missingkey=error`: a template that reads a parameter the set does not have fails, instead
   * of printing `<no value>`. Recommended; the default when `goTemplate` is on.
   */
  public static readonly MISSING_KEY_ERROR = new GoTemplateOption('missingkey=error');

  /** `missingkey=zero`: a missing parameter prints its zero value. */
  public static readonly MISSING_KEY_ZERO = new GoTemplateOption('missingkey=zero');

  /** `missingkey=default`: a missing parameter prints `<no value>` (Go's default). */
  public static readonly MISSING_KEY_DEFAULT = new GoTemplateOption('missingkey=default');

  /**
   * Any other option, written as given.
   *
   * @param option the option, e.g. `missingkey=invalid`
   */
  public static custom(option: string): GoTemplateOption {
    checkNonEmpty(undefined, 'spec.goTemplateOptions', option);
    return new GoTemplateOption(option);
  }

  private constructor(
    /** The option as written to the manifest. */
    public readonly value: string,
  ) {}
}

/**
 * What the ApplicationSet controller may do to the Applications it generates
 * (`spec.syncPolicy.applicationsSync`).
 */
export enum ApplicationsSyncPolicy {
  /** Create Applications; never update or delete them. */
  CREATE_ONLY = 'create-only',
  /** Create and update Applications; never delete them. */
  CREATE_UPDATE = 'create-update',
  /** Create and delete Applications; never update them. */
  CREATE_DELETE = 'create-delete',
  /** Create, update and delete Applications (Argo CD's default). */
  SYNC = 'sync',
}

/**
 * The ApplicationSet's own sync policy (`spec.syncPolicy`).
 */
export interface ApplicationSetSyncPolicy {
  /**
   * Keep the deployed objects when an Application is deleted (Argo CD then adds no resources
   * finalizer to the generated Applications).
   *
   * @default - not written; deleting a generated Application deletes its objects
   */
  readonly preserveResourcesOnDeletion?: boolean;

  /**
   * What the controller may do to generated Applications.
   *
   * @default - not written; ApplicationsSyncPolicy.SYNC (unless the controller's policy overrides)
   */
  readonly applicationsSync?: ApplicationsSyncPolicy;
}

/**
 * The order in which Applications are deleted (`spec.strategy.deletionOrder`).
 */
export enum DeletionOrder {
  /** All at once (Argo CD's default). */
  ALL_AT_ONCE = 'AllAtOnce',
  /** In the reverse order of the rolling sync steps. */
  REVERSE = 'Reverse',
}

/**
 * The operator of a rolling sync step's match expression.
 */
export enum RollingSyncOperator {
  /** The label's value is one of the values. */
  IN = 'In',
  /** The label's value is none of the values. */
  NOT_IN = 'NotIn',
}

/**
 * A requirement over the generated Applications' labels.
 */
export interface RollingSyncMatchExpression {
  /** The label key, e.g. `env`. */
  readonly key: string;
  /** The operator. */
  readonly operator: RollingSyncOperator;
  /** The values. */
  readonly values: string[];
}

/**
 * How many Applications of a step may be updated at once.
 */
export class MaxUpdate {
  /**
   * At most `n` Applications; 0 updates none of this step's Applications.
   *
   * @param n a whole number, 0 or more
   */
  public static count(n: number): MaxUpdate {
    checkInteger(undefined, 'spec.strategy.rollingSync.steps[].maxUpdate', n, 0, 'int32'); // intstr.IntOrString holds an int32
    return new MaxUpdate(n);
  }

  /**
   * At most `p` percent of the step's Applications (rounded down, at least 1).
   *
   * @param p a whole number from 0 to 100
   */
  public static percent(p: number): MaxUpdate {
    checkInteger(undefined, 'spec.strategy.rollingSync.steps[].maxUpdate', p, 0);
    if (p > 100) fail(undefined, 'spec.strategy.rollingSync.steps[].maxUpdate', `${p}%`, 'is more than 100%; use 0 to 100');
    return new MaxUpdate(`${p}%`);
  }

  private constructor(
    /** The value as written: a number or a percentage string. */
    public readonly value: any,
  ) {}
}

/**
 * One step of a rolling sync.
 */
export interface RollingSyncStep {
  /** The Applications of this step, by label (every expression must hold). */
  readonly matchExpressions: RollingSyncMatchExpression[];

  /**
   * How many of them may update at once.
   *
   * @default - not written; all of them (100%)
   */
  readonly maxUpdate?: MaxUpdate;
}

/**
 * Options for `ApplicationSetStrategy.allAtOnce()`.
 */
export interface AllAtOnceOptions {
  /**
   * The deletion order.
   *
   * @default - not written; DeletionOrder.ALL_AT_ONCE
   */
  readonly deletionOrder?: DeletionOrder;
}

/**
 * Options for `ApplicationSetStrategy.rollingSync()`.
 */
export interface RollingSyncOptions {
  /** The steps, in order. */
  readonly steps: RollingSyncStep[];

  /**
   * The deletion order.
   *
   * @default - not written; DeletionOrder.ALL_AT_ONCE
   */
  readonly deletionOrder?: DeletionOrder;
}

/**
 * How the controller rolls changes out to the generated Applications (`spec.strategy`).
 */
export class ApplicationSetStrategy {
  /**
   * Every Application is updated at once.
   *
   * @param options deletion order
   */
  public static allAtOnce(options: AllAtOnceOptions = {}): ApplicationSetStrategy {
    return new ApplicationSetStrategy({ type: 'AllAtOnce', ...(options.deletionOrder ? { deletionOrder: options.deletionOrder } : {}) });
  }

  /**
   * Applications are updated in steps, selected by label; a step starts when the previous one is
   * healthy. Needs the progressive syncs feature enabled in the controller.
   *
   * @param options the steps and the deletion order
   */
  public static rollingSync(options: RollingSyncOptions): ApplicationSetStrategy {
    if (!Array.isArray(options.steps) || options.steps.length === 0) {
      fail(undefined, 'spec.strategy.rollingSync.steps', options.steps, 'is empty; give at least one step');
    }
    const steps = options.steps.map((s, i) => {
      const f = `spec.strategy.rollingSync.steps[${i}]`;
      const matchExpressions = (s.matchExpressions ?? []).map((e, j) => {
        if (e.operator !== RollingSyncOperator.IN && e.operator !== RollingSyncOperator.NOT_IN) {
          fail(undefined, `${f}.matchExpressions[${j}].operator`, e.operator, 'is not allowed; rolling sync steps support In and NotIn only (RollingSyncOperator)');
        }
        checkNonEmpty(undefined, `${f}.matchExpressions[${j}].key`, e.key);
        if (!e.values?.length) fail(undefined, `${f}.matchExpressions[${j}].values`, e.values ?? [], 'is empty; give at least one value');
        return { key: e.key, operator: e.operator, values: [...e.values] };
      });
      return { matchExpressions, ...(s.maxUpdate ? { maxUpdate: { value: s.maxUpdate.value } } : {}) /* the L1's IntOrString shape */ };
    });
    return new ApplicationSetStrategy({
      type: 'RollingSync',
      rollingSync: { steps },
      ...(options.deletionOrder ? { deletionOrder: options.deletionOrder } : {}),
    });
  }

  private constructor(private readonly json: any) {}

  /** @internal */
  public _toKube(): any {
    return JSON.parse(JSON.stringify(this.json));
  }
}

/**
 * Fields of generated Applications the controller leaves alone (`spec.ignoreApplicationDifferences[]`).
 */
export interface ApplicationSetIgnoreDifference {
  /**
   * Only the Application with this name.
   *
   * @default - every generated Application
   */
  readonly name?: string;

  /**
   * JSON pointers, e.g. `/spec/source/targetRevision`.
   *
   * @default - none
   */
  readonly jsonPointers?: string[];

  /**
   * jq path expressions, e.g. `.spec.source.helm.values`.
   *
   * @default - none
   */
  readonly jqPathExpressions?: string[];
}

/**
 * Labels and annotations on generated Applications that the controller keeps when set by others
 * (`spec.preservedFields`).
 */
export interface PreservedFields {
  /**
   * Annotation keys.
   *
   * @default - none
   */
  readonly annotations?: string[];

  /**
   * Label keys.
   *
   * @default - none
   */
  readonly labels?: string[];
}

/**
 * Props for `ApplicationSet`.
 */
export interface ApplicationSetProps {
  /**
   * The ApplicationSet's name.
   *
   * @default - the construct id
   */
  readonly name?: string;

  /**
   * The namespace the ApplicationSet (and the Applications it generates) lives in.
   *
   * @default 'argocd'
   */
  readonly namespace?: string;

  /**
   * Labels on the ApplicationSet object.
   *
   * @default - none
   */
  readonly labels?: { [key: string]: string };

  /**
   * Annotations on the ApplicationSet object.
   *
   * @default - none
   */
  readonly annotations?: { [key: string]: string };

  /**
   * The generators. More with `addGenerator()`; at least one is needed by synthesis.
   *
   * @default - none
   */
  readonly generators?: ApplicationSetGenerator[];

  /** The Application generated per parameter set. */
  readonly template: ApplicationSetTemplate;

  /**
   * Render the template with Go's text/template (`{{ .path.basename }}`) instead of fasttemplate
   * (`{{path.basename}}`). Go templates can compute values (`{{ if eq .env "dev" }}`), and with
   * `templatePatch` set non-string fields per Application.
   *
   * @default false (Argo CD's default; not written). Recommended for new ApplicationSets, with
   * the default `missingkey=error`.
   */
  readonly goTemplate?: boolean;

  /**
   * Go template options; only with `goTemplate`.
   *
   * @default - [GoTemplateOption.MISSING_KEY_ERROR] when goTemplate is true (written explicitly,
   * so that a typo fails instead of rendering `<no value>`); none otherwise. Pass `[]` to write none.
   */
  readonly goTemplateOptions?: GoTemplateOption[];

  /**
   * A template, rendered per parameter set to YAML and merged over the generated Application:
   * the way to set non-string fields (booleans such as `selfHeal`, numbers) per Application.
   * Needs `goTemplate`.
   *
   * @default - none
   */
  readonly templatePatch?: string;

  /**
   * The ApplicationSet's sync policy.
   *
   * @default - none; the controller creates, updates and deletes Applications
   */
  readonly syncPolicy?: ApplicationSetSyncPolicy;

  /**
   * How changes roll out.
   *
   * @default - not written; every Application is updated at once
   */
  readonly strategy?: ApplicationSetStrategy;

  /**
   * Fields of generated Applications the controller does not overwrite.
   *
   * @default - none
   */
  readonly ignoreApplicationDifferences?: ApplicationSetIgnoreDifference[];

  /**
   * Labels and annotations the controller keeps.
   *
   * @default - none
   */
  readonly preservedFields?: PreservedFields;
}

/**
 * An Argo CD ApplicationSet: generators produce parameter sets, and the template turns each into
 * an Application.
 *
 * At synthesis it checks that every placeholder of the template (and of `templatePatch` and the
 * generators' own templates) is a parameter the generators produce; where the generators' input is
 * known (list elements, cluster Secrets declared in the same app) it also expands the
 * ApplicationSet and checks the generated names.
 *
 * @example
 * new ApplicationSet(chart, 'api-all-envs', {
 *   generators: [ApplicationSetGenerator.list({ elements: [{ env: 'dev' }, { env: 'prod' }] })],
 *   template: {
 *     name: 'api-{{env}}',
 *     project,
 *     source: ApplicationSource.git({ repoUrl, targetRevision: 'main', path: 'apps/api/{{env}}' }),
 *     destination: Destination.clusterName('{{env}}', 'api'),
 *   },
 * });
 */
export class ApplicationSet extends Construct {
  /**
   * Whether `x` is an `ApplicationSet`, also across two copies of this library.
   *
   * @param x any value
   */
  public static isApplicationSet(x: any): boolean {
    return x !== null && typeof x === 'object' && APPLICATION_SET in x;
  }

  /** The ApplicationSet's name. */
  public readonly name: string;

  /** The namespace the ApplicationSet lives in. */
  public readonly namespace: string;

  /** Whether the template is a Go template. */
  public readonly goTemplate: boolean;

  /** The L1 object. */
  public readonly apiObject: ApiObject;

  private readonly _generators: ApplicationSetGenerator[] = [];
  private readonly template: _RenderedTemplate;
  private readonly props: ApplicationSetProps;
  private readonly goTemplateOptions: GoTemplateOption[];

  constructor(scope: Construct, id: string, props: ApplicationSetProps) {
    super(scope, id);
    Object.defineProperty(this, APPLICATION_SET, { value: true });
    this.props = props;
    this.name = props.name ?? id;
    checkObjectName(this, 'metadata.name', this.name);
    this.namespace = props.namespace ?? 'argocd';
    checkNamespace(this, 'metadata.namespace', this.namespace);
    this.goTemplate = props.goTemplate ?? false;
    if (!this.goTemplate && props.goTemplateOptions?.length) {
      fail(this, 'spec.goTemplateOptions', props.goTemplateOptions.map((o) => o.value), 'has no effect without goTemplate; set goTemplate: true or remove the options');
    }
    if (!this.goTemplate && props.templatePatch !== undefined) {
      fail(this, 'spec.templatePatch', props.templatePatch, 'needs goTemplate; set goTemplate: true (Argo CD renders templatePatch with Go templates only)');
    }
    if (props.templatePatch !== undefined) checkNonEmpty(this, 'spec.templatePatch', props.templatePatch);
    this.goTemplateOptions = this.goTemplate ? [...(props.goTemplateOptions ?? [GoTemplateOption.MISSING_KEY_ERROR])] : [];
    this.goTemplateOptions.forEach((o, i) => {
      if (!(o instanceof GoTemplateOption)) fail(this, `spec.goTemplateOptions[${i}]`, o, 'is not a GoTemplateOption; use GoTemplateOption.MISSING_KEY_ERROR or custom()');
    });
    if (props.syncPolicy?.applicationsSync !== undefined && !Object.values(ApplicationsSyncPolicy).includes(props.syncPolicy.applicationsSync)) {
      fail(this, 'spec.syncPolicy.applicationsSync', props.syncPolicy.applicationsSync, `is not allowed; use one of ${Object.values(ApplicationsSyncPolicy).join(', ')} (ApplicationsSyncPolicy)`);
    }
    (props.ignoreApplicationDifferences ?? []).forEach((d, i) => {
      (d.jsonPointers ?? []).forEach((p, j) => {
        if (typeof p !== 'string' || !p.startsWith('/')) {
          fail(this, `spec.ignoreApplicationDifferences[${i}].jsonPointers[${j}]`, p, 'is not a JSON pointer; it must start with \'/\', e.g. \'/spec/source/targetRevision\'');
        }
      });
      if (!d.jsonPointers?.length && !d.jqPathExpressions?.length) {
        fail(this, `spec.ignoreApplicationDifferences[${i}]`, d, 'ignores nothing; give jsonPointers or jqPathExpressions');
      }
    });
    this.template = _bindTemplate(this, props.template);
    for (const g of props.generators ?? []) this.addGenerator(g);

    this.apiObject = new (applicationSetBinding().ArgoApplicationSet)(this, 'Resource', {
      metadata: {
        name: this.name,
        namespace: this.namespace,
        ...(props.labels ? { labels: { ...props.labels } } : {}),
        ...(props.annotations ? { annotations: { ...props.annotations } } : {}),
      },
      spec: Lazy.any({ produce: () => this._toKube() }),
    });
    this.node.addValidation({ validate: () => this._validate() });
  }

  /**
   * Adds a generator.
   *
   * @param generator the generator
   */
  public addGenerator(generator: ApplicationSetGenerator): void {
    if (!(generator instanceof ApplicationSetGenerator)) {
      fail(this, `spec.generators[${this._generators.length}]`, generator, 'is not an ApplicationSetGenerator; use ApplicationSetGenerator.list(), .clusters(), .gitDirectories(), .matrix(), ...');
    }
    if (this._generators.includes(generator)) {
      fail(this, `spec.generators[${this._generators.length}]`, generator.toString(), 'is already added');
    }
    // bind now, so that one-value mistakes throw here
    generator._bind({ scope: this, goTemplate: this.goTemplate, field: `spec.generators[${this._generators.length}]` });
    this._generators.push(generator);
  }

  /**
   * Adds a source to the template. A template with more than one source is written with `spec.sources`.
   *
   * @param source the source
   */
  public addSource(source: ApplicationSource): void {
    this.template.builder.addSource(source);
  }

  /** The generators, in order. Returns a copy; use `addGenerator()` to add one. */
  public get generators(): ApplicationSetGenerator[] {
    return [...this._generators];
  }

  /**
   * The parameters the generators produce, as the template refers to them (fasttemplate keys such
   * as `path.basename`; Go field paths such as `.path.basename`). `*` patterns stand for any key.
   */
  public get parameters(): string[] {
    return this.bindAll().params.map((p) => (this.goTemplate && p !== '*' ? `.${p}` : p));
  }

  /**
   * The Applications this ApplicationSet generates, expanded offline with
   * `ApplicationSetPreview.expand()`.
   *
   * @param world what the generators read from outside
   * @default - cluster Secrets declared in the same app, nothing else
   */
  public preview(world?: PreviewWorld): any[] {
    try {
      return this.expand(world);
    } catch (e) {
      // the expansion's errors are Argo CD's, about the manifest; name the ApplicationSet
      if (ValidationError.isValidationError(e) && !(e as ValidationError).constructPath) {
        throw new ValidationError(`preview: Argo CD's ApplicationSet controller would fail: ${(e as Error).message}`, this);
      }
      throw e;
    }
  }

  /** The expansion, with the preview's own errors (Argo CD's wording, no construct path). */
  private expand(world?: PreviewWorld): any[] {
    const w: PreviewWorld = { ...(world ?? {}) };
    return ApplicationSetPreview.expand(this.manifest(), w.clusterSecrets ? w : { ...w, clusterSecrets: this.clusterSecretsInApp() });
  }

  /** @internal */
  public _toKube(): ApplicationSetSpec {
    const spec: any = {
      generators: this.bindAll().json,
      template: this.template.render(),
    };
    if (this.goTemplate) spec.goTemplate = true;
    if (this.goTemplateOptions.length) spec.goTemplateOptions = this.goTemplateOptions.map((o) => o.value);
    if (this.props.templatePatch !== undefined) spec.templatePatch = this.props.templatePatch;
    const sp = this.props.syncPolicy;
    if (sp && (sp.preserveResourcesOnDeletion !== undefined || sp.applicationsSync !== undefined)) {
      spec.syncPolicy = {
        ...(sp.applicationsSync !== undefined ? { applicationsSync: sp.applicationsSync } : {}),
        ...(sp.preserveResourcesOnDeletion !== undefined ? { preserveResourcesOnDeletion: sp.preserveResourcesOnDeletion } : {}),
      };
    }
    if (this.props.strategy) spec.strategy = this.props.strategy._toKube();
    if (this.props.ignoreApplicationDifferences?.length) {
      spec.ignoreApplicationDifferences = this.props.ignoreApplicationDifferences.map((d) => ({
        ...(d.name !== undefined ? { name: d.name } : {}),
        ...(d.jsonPointers?.length ? { jsonPointers: [...d.jsonPointers] } : {}),
        ...(d.jqPathExpressions?.length ? { jqPathExpressions: [...d.jqPathExpressions] } : {}),
      }));
    }
    const pf = this.props.preservedFields;
    if (pf && (pf.annotations?.length || pf.labels?.length)) {
      spec.preservedFields = {
        ...(pf.annotations?.length ? { annotations: [...pf.annotations] } : {}),
        ...(pf.labels?.length ? { labels: [...pf.labels] } : {}),
      };
    }
    return spec as ApplicationSetSpec;
  }

  private bindAll(): { json: any[]; params: string[]; problems: string[] } {
    const bound = this._generators.map((g, i) => g._bind({ scope: this, goTemplate: this.goTemplate, field: `spec.generators[${i}]` }));
    // each generator yields its own Applications: a placeholder must be produced by every one
    const params = bound.length === 0 ? [] : bound[0].params.filter((p) => bound.every((b) => b.params.includes(p) || b.params.includes('*')));
    const anyAll = bound.length > 0 && bound.every((b) => b.params.includes('*'));
    return {
      json: bound.map((b) => b.json),
      params: anyAll ? ['*'] : bound.length === 1 ? bound[0].params : params,
      problems: bound.flatMap((b) => b.problems),
      ...{ perGenerator: bound },
    } as any;
  }

  private manifest(): any {
    return _renderOnce(this.apiObject);
  }

  private _validate(): string[] {
    if (this._generators.length === 0) {
      return [`spec.generators is empty: an ApplicationSet needs at least one generator; pass generators or call ${methodName('addGenerator')}`];
    }
    const bound = this.bindAll() as any;
    const problems: string[] = [...bound.problems];
    const template = this.template.render();
    if (this.template.builder.sources.length === 0 && !this.template.builder.hydrated) {
      problems.push(`spec.template.spec.source is missing: the template needs at least one source; pass source, sources or sourceHydrator, or call ${methodName('addSource')}`);
    }
    const strings = stringsOf(toWire(template), 'spec.template');
    if (this.props.templatePatch !== undefined) strings.push({ field: 'spec.templatePatch', text: this.props.templatePatch });
    // a placeholder must be produced by every top-level generator (each yields its own Applications)
    bound.perGenerator.forEach((b: any, i: number) => {
      const who = this._generators.length === 1 ? 'the generators' : `spec.generators[${i}] (${this._generators[i].toString()})`;
      problems.push(...missingPlaceholderProblems(strings, b.params, this.goTemplate, who));
    });
    if (problems.length === 0) problems.push(...this.checkGeneratedNames());
    return problems;
  }

  /** Expands the ApplicationSet where every generator's input is known, and checks the names. */
  private checkGeneratedNames(): string[] {
    const known = this._generators.every((g) => inputKnown(g));
    if (!known) return [];
    const expansion = _memo(this, _expansionKey(this.apiObject.node.path), () => this.tryPreview());
    if (expansion.error !== undefined) {
      return [`spec.generators cannot be expanded: ${expansion.error}; fix the template or the generators' input`];
    }
    const apps = expansion.applications!;
    const problems: string[] = [];
    for (const a of apps) {
      const n = a.metadata?.name;
      if (typeof n !== 'string' || !isDnsSubdomain(n)) {
        problems.push(`spec.template.metadata.name generates ${show(n)}, which is not a valid Kubernetes name; use at most 253 lowercase letters, digits, '-' and '.', starting and ending with a letter or digit (e.g. normalize the parameter, or use nameNormalized)`);
      }
    }
    return problems;
  }

  private tryPreview(): _Expansion {
    try {
      return { applications: this.expand() };
    } catch (e: any) {
      return { error: String(e?.message ?? e) };
    }
  }

  private clusterSecretsInApp(): any[] {
    return _memo(this, 'cluster-secrets', () => this.findClusterSecrets());
  }

  private findClusterSecrets(): any[] {
    const candidates: any[] = [];
    for (const c of _allConstructs(this)) {
      if (!(c instanceof ApiObject)) continue;
      if (c.kind === 'Secret' && c.metadata.getLabel(SECRET_TYPE_LABEL) !== 'cluster') continue;
      if (c.kind !== 'Secret' && c.kind !== 'ExternalSecret') continue;
      candidates.push(_renderOnce(c));
    }
    return ApplicationSetPreview.clusterSecretsIn(candidates);
  }
}

/** Whether a generator's input is known at synth time (list elements, clusters declared in the app). */
function inputKnown(g: ApplicationSetGenerator): boolean {
  const children: ApplicationSetGenerator[] = (g as any).children ?? [];
  if (children.length) return children.every(inputKnown);
  if (g.kind === 'list') return (g as any).options.elementsYaml === undefined;
  return g.kind === 'clusters';
}
