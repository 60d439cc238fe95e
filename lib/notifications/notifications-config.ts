import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { ValidationError } from '../errors';
import { checkNamespace, checkNonEmpty, fail, show } from '../_internal/values';
import { dumpYaml } from '../_internal/yaml';
import { NotificationService } from './notification-service';
import { methodName } from '../_internal/method-name';

/** The Slack part of a template. */
export interface SlackTemplate {
  /**
   * Attachments, rendered as the JSON text Argo CD expects.
   *
   * @default - none
   */
  readonly attachments?: { [key: string]: any }[];

  /**
   * Block Kit blocks, rendered as JSON text.
   *
   * @default - none
   */
  readonly blocks?: { [key: string]: any }[];

  /**
   * Messages with the same key are grouped in a thread.
   *
   * @default - no grouping
   */
  readonly groupingKey?: string;

  /**
   * Also broadcast threaded messages to the channel.
   *
   * @default - not written
   */
  readonly notifyBroadcast?: boolean;
}

/** The email part of a template. */
export interface EmailTemplate {
  /** The subject (a Go template). */
  readonly subject: string;
}

/** The webhook part of a template, for one webhook service. */
export interface WebhookTemplate {
  /**
   * The HTTP method.
   *
   * @default - not written; GET
   */
  readonly method?: string;

  /**
   * The path appended to the webhook's URL (a Go template).
   *
   * @default - not written
   */
  readonly path?: string;

  /**
   * The request body (a Go template).
   *
   * @default - not written
   */
  readonly body?: string;
}

/** The Teams part of a template. */
export interface TeamsTemplate {
  /**
   * The card's title.
   *
   * @default - none
   */
  readonly title?: string;

  /**
   * The card's text (defaults to the template's message in Argo CD).
   *
   * @default - none
   */
  readonly text?: string;

  /**
   * The card's summary.
   *
   * @default - none
   */
  readonly summary?: string;

  /**
   * The card's theme color, e.g. `#18be52`.
   *
   * @default - none
   */
  readonly themeColor?: string;

  /**
   * Facts, rendered as JSON text.
   *
   * @default - none
   */
  readonly facts?: { [key: string]: any }[];
}

/** A notification template (`template.<name>`). */
export interface NotificationTemplateOptions {
  /**
   * The message text (a Go template), used by every service.
   *
   * @default - none; then a service-specific part is required
   */
  readonly message?: string;

  /**
   * Slack specifics.
   *
   * @default - none
   */
  readonly slack?: SlackTemplate;

  /**
   * Email specifics.
   *
   * @default - none
   */
  readonly email?: EmailTemplate;

  /**
   * Webhook specifics, by webhook service name.
   *
   * @default - none
   */
  readonly webhook?: { [webhook: string]: WebhookTemplate };

  /**
   * Teams specifics.
   *
   * @default - none
   */
  readonly teams?: TeamsTemplate;
}

/** One condition of a trigger. */
export interface TriggerCondition {
  /** The condition, an expr expression over `app`, e.g. `app.status.sync.status == 'Synced'`. */
  readonly when: string;

  /** The templates to send when the condition holds. */
  readonly send: string[];

  /**
   * Send once per distinct value of this expression (e.g. `app.status.sync.revision`).
   *
   * @default - once per change of the condition
   */
  readonly oncePer?: string;

  /**
   * A description.
   *
   * @default - none
   */
  readonly description?: string;
}

/** A default subscription (`subscriptions`): for every Application, or those a selector picks. */
export interface NotificationSubscriptionRule {
  /** Recipients, `<service>:<recipient>`, e.g. `slack:deployments`. */
  readonly recipients: string[];

  /** Trigger names (defined here or by the installed catalog). */
  readonly triggers: string[];

  /**
   * A label selector of the Applications, e.g. `env=production`.
   *
   * @default - every Application
   */
  readonly selector?: string;
}

/** Props for `NotificationsConfig`. */
export interface NotificationsConfigProps {
  /**
   * The namespace Argo CD runs in.
   *
   * @default 'argocd'
   */
  readonly namespace?: string;

  /**
   * Services. More with `addService()`.
   *
   * @default - none
   */
  readonly services?: NotificationService[];

