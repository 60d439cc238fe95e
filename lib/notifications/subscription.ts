import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { checkNonEmpty, fail } from '../_internal/values';

/** Options for `NotificationSubscription.of()`. */
export interface NotificationSubscriptionOptions {
  /** The trigger, e.g. `on-sync-succeeded`. */
  readonly trigger: string;

  /** The service, e.g. `slack` (or a webhook's name). */
  readonly service: string;

  /** The recipients, e.g. Slack channels; written separated by `;`. */
  readonly recipients: string[];
}

/**
 * A per-Application subscription: the annotation
 * `notifications.argoproj.io/subscribe.<trigger>.<service>: <recipient>;<recipient>`.
 *
 * @example
 * NotificationSubscription.of({ trigger: 'on-sync-failed', service: 'slack', recipients: ['api-team'] }).applyTo(app);
 */
export class NotificationSubscription {
  /** The annotation prefix. */
  public static readonly ANNOTATION_PREFIX = 'notifications.argoproj.io/subscribe';

  /**
   * A subscription.
   *
   * @param options the trigger, service and recipients
   */
  public static of(options: NotificationSubscriptionOptions): NotificationSubscription {
    for (const k of ['trigger', 'service'] as const) {
      if (typeof options[k] !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(options[k])) {
        fail(undefined, `subscription ${k}`, options[k], 'is not a valid name; use letters, digits, \'-\' and \'_\'');
      }
    }
    if (!options.recipients?.length) fail(undefined, 'subscription recipients', options.recipients, 'is empty; give at least one recipient');
    options.recipients.forEach((r, i) => {
      checkNonEmpty(undefined, `subscription recipients[${i}]`, r);
      if (r.includes(';')) fail(undefined, `subscription recipients[${i}]`, r, 'contains \';\', which separates recipients; give each recipient on its own');
    });
    return new NotificationSubscription(options.trigger, options.service, [...options.recipients]);
  }

  private constructor(
    /** The trigger. */
    public readonly trigger: string,
    /** The service. */
    public readonly service: string,
    /** The recipients. */
    public readonly recipients: string[],
  ) {}

  /** The annotation key. */
  public get annotationKey(): string {
    return `${NotificationSubscription.ANNOTATION_PREFIX}.${this.trigger}.${this.service}`;
  }

  /**
   * Writes the annotation on an Application (or any construct whose default child is an API
   * object); recipients already subscribed to the same trigger and service are kept.
   *
   * @param application the Application
   */
  public applyTo(application: IConstruct): void {
    const obj = ApiObject.of(application);
    const existing = obj.metadata.toJson().annotations?.[this.annotationKey];
    const all = existing ? String(existing).split(';').filter((r) => r !== '') : [];
    for (const r of this.recipients) if (!all.includes(r)) all.push(r);
    obj.metadata.addAnnotation(this.annotationKey, all.join(';'));
  }
}
