import { ValidationError } from '../errors';
import { checkNonEmpty, fail, show } from '../_internal/values';

/**
 * A reference to a key of the `argocd-notifications-secret` Secret, written as `$<key>`. The only
 * way to give a notification service a token or password: the value itself stays in the Secret
 * (fetched from a store by an ExternalSecret), never in Git.
 *
 * @example
 * NotificationService.slack({ token: NotificationSecretKey.of('slack-token') }) // token: $slack-token
 */
export class NotificationSecretKey {
  /**
   * A key of `argocd-notifications-secret`.
   *
   * @param key the key, e.g. `slack-token` (letters, digits, `-`, `_`, `.`)
   */
  public static of(key: string): NotificationSecretKey {
    if (typeof key !== 'string' || !/^[A-Za-z0-9_.-]+$/.test(key)) {
      fail(undefined, 'notification secret key', key, 'is not a Secret key; use letters, digits, \'-\', \'_\' and \'.\', e.g. \'slack-token\'');
    }
    return new NotificationSecretKey(key);
  }

  private constructor(
    /** The Secret key. */
    public readonly key: string,
  ) {}

  /** The reference as written to the ConfigMap: `$<key>`. */
  public toString(): string {
    return `$${this.key}`;
  }
}

/** Options for the Slack service. */
export interface SlackServiceOptions {
  /** The bot token. */
  readonly token: NotificationSecretKey;

  /**
   * The name messages are posted as.
   *
   * @default - the app's name in Slack
   */
  readonly username?: string;

  /**
   * The icon messages are posted with (an emoji or a URL).
   *
   * @default - the app's icon
   */
  readonly icon?: string;

  /**
   * The Slack API URL (for Slack-compatible servers).
   *
   * @default - https://slack.com/api
   */
  readonly apiUrl?: string;

  /**
   * The signing secret, for interactive messages.
   *
   * @default - none
   */
  readonly signingSecret?: NotificationSecretKey;
}

/** An HTTP header a webhook sends. */
export interface WebhookHeader {
  /** The header's name. */
  readonly name: string;

  /**
   * The value. Headers that carry credentials (`Authorization`, or a name containing token,
   * secret, key or password) must hold a `$<key>` reference, e.g. `Bearer $webhook-token`.
   */
  readonly value: string;
}

/** Options for a webhook service. */
export interface WebhookServiceOptions {
  /** The URL, e.g. `https://hooks.example.com/argocd`. */
  readonly url: string;

  /**
   * Headers.
   *
   * @default - none
   */
  readonly headers?: WebhookHeader[];

  /**
   * Basic auth user name.
   *
   * @default - no basic auth
   */
  readonly basicAuthUsername?: string;

  /**
   * Basic auth password.
   *
   * @default - no basic auth
   */
  readonly basicAuthPassword?: NotificationSecretKey;

  /**
   * Skip TLS verification.
   *
   * @default - not written; certificates are verified
   */
  readonly insecureSkipVerify?: boolean;
}

/** Options for the email service. */
export interface EmailServiceOptions {
  /** The SMTP host. */
  readonly host: string;

  /** The SMTP port. */
  readonly port: number;

  /** The sender address. */
  readonly from: string;

  /**
   * The SMTP user name.
   *
   * @default - no authentication
   */
  readonly username?: string;

  /**
   * The SMTP password.
   *
   * @default - no authentication
   */
  readonly password?: NotificationSecretKey;

  /**
   * Skip TLS verification.
   *
   * @default - not written
   */
  readonly insecureSkipVerify?: boolean;
}

/** Options for the Microsoft Teams service. */
export interface TeamsServiceOptions {
  /**
   * The incoming webhook URL of each recipient (channel), by recipient name; the URLs hold a
   * credential, so they are Secret keys.
   */
  readonly recipientUrls: { [recipient: string]: NotificationSecretKey };
}

const CREDENTIAL_HEADER = /(authorization|token|secret|password|api[-_]?key)/i;

/**
 * A notification service (`service.<type>[.<name>]` in `argocd-notifications-cm`). Tokens and
 * passwords can only be `NotificationSecretKey` references.
 */
export class NotificationService {
  /**
   * Slack (`service.slack`); recipients are `slack:<channel>`.
   *
   * @param options the token and display options
   */
  public static slack(options: SlackServiceOptions): NotificationService {
    const config: any = { token: secretRef('service.slack.token', options.token) };
    if (options.username !== undefined) config.username = options.username;
    if (options.icon !== undefined) config.icon = options.icon;
    if (options.apiUrl !== undefined) config.apiURL = options.apiUrl;
    if (options.signingSecret !== undefined) config.signingSecret = secretRef('service.slack.signingSecret', options.signingSecret);
    return new NotificationService('slack', 'service.slack', config);
  }