  /**
   * Default subscriptions. More with `addSubscription()`.
   *
   * @default - none
   */
  readonly subscriptions?: NotificationSubscriptionRule[];

  /**
   * Triggers applied to subscriptions that name no trigger (`defaultTriggers`).
   *
   * @default - none
   */
  readonly defaultTriggers?: string[];

  /**
   * Values available to templates as `{{.context.<key>}}`, e.g. `argocdUrl`.
   *
   * @default - none
   */
  readonly context?: { [key: string]: string };
}

/**
 * The typed `argocd-notifications-cm` ConfigMap: services, templates, triggers and default
 * subscriptions. Credentials appear only as `$<key>` references to `argocd-notifications-secret`.
 *
 * Triggers must send templates defined here; subscriptions may name triggers of the installed
 * catalog too. The ConfigMap runs Argo CD, so an App of Apps root with automated prune may not
 * sync it; deploy it with an Application without prune (or annotate it with `Prune=false`).
 *
 * @example
 * const cm = new NotificationsConfig(chart, 'notifications', { services: [NotificationService.slack({ token: NotificationSecretKey.of('slack-token') })] });
 * cm.addTemplate('app-sync-succeeded', { message: '{{.app.metadata.name}} synced' });
 * cm.addTrigger('on-sync-succeeded', [{ when: "app.status.sync.status == 'Synced'", send: ['app-sync-succeeded'] }]);
 */
export class NotificationsConfig extends Construct {
  /** The ConfigMap's name. */
  public static readonly CONFIG_MAP_NAME = 'argocd-notifications-cm';

  /** The L1 object. */
  public readonly apiObject: ApiObject;

  private readonly services: NotificationService[] = [];
  private readonly templates = new Map<string, NotificationTemplateOptions>();
  private readonly triggers = new Map<string, TriggerCondition[]>();
  private readonly subscriptions: NotificationSubscriptionRule[] = [];
  private readonly defaultTriggers: string[];
  private readonly context?: { [key: string]: string };

