// Argo CD's `argocd-notifications-cm` through `NotificationsConfig`: services through
// `NotificationService` (Slack, webhooks, email, Teams when the factory writes them back exactly,
// else `.custom()`), their credentials as `NotificationSecretKey.of()` (the `$key` references to
// `argocd-notifications-secret`), subscriptions, default triggers and context as props, then
// `addTemplate()` and `addTrigger()`. A value the construct writes in another YAML layout than the
// input's (a hand-indented JSON attachment, say) is put back by the comparison's patch.
import { loadYaml } from '../_internal/yaml';
import { Code, defined, render } from './_code';
import { ImportContext, ImportedConstruct, NotExpressible } from './_context';
import { sameValue } from './_diff';
import { evaluate, firstLine, recorded, tryConstruct } from './_evaluate';

const isObject = (v: unknown): v is { [k: string]: any } => v !== null && typeof v === 'object' && !Array.isArray(v);
const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
const SECRET_REF = /^\$([A-Za-z0-9_.-]+)$/;

function parse(text: unknown): unknown {
  if (typeof text !== 'string') return undefined;
  try {
    return loadYaml(text);
  } catch {
    return undefined;
  }
}

/** `NotificationsConfig` props, and its templates and triggers, from the notifications ConfigMap. */
export function importNotificationsConfig(outer: ImportContext, obj: any): ImportedConstruct {
  return recorded(outer, (ctx) => {
    const data = obj.data ?? {};
    if (!isObject(data) || !Object.values(data).every((v) => typeof v === 'string')) throw new NotExpressible('a ConfigMap whose data is not text');
    const services: Code[] = [];
    const templates: Array<[string, unknown]> = [];
    const triggers: Array<[string, unknown]> = [];
    let subscriptions: unknown;
    let defaultTriggers: unknown;
    let context: unknown;
    for (const [key, text] of Object.entries(data) as Array<[string, string]>) {
      const value = parse(text);
      if (key.startsWith('service.')) {
        if (isObject(value)) services.push(service(ctx, key, value));
      } else if (key.startsWith('template.')) {
        templates.push([key.slice('template.'.length), template(value, key)]);
      } else if (key.startsWith('trigger.')) {
        triggers.push([key.slice('trigger.'.length), trigger(value, key)]);
      } else if (key === 'subscriptions' && Array.isArray(value)) {
        subscriptions = value.map((s: any, i: number) => {
          if (!isObject(s) || !isStringList(s.recipients) || !isStringList(s.triggers)) throw new NotExpressible(`subscriptions[${i}] without recipients and triggers`);
          return defined({ recipients: s.recipients, triggers: s.triggers, selector: typeof s.selector === 'string' ? s.selector : undefined });
        });
      } else if (key === 'defaultTriggers' && isStringList(value)) {
        defaultTriggers = value;
      } else if (key === 'context' && isObject(value) && Object.values(value).every((v) => typeof v === 'string')) {
        context = value;
      }
    }
    const namespace = obj.metadata?.namespace;
    const props = defined({
      namespace: namespace === 'argocd' || typeof namespace !== 'string' ? undefined : namespace,
      services: services.length > 0 ? services : undefined,
      subscriptions,
      defaultTriggers,
      context,
    });
    const { construct, error } = tryConstruct('NotificationsConfig', 'notifications', props);
    if (error !== undefined) throw new NotExpressible(`NotificationsConfig refuses it: ${error}`);
    try {
      for (const [name, t] of templates) (construct as any).addTemplate(name, evaluate(t));
      for (const [name, t] of triggers) (construct as any).addTrigger(name, evaluate(t));
    } catch (e) {
      throw new NotExpressible(`NotificationsConfig refuses it: ${firstLine(e)}`);
    }
    const after = (v: string): string[] => [
      ...templates.map(([name, t]) => statement(v, 'addTemplate', name, t)),
      ...triggers.map(([name, t]) => statement(v, 'addTrigger', name, t)),
    ];
    return { className: 'NotificationsConfig', module: 'cdk8s-argocd', props: Object.keys(props).length > 0 ? props : undefined, after };
  });
}

function statement(v: string, method: string, name: string, options: unknown): string {
  const head = `${v}.${method}(${render(name, 0)}, `;
  return `${head}${render(options, 0, head.length)});`;
}