  /**
   * A webhook (`service.webhook.<name>`); recipients are `<name>` (e.g. `github:`).
   *
   * @param name the webhook's name
   * @param options the URL, headers and auth
   */
  public static webhook(name: string, options: WebhookServiceOptions): NotificationService {
    checkName('service.webhook', name);
    checkNonEmpty(undefined, `service.webhook.${name}.url`, options.url);
    const config: any = { url: options.url };
    if (options.headers?.length) {
      config.headers = options.headers.map((h, i) => {
        checkNonEmpty(undefined, `service.webhook.${name}.headers[${i}].name`, h.name);
        if (CREDENTIAL_HEADER.test(h.name) && !/\$[A-Za-z0-9_.-]+/.test(h.value ?? '')) {
          fail(undefined, `service.webhook.${name}.headers[${i}].value`, '<redacted>', `of header '${h.name}' carries a credential in plain text; keep it in argocd-notifications-secret and refer to it, e.g. 'Bearer \${NotificationSecretKey.of('webhook-token')}'`);
        }
        return { name: h.name, value: h.value };
      });
    }
    if ((options.basicAuthUsername === undefined) !== (options.basicAuthPassword === undefined)) {
      fail(undefined, `service.webhook.${name}.basicAuth`, options.basicAuthUsername ?? null, 'needs both basicAuthUsername and basicAuthPassword');
    }
    if (options.basicAuthUsername !== undefined) {
      config.basicAuth = { username: options.basicAuthUsername, password: secretRef(`service.webhook.${name}.basicAuth.password`, options.basicAuthPassword!) };
    }
    if (options.insecureSkipVerify !== undefined) config.insecureSkipVerify = options.insecureSkipVerify;
    return new NotificationService(name, `service.webhook.${name}`, config);
  }

  /**
   * Email over SMTP (`service.email`, or `service.email.<name>`); recipients are `email:<address>`
   * (or `<name>:<address>`).
   *
   * @param options the SMTP server and sender
   * @param name a name, for several email services
   */
  public static email(options: EmailServiceOptions, name?: string): NotificationService {
    if (name !== undefined) checkName('service.email', name);
    const key = name === undefined ? 'service.email' : `service.email.${name}`;
    checkNonEmpty(undefined, `${key}.host`, options.host);
    checkNonEmpty(undefined, `${key}.from`, options.from);
    if (!Number.isInteger(options.port) || options.port < 1 || options.port > 65535) {
      fail(undefined, `${key}.port`, options.port, 'is not a port; use 1 to 65535');
    }
    const config: any = { host: options.host, port: options.port, from: options.from };
    if (options.username !== undefined) config.username = options.username;
    if (options.password !== undefined) config.password = secretRef(`${key}.password`, options.password);
    if (options.insecureSkipVerify !== undefined) config.insecure_skip_verify = options.insecureSkipVerify;
    return new NotificationService(name ?? 'email', key, config);
  }

  /**
   * Microsoft Teams (`service.teams`); recipients are `teams:<recipient>`.
   *
   * @param options the webhook URL of each recipient
   */
  public static teams(options: TeamsServiceOptions): NotificationService {
    const urls: any = {};
    for (const [recipient, ref] of Object.entries(options.recipientUrls ?? {})) {
      urls[recipient] = secretRef(`service.teams.recipientUrls.${recipient}`, ref);
    }
    if (Object.keys(urls).length === 0) fail(undefined, 'service.teams.recipientUrls', options.recipientUrls, 'is empty; give at least one recipient');
    return new NotificationService('teams', 'service.teams', { recipientUrls: urls });
  }

  /**
   * Any other service, written as given under `service.<type>[.<name>]`. String values of keys that
   * name a credential (token, password, secret, key) must be `$<key>` references.
   *
   * @param configKey the ConfigMap key, e.g. `service.opsgenie`
   * @param config the service's settings
   */
  public static custom(configKey: string, config: { [key: string]: any }): NotificationService {
    const m = /^service\.([a-z0-9]+)(?:\.([A-Za-z0-9_-]+))?$/.exec(configKey ?? '');
    if (!m) fail(undefined, 'service', configKey, 'is not a service key; use service.<type> or service.<type>.<name>');
    checkSecretsAreRefs(configKey, config);
    return new NotificationService(m![2] ?? m![1], configKey, { ...config });
  }

  private constructor(
    /** The name recipients use: `<name>:<recipient>`. */
    public readonly name: string,
    /** The ConfigMap key, e.g. `service.slack`. */
    public readonly configKey: string,
    /** @internal */
    public readonly _config: any,
  ) {}
}

function secretRef(field: string, ref: NotificationSecretKey): string {
  if (!(ref instanceof NotificationSecretKey)) {
    fail(undefined, field, '<redacted>', 'is not a NotificationSecretKey; credentials never enter Git: use NotificationSecretKey.of(\'<key of argocd-notifications-secret>\')');
  }
  return ref.toString();
}

function checkName(field: string, name: string): void {
  if (typeof name !== 'string' || !/^[A-Za-z0-9_-]+$/.test(name)) {
    fail(undefined, field, name, 'is not a valid service name; use letters, digits, \'-\' and \'_\'');
  }
}

function checkSecretsAreRefs(path: string, value: any): void {
  if (value === null || typeof value !== 'object') return;
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === 'string' && /(token|password|secret|key)/i.test(k) && !/^\$[A-Za-z0-9_.-]+$/.test(v)) {
      throw new ValidationError(`${path}.${k} ${show('<redacted>')} is a credential in plain text; keep it in argocd-notifications-secret and write \${NotificationSecretKey.of('<key>')}`);
    }
    checkSecretsAreRefs(`${path}.${k}`, v);
  }
}
