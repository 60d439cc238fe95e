import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ValidationError } from '../errors';
import { show } from '../_internal/values';
import { COMPARE_OPTIONS_ANNOTATION, SYNC_OPTIONS_ANNOTATION } from './_annotations';

const CUSTOM_SYNC = Symbol.for('cdk8s-argocd.ResourceSyncOption.custom');
const CUSTOM_COMPARE = Symbol.for('cdk8s-argocd.CompareOption.custom');
const WRITTEN = Symbol.for('cdk8s-argocd.ResourceOptions.written');

/**
 * A resource-level sync option, written to the object's `argocd.argoproj.io/sync-options`
 * annotation (comma-separated). Application-wide options (`CreateNamespace=true`, ...) belong to
 * the Application's sync policy instead.
 */
export class ResourceSyncOption {
  /** `Prune=false`: never prune the object; the app shows OutOfSync when it should be. */
  public static readonly PRUNE_DISABLED = new ResourceSyncOption('Prune=false');
  /** `Prune=confirm`: prune the object only after a manual confirmation. */
  public static readonly PRUNE_CONFIRM = new ResourceSyncOption('Prune=confirm');
  /** `Delete=false`: keep the object in the cluster when the Application is deleted. */
  public static readonly DELETE_DISABLED = new ResourceSyncOption('Delete=false');
  /** `Delete=confirm`: delete the object with the Application only after a manual confirmation. */
  public static readonly DELETE_CONFIRM = new ResourceSyncOption('Delete=confirm');
  /** `Validate=false`: apply without `kubectl --validate` schema validation. */
  public static readonly SKIP_SCHEMA_VALIDATION = new ResourceSyncOption('Validate=false');
  /** `SkipDryRunOnMissingResource=true`: skip the dry run when the object's CRD is not installed yet. */
  public static readonly SKIP_DRY_RUN_ON_MISSING_RESOURCE = new ResourceSyncOption('SkipDryRunOnMissingResource=true');
  /** `PruneLast=true`: prune the object only after every other wave is applied and healthy. */
  public static readonly PRUNE_LAST = new ResourceSyncOption('PruneLast=true');
  /** `Replace=true`: use `kubectl replace`/`create` instead of `apply`. */
  public static readonly REPLACE = new ResourceSyncOption('Replace=true');
  /** `Force=true`: delete and re-create the object when it cannot be updated; Argo CD's docs combine it with `REPLACE`. */
  public static readonly FORCE = new ResourceSyncOption('Force=true');
  /** `ServerSideApply=true`: apply the object with server-side apply. */
  public static readonly SERVER_SIDE_APPLY = new ResourceSyncOption('ServerSideApply=true');
  /** `ServerSideApply=false`: apply the object client-side even when the Application uses server-side apply. */
  public static readonly SERVER_SIDE_APPLY_DISABLED = new ResourceSyncOption('ServerSideApply=false');

  /**
   * An option this library does not know yet, written as given. The manifest check accepts it in
   * the app it was applied in.
   *
   * @param value the option, `Name=value`
   */
  public static custom(value: string): ResourceSyncOption {
    if (typeof value !== 'string' || !/^[A-Za-z][A-Za-z0-9]*=[^,\s]+$/.test(value)) {
      throw new ValidationError(`sync option ${show(value)} is not of the form Name=value (no commas or spaces), for example 'Prune=false'`);
    }
    const option = new ResourceSyncOption(value);
    Object.defineProperty(option, CUSTOM_SYNC, { value: true });
    return option;
  }

  /**
   * Every option this library knows, as annotation values.
   */
  public static knownValues(): string[] {
    return KNOWN_SYNC.map((o) => o.value);
  }

  /**
   * The option as written in the annotation.
   */
  public readonly value: string;

  private constructor(value: string) {
    this.value = value;
  }
}

const KNOWN_SYNC = [
  ResourceSyncOption.PRUNE_DISABLED, ResourceSyncOption.PRUNE_CONFIRM,
  ResourceSyncOption.DELETE_DISABLED, ResourceSyncOption.DELETE_CONFIRM,
  ResourceSyncOption.SKIP_SCHEMA_VALIDATION, ResourceSyncOption.SKIP_DRY_RUN_ON_MISSING_RESOURCE,
  ResourceSyncOption.PRUNE_LAST, ResourceSyncOption.REPLACE, ResourceSyncOption.FORCE,
  ResourceSyncOption.SERVER_SIDE_APPLY, ResourceSyncOption.SERVER_SIDE_APPLY_DISABLED,
];

/**
 * A resource-level compare option, written to the object's `argocd.argoproj.io/compare-options`
 * annotation (comma-separated).
 */
export class CompareOption {
  /** `IgnoreExtraneous`: the object does not make the Application OutOfSync when it should be pruned. */
  public static readonly IGNORE_EXTRANEOUS = new CompareOption('IgnoreExtraneous');
  /** `ServerSideDiff=true`: diff the object with a server-side apply dry run. */
  public static readonly SERVER_SIDE_DIFF = new CompareOption('ServerSideDiff=true');
  /** `ServerSideDiff=false`: diff the object client-side even when server-side diff is on. */
  public static readonly SERVER_SIDE_DIFF_DISABLED = new CompareOption('ServerSideDiff=false');
  /** `IncludeMutationWebhook=true`: with server-side diff, keep changes made by mutating webhooks in the diff. */
  public static readonly INCLUDE_MUTATION_WEBHOOK = new CompareOption('IncludeMutationWebhook=true');