function template(value: unknown, key: string): { [k: string]: unknown } {
  if (!isObject(value)) throw new NotExpressible(`a ${key} that is not a YAML map`);
  const json = (text: unknown) => {
    if (typeof text !== 'string') return undefined;
    try {
      const v = JSON.parse(text);
      return Array.isArray(v) && v.every(isObject) ? v : undefined;
    } catch {
      return undefined;
    }
  };
  const s = isObject(value.slack) ? value.slack : undefined;
  const t = isObject(value.teams) ? value.teams : undefined;
  const webhook = isObject(value.webhook) && Object.values(value.webhook).every(isObject)
    ? Object.fromEntries(Object.entries(value.webhook).map(([n, w]: [string, any]) => [n, defined({
      method: typeof w.method === 'string' ? w.method : undefined,
      path: typeof w.path === 'string' ? w.path : undefined,
      body: typeof w.body === 'string' ? w.body : undefined,
    })]))
    : undefined;
  const out = defined({
    message: typeof value.message === 'string' ? value.message : undefined,
    slack: s ? defined({
      attachments: json(s.attachments),
      blocks: json(s.blocks),
      groupingKey: typeof s.groupingKey === 'string' ? s.groupingKey : undefined,
      notifyBroadcast: typeof s.notifyBroadcast === 'boolean' ? s.notifyBroadcast : undefined,
    }) : undefined,
    email: isObject(value.email) && typeof value.email.subject === 'string' ? { subject: value.email.subject } : undefined,
    webhook,
    teams: t ? defined({
      title: typeof t.title === 'string' ? t.title : undefined,
      text: typeof t.text === 'string' ? t.text : undefined,
      summary: typeof t.summary === 'string' ? t.summary : undefined,
      themeColor: typeof t.themeColor === 'string' ? t.themeColor : undefined,
      facts: json(t.facts),
    }) : undefined,
  });
  if (Object.keys(out).length === 0) throw new NotExpressible(`a ${key} with no message or service part the library can say`);
  return out;
}

function trigger(value: unknown, key: string): unknown[] {
  if (!Array.isArray(value) || value.length === 0) throw new NotExpressible(`a ${key} that is not a list of conditions`);
  return value.map((c: any, i: number) => {
    if (!isObject(c) || typeof c.when !== 'string' || !isStringList(c.send)) throw new NotExpressible(`${key}[${i}] without when and send`);
    return defined({
      when: c.when,
      send: c.send,
      oncePer: typeof c.oncePer === 'string' ? c.oncePer : undefined,
      description: typeof c.description === 'string' ? c.description : undefined,
    });
  });
}

/** A service through its factory when that writes exactly its config, else `NotificationService.custom()`. */
function service(ctx: ImportContext, key: string, config: { [k: string]: any }): Code {
  const S = ctx.lib('NotificationService');
  const only = (...keys: string[]) => Object.keys(config).every((k) => keys.includes(k));
  let typed: Code | undefined;
  const webhook = /^service\.webhook\.([A-Za-z0-9_-]+)$/.exec(key);
  const email = /^service\.email(?:\.([A-Za-z0-9_-]+))?$/.exec(key);
  try {
    typed = recorded(ctx, (trial) => {
      const r = (v: unknown) => {
        const m = typeof v === 'string' ? SECRET_REF.exec(v) : null;
        return m ? Code.call(`${trial.lib('NotificationSecretKey')}.of`, m[1]) : undefined;
      };
      let code: Code | undefined;
      if (key === 'service.slack' && only('token', 'username', 'icon', 'apiURL', 'signingSecret') && r(config.token)) {
        code = Code.call(`${S}.slack`, defined({ token: r(config.token), username: config.username, icon: config.icon, apiUrl: config.apiURL, signingSecret: config.signingSecret !== undefined ? r(config.signingSecret) ?? config.signingSecret : undefined }));
      } else if (webhook && only('url', 'headers', 'basicAuth', 'insecureSkipVerify')) {
        code = Code.call(`${S}.webhook`, webhook[1], defined({
          url: config.url,
          headers: config.headers,
          basicAuthUsername: config.basicAuth?.username,
          basicAuthPassword: config.basicAuth !== undefined ? r(config.basicAuth?.password) ?? config.basicAuth?.password : undefined,
          insecureSkipVerify: config.insecureSkipVerify,
        }));
      } else if (email && only('host', 'port', 'from', 'username', 'password', 'insecure_skip_verify')) {
        code = Code.call(`${S}.email`, defined({
          host: config.host, port: config.port, from: config.from, username: config.username,
          password: config.password !== undefined ? r(config.password) ?? config.password : undefined,
          insecureSkipVerify: config.insecure_skip_verify,
        }), ...(email[1] !== undefined ? [email[1]] : []));
      } else if (key === 'service.teams' && only('recipientUrls') && isObject(config.recipientUrls) && Object.values(config.recipientUrls).every((v) => r(v))) {
        code = Code.call(`${S}.teams`, { recipientUrls: Object.fromEntries(Object.entries(config.recipientUrls).map(([k, v]) => [k, r(v)])) });
      }
      if (!code || !sameValue(evaluate(code)._config, config) || evaluate(code).configKey !== key) throw new NotExpressible('not the factory');
      return code;
    });
  } catch {
    typed = undefined;
  }
  if (typed) return typed;
  const custom = Code.call(`${S}.custom`, key, config);
  try {
    evaluate(custom);
  } catch (e) {
    throw new NotExpressible(`NotificationService.custom() refuses ${key}: ${firstLine(e)}`);
  }
  return custom;
}
