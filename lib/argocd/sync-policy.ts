import { Duration } from 'cdk8s';
import { renderGoDuration } from '../_internal/go-duration';
import { checkInteger, fail, show } from '../_internal/values';
import { SpecContext } from './_context';

/**
 * An Application-level sync option (`spec.syncPolicy.syncOptions`), Argo CD's full list.
 *
 * @see https://argo-cd.readthedocs.io/en/stable/user-guide/sync-options/
 */
export class SyncOption {
  /** `CreateNamespace=true`: create the destination namespace when it is missing. */
  public static readonly CREATE_NAMESPACE = new SyncOption('CreateNamespace=true');
  /** `PrunePropagationPolicy=foreground`: prune with foreground cascading deletion. */
  public static readonly PRUNE_PROPAGATION_FOREGROUND = new SyncOption('PrunePropagationPolicy=foreground');
  /** `PrunePropagationPolicy=background`: prune with background cascading deletion. */
  public static readonly PRUNE_PROPAGATION_BACKGROUND = new SyncOption('PrunePropagationPolicy=background');
  /** `PrunePropagationPolicy=orphan`: prune without deleting dependents. */
  public static readonly PRUNE_PROPAGATION_ORPHAN = new SyncOption('PrunePropagationPolicy=orphan');
  /** `PruneLast=true`: prune after every other object is synced and healthy. */
  public static readonly PRUNE_LAST = new SyncOption('PruneLast=true');
  /** `ApplyOutOfSyncOnly=true`: apply only the objects that are out of sync. */
  public static readonly APPLY_OUT_OF_SYNC_ONLY = new SyncOption('ApplyOutOfSyncOnly=true');
  /** `ServerSideApply=true`: apply with Kubernetes server-side apply. */
  public static readonly SERVER_SIDE_APPLY = new SyncOption('ServerSideApply=true');
  /** `Replace=true`: use `kubectl replace`/`create` instead of apply. */
  public static readonly REPLACE = new SyncOption('Replace=true');
  /** `Validate=false`: skip kubectl's schema validation. */
  public static readonly SKIP_SCHEMA_VALIDATION = new SyncOption('Validate=false');
  /** `SkipDryRunOnMissingResource=true`: skip the dry run for kinds whose CRD is not installed yet. */
  public static readonly SKIP_DRY_RUN_ON_MISSING_RESOURCE = new SyncOption('SkipDryRunOnMissingResource=true');
  /** `FailOnSharedResource=true`: fail the sync when an object is already managed by another Application. */
  public static readonly FAIL_ON_SHARED_RESOURCE = new SyncOption('FailOnSharedResource=true');
  /** `RespectIgnoreDifferences=true`: keep ignored fields as they are in the cluster when syncing. */
  public static readonly RESPECT_IGNORE_DIFFERENCES = new SyncOption('RespectIgnoreDifferences=true');
  /** `Prune=false`: never prune this Application's objects. */
  public static readonly PRUNE_DISABLED = new SyncOption('Prune=false');
  /** `Prune=confirm`: prune only after a manual confirmation. */
  public static readonly PRUNE_CONFIRM = new SyncOption('Prune=confirm');
  /** `Delete=false`: keep the objects when the Application is deleted. */
  public static readonly DELETE_DISABLED = new SyncOption('Delete=false');
  /** `Delete=confirm`: delete the objects only after a manual confirmation. */
  public static readonly DELETE_CONFIRM = new SyncOption('Delete=confirm');
  /** `ClientSideApplyMigration=false`: do not migrate client-side-applied fields under server-side apply. */
  public static readonly DISABLE_CLIENT_SIDE_APPLY_MIGRATION = new SyncOption('ClientSideApplyMigration=false');

  /**
   * Any other option, written as given. Must have the form `Key=value`.
   *
   * @param option e.g. `CreateNamespace=true`
   */
  public static custom(option: string): SyncOption {
    if (typeof option !== 'string' || !/^[A-Za-z][A-Za-z0-9]*=[^\s=]+$/.test(option)) {
      fail(undefined, 'syncOption', option, 'is not of the form Key=value (for example CreateNamespace=true)');
    }
    return new SyncOption(option);
  }

  private constructor(
    /** The option as written to the manifest. */
    public readonly value: string,
  ) {}

  /** The option's key, the part before `=`. */
  public get key(): string {
    return this.value.split('=')[0];
  }
}

/**
 * Automated sync (`spec.syncPolicy.automated`). Only the fields set are written.
 */
export interface AutomatedSync {
  /**
   * Delete objects that are no longer in Git.
   *
   * @default - not written; Argo CD does not prune
   */
  readonly prune?: boolean;

  /**
   * Revert changes made in the cluster to what Git says.
   *
   * @default - not written; Argo CD does not self-heal
   */
  readonly selfHeal?: boolean;

  /**
   * Allow a sync that would leave the Application with no objects.
   *
   * @default - not written; Argo CD refuses such a sync
   */
  readonly allowEmpty?: boolean;

  /**
   * Turn automated sync on or off while keeping its settings.
   *
   * @default - not written; automated sync is on when `automated` is present
   */
  readonly enabled?: boolean;
}

/**
 * Exponential backoff between sync retries.
 */
export interface RetryBackoff {
  /**
   * The first wait.
   *
   * @default - not written; Argo CD waits 5s
   */
  readonly duration?: Duration;

  /**
   * The factor each wait is multiplied by.
   *
   * @default - not written; Argo CD uses 2
   */
  readonly factor?: number;