  constructor(scope: Construct, id: string, props: NotificationsConfigProps = {}) {
    super(scope, id);
    const namespace = props.namespace ?? 'argocd';
    checkNamespace(this, 'metadata.namespace', namespace);
    for (const s of props.services ?? []) this.addService(s);
    for (const s of props.subscriptions ?? []) this.addSubscription(s);
    this.defaultTriggers = [...(props.defaultTriggers ?? [])];
    this.context = props.context ? { ...props.context } : undefined;
    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: NotificationsConfig.CONFIG_MAP_NAME, namespace },
      data: Lazy.any({ produce: () => this._data() }),
    });
    this.node.addValidation({ validate: () => this.checkTemplates() });
  }

  /**
   * Adds a service. Throws when its key is already used.
   *
   * @param service the service
   */
  public addService(service: NotificationService): void {
    if (!(service instanceof NotificationService)) {
      fail(this, 'service', service, 'is not a NotificationService; use NotificationService.slack(), .webhook(), .email(), .teams() or .custom()');
    }
    if (this.services.some((s) => s.configKey === service.configKey)) {
      fail(this, service.configKey, service.name, 'is already configured');
    }
    this.services.push(service);
  }

  /**
   * Adds a template (`template.<name>`).
   *
   * @param name the template's name, used by triggers' `send`
   * @param options the message and service specifics
   */
  public addTemplate(name: string, options: NotificationTemplateOptions): void {
    checkKeyName(this, 'template', name);
    if (this.templates.has(name)) fail(this, 'template', name, 'already exists');
    const parts = ['message', 'slack', 'email', 'webhook', 'teams'].filter((k) => (options as any)[k] !== undefined);
    if (parts.length === 0) fail(this, `template.${name}`, options, 'is empty; give a message or a service-specific part');
    if (options.email) checkNonEmpty(this, `template.${name}.email.subject`, options.email.subject);
    this.templates.set(name, options);
  }

  /**
   * Adds a trigger (`trigger.<name>`).
   *
   * @param name the trigger's name, e.g. `on-sync-succeeded`
   * @param conditions when to send which templates
   */
  public addTrigger(name: string, conditions: TriggerCondition[]): void {
    checkKeyName(this, 'trigger', name);
    if (this.triggers.has(name)) fail(this, 'trigger', name, 'already exists');
    if (!conditions?.length) fail(this, `trigger.${name}`, conditions, 'has no condition; give at least one { when, send }');
    conditions.forEach((c, i) => {
      checkNonEmpty(this, `trigger.${name}[${i}].when`, c.when);
      if (!c.send?.length) fail(this, `trigger.${name}[${i}].send`, c.send, 'is empty; name at least one template');
    });
    this.triggers.set(name, conditions.map((c) => ({ ...c, send: [...c.send] })));
  }

  /**
   * Adds a default subscription.
   *
   * @param subscription recipients, triggers and an optional selector
   */
  public addSubscription(subscription: NotificationSubscriptionRule): void {
    if (!subscription.recipients?.length) fail(this, 'subscriptions.recipients', subscription.recipients, 'is empty; give at least one <service>:<recipient>');
    if (!subscription.triggers?.length) fail(this, 'subscriptions.triggers', subscription.triggers, 'is empty; give at least one trigger');
    this.subscriptions.push({ ...subscription, recipients: [...subscription.recipients], triggers: [...subscription.triggers] });
  }

  private checkTemplates(): string[] {
    const problems: string[] = [];
    for (const [name, conditions] of this.triggers) {
      conditions.forEach((c, i) => c.send.forEach((t) => {
        if (!this.templates.has(t)) {
          problems.push(`trigger.${name}[${i}].send ${show(t)} is not a template of this ConfigMap (templates: ${[...this.templates.keys()].join(', ') || 'none'}); add it with ${methodName('addTemplate')}`);
        }
      }));
    }
    return problems;
  }

  /** @internal */
  public _data(): { [key: string]: string } {
    const data: { [key: string]: string } = {};
    if (this.context) data.context = dumpYaml(this.context);
    for (const s of this.services) data[s.configKey] = dumpYaml(s._config);
    for (const [name, t] of this.templates) data[`template.${name}`] = dumpYaml(renderTemplate(t));
    for (const [name, conditions] of this.triggers) {
      data[`trigger.${name}`] = dumpYaml(conditions.map((c) => ({
        ...(c.description !== undefined ? { description: c.description } : {}),
        when: c.when,
        send: c.send,
        ...(c.oncePer !== undefined ? { oncePer: c.oncePer } : {}),
      })));
    }
    if (this.subscriptions.length) {
      data.subscriptions = dumpYaml(this.subscriptions.map((s) => ({
        recipients: s.recipients,
        triggers: s.triggers,
        ...(s.selector !== undefined ? { selector: s.selector } : {}),
      })));
    }
    if (this.defaultTriggers.length) data.defaultTriggers = dumpYaml(this.defaultTriggers);
    return data;
  }
}

function renderTemplate(t: NotificationTemplateOptions): any {
  const out: any = {};
  if (t.message !== undefined) out.message = t.message;
  if (t.slack) {
    const s: any = {};
    if (t.slack.attachments) s.attachments = JSON.stringify(t.slack.attachments, null, 2);
    if (t.slack.blocks) s.blocks = JSON.stringify(t.slack.blocks, null, 2);
    if (t.slack.groupingKey !== undefined) s.groupingKey = t.slack.groupingKey;
    if (t.slack.notifyBroadcast !== undefined) s.notifyBroadcast = t.slack.notifyBroadcast;
    out.slack = s;
  }
  if (t.email) out.email = { subject: t.email.subject };
  if (t.webhook) {
    out.webhook = {};
    for (const [name, w] of Object.entries(t.webhook)) {
      out.webhook[name] = {
        ...(w.method !== undefined ? { method: w.method } : {}),
        ...(w.path !== undefined ? { path: w.path } : {}),
        ...(w.body !== undefined ? { body: w.body } : {}),
      };
    }
  }
  if (t.teams) {
    const m: any = {};
    for (const k of ['title', 'text', 'summary', 'themeColor'] as const) if (t.teams[k] !== undefined) m[k] = t.teams[k];
    if (t.teams.facts) m.facts = JSON.stringify(t.teams.facts, null, 2);
    out.teams = m;
  }
  return out;
}

function checkKeyName(scope: Construct, kind: string, name: string): void {
  if (typeof name !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(name)) {
    throw new ValidationError(`${kind} ${show(name)} is not a valid name; use letters, digits, '-', '_' and '.'`, scope);
  }
}