  /**
   * An option this library does not know yet, written as given. The manifest check accepts it in
   * the app it was applied in.
   *
   * @param value the option, `Name` or `Name=value`
   */
  public static custom(value: string): CompareOption {
    if (typeof value !== 'string' || !/^[A-Za-z][A-Za-z0-9]*(=[^,\s]+)?$/.test(value)) {
      throw new ValidationError(`compare option ${show(value)} is not of the form Name or Name=value (no commas or spaces), for example 'IgnoreExtraneous'`);
    }
    const option = new CompareOption(value);
    Object.defineProperty(option, CUSTOM_COMPARE, { value: true });
    return option;
  }

  /**
   * Every option this library knows, as annotation values.
   */
  public static knownValues(): string[] {
    return KNOWN_COMPARE.map((o) => o.value);
  }

  /**
   * The option as written in the annotation.
   */
  public readonly value: string;

  private constructor(value: string) {
    this.value = value;
  }
}

const KNOWN_COMPARE = [
  CompareOption.IGNORE_EXTRANEOUS, CompareOption.SERVER_SIDE_DIFF,
  CompareOption.SERVER_SIDE_DIFF_DISABLED, CompareOption.INCLUDE_MUTATION_WEBHOOK,
];

/**
 * Options for `ResourceOptions.applyTo`.
 */
export interface ResourceOptionsProps {
  /**
   * Resource-level sync options.
   *
   * @default - none added
   */
  readonly syncOptions?: ResourceSyncOption[];

  /**
   * Resource-level compare options.
   *
   * @default - none added
   */
  readonly compareOptions?: CompareOption[];
}

/**
 * Writes resource-level sync and compare options on an API object.
 *
 * @example
 * ResourceOptions.applyTo(crd, { syncOptions: [ResourceSyncOption.PRUNE_DISABLED, ResourceSyncOption.SERVER_SIDE_APPLY] });
 */
export class ResourceOptions {
  /**
   * Adds options to `construct`'s default API object (`ApiObject.of(construct)`). Calling it
   * again adds to the options written before; an option given twice is written once.
   *
   * @param construct the construct or API object
   * @param props the options
   * @throws ValidationError when two options contradict each other (`Prune=false` and `Prune=confirm`, ...)
   */
  public static applyTo(construct: IConstruct, props: ResourceOptionsProps): void {
    const obj = ApiObject.of(construct);
    const written = writtenOf(obj);
    for (const o of props.syncOptions ?? []) {
      if ((o as any)[CUSTOM_SYNC]) registerCustom(construct, 'sync', o.value);
      if (!written.sync.includes(o.value)) written.sync.push(o.value);
    }
    for (const o of props.compareOptions ?? []) {
      if ((o as any)[CUSTOM_COMPARE]) registerCustom(construct, 'compare', o.value);
      if (!written.compare.includes(o.value)) written.compare.push(o.value);
    }
    const clash = contradiction(written.sync) ?? contradiction(written.compare);
    if (clash) {
      throw new ValidationError(`options '${clash[0]}' and '${clash[1]}' contradict each other; keep one of them`, obj);
    }
    if (written.sync.length > 0) obj.metadata.addAnnotation(SYNC_OPTIONS_ANNOTATION, written.sync.join(','));
    if (written.compare.length > 0) obj.metadata.addAnnotation(COMPARE_OPTIONS_ANNOTATION, written.compare.join(','));
  }

  /**
   * The custom sync options (`ResourceSyncOption.custom`) applied in `scope`'s app.
   *
   * @internal
   */
  public static _customSyncOptions(scope: IConstruct): Set<string> {
    return customsOf(scope, 'sync');
  }

  /**
   * The custom compare options (`CompareOption.custom`) applied in `scope`'s app.
   *
   * @internal
   */
  public static _customCompareOptions(scope: IConstruct): Set<string> {
    return customsOf(scope, 'compare');
  }

  private constructor() {}
}

interface Written { sync: string[]; compare: string[] }

function writtenOf(obj: ApiObject): Written {
  let w = (obj as any)[WRITTEN] as Written | undefined;
  if (!w) {
    w = { sync: [], compare: [] };
    Object.defineProperty(obj, WRITTEN, { value: w, enumerable: false });
  }
  return w;
}

/** Two options with the same name and different values contradict each other. */
function contradiction(values: string[]): [string, string] | undefined {
  const seen = new Map<string, string>();
  for (const v of values) {
    const name = v.split('=')[0];
    const before = seen.get(name);
    if (before !== undefined && before !== v) return [before, v];
    seen.set(name, v);
  }
  return undefined;
}

const CUSTOMS = Symbol.for('cdk8s-argocd.ResourceOptions.customs');

function customsOf(scope: IConstruct, which: 'sync' | 'compare'): Set<string> {
  const root = scope.node.root as any;
  let all = root[CUSTOMS] as { sync: Set<string>; compare: Set<string> } | undefined;
  if (!all) {
    all = { sync: new Set(), compare: new Set() };
    Object.defineProperty(root, CUSTOMS, { value: all, enumerable: false });
  }
  return all[which];
}

function registerCustom(scope: IConstruct, which: 'sync' | 'compare', value: string): void {
  customsOf(scope, which).add(value);
}