  /**
   * The longest wait.
   *
   * @default - not written; Argo CD caps at 3m
   */
  readonly maxDuration?: Duration;
}

/**
 * How a failed sync is retried (`spec.syncPolicy.retry`).
 */
export interface RetryPolicy {
  /**
   * How many times to retry; a negative number retries without end.
   *
   * @default - not written; Argo CD does not retry
   */
  readonly limit?: number;

  /**
   * Backoff between retries.
   *
   * @default - not written; Argo CD's default backoff (5s, factor 2, at most 3m)
   */
  readonly backoff?: RetryBackoff;

  /**
   * Retry with the latest revision when a new one appears while retrying.
   *
   * @default - not written; retries keep the original revision
   */
  readonly refresh?: boolean;
}

/**
 * Labels and annotations Argo CD puts on the namespace it creates (`CreateNamespace=true`).
 */
export interface ManagedNamespaceMetadata {
  /**
   * Labels for the namespace.
   *
   * @default - none
   */
  readonly labels?: { [key: string]: string };

  /**
   * Annotations for the namespace.
   *
   * @default - none
   */
  readonly annotations?: { [key: string]: string };
}

/**
 * An Application's sync policy (`spec.syncPolicy`).
 */
export interface SyncPolicy {
  /**
   * Sync automatically when Git changes.
   *
   * @default - no automated sync; Argo CD waits for a manual sync
   */
  readonly automated?: AutomatedSync;

  /**
   * Sync options. More can be added with `Application.addSyncOption()`.
   *
   * @default - none
   */
  readonly syncOptions?: SyncOption[];

  /**
   * Retry failed syncs.
   *
   * @default - no retry
   */
  readonly retry?: RetryPolicy;

  /**
   * Metadata for the namespace Argo CD creates; needs `SyncOption.CREATE_NAMESPACE`.
   *
   * @default - none
   */
  readonly managedNamespaceMetadata?: ManagedNamespaceMetadata;
}

/** Adds `option` to `options`, refusing a second value for the same key. @internal */
export function addSyncOptionTo(ctx: SpecContext, options: SyncOption[], option: SyncOption, field: string): void {
  if (!(option instanceof SyncOption)) {
    fail(ctx.scope, field, option, 'is not a SyncOption; use SyncOption.CREATE_NAMESPACE, ... or SyncOption.custom()');
  }
  const same = options.find((o) => o.key === option.key);
  if (same && same.value === option.value) {
    fail(ctx.scope, field, option.value, 'is already set');
  }
  if (same) {
    fail(ctx.scope, field, option.value, `conflicts with ${show(same.value)}; keep one value for ${option.key}`);
  }
  options.push(option);
}

/** Renders and checks a sync policy; `options` is the live list of sync options. @internal */
export function renderSyncPolicy(ctx: SpecContext, policy: SyncPolicy | undefined, options: SyncOption[]): any {
  if (!policy && options.length === 0) return undefined;
  const out: any = {};
  const a = policy?.automated;
  if (a) {
    const automated: any = {};
    for (const key of ['prune', 'selfHeal', 'allowEmpty', 'enabled'] as const) {
      const v = a[key];
      if (v === undefined) continue;
      if (typeof v !== 'boolean') {
        fail(ctx.scope, `spec.syncPolicy.automated.${key}`, v, 'is not a boolean; to vary it per generated Application use templatePatch');
      }
      automated[key] = v;
    }
    out.automated = automated;
  }
  if (options.length > 0) out.syncOptions = options.map((o) => o.value);
  const r = policy?.retry;
  if (r) {
    const retry: any = {};
    if (r.limit !== undefined) {
      checkInteger(ctx.scope, 'spec.syncPolicy.retry.limit', r.limit);
      retry.limit = r.limit;
    }
    if (r.refresh !== undefined) retry.refresh = r.refresh;
    if (r.backoff) {
      const b: any = {};
      if (r.backoff.duration) b.duration = goDuration(ctx, 'spec.syncPolicy.retry.backoff.duration', r.backoff.duration);
      if (r.backoff.factor !== undefined) {
        checkInteger(ctx.scope, 'spec.syncPolicy.retry.backoff.factor', r.backoff.factor, 1);
        b.factor = r.backoff.factor;
      }
      if (r.backoff.maxDuration) b.maxDuration = goDuration(ctx, 'spec.syncPolicy.retry.backoff.maxDuration', r.backoff.maxDuration);
      if (r.backoff.duration && r.backoff.maxDuration && r.backoff.duration.toMilliseconds() > r.backoff.maxDuration.toMilliseconds()) {
        fail(ctx.scope, 'spec.syncPolicy.retry.backoff.duration', b.duration, `is longer than maxDuration ${show(b.maxDuration)}; make maxDuration at least the first wait`);
      }
      retry.backoff = b;
    }
    out.retry = retry;
  }
  const m = policy?.managedNamespaceMetadata;
  if (m) {
    if (!options.some((o) => o.value === SyncOption.CREATE_NAMESPACE.value)) {
      fail(ctx.scope, 'spec.syncPolicy.managedNamespaceMetadata', m, 'has no effect without SyncOption.CREATE_NAMESPACE; add that option or remove the metadata');
    }
    out.managedNamespaceMetadata = { ...(m.labels ? { labels: { ...m.labels } } : {}), ...(m.annotations ? { annotations: { ...m.annotations } } : {}) };
  }
  return out;
}

function goDuration(ctx: SpecContext, field: string, d: Duration): string {
  return renderGoDuration(d, field, ctx.scope);
}
