import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Chart, Include, JsonPatch, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { describe, expect, test } from 'vitest';
import { ArgoCdApp } from '../../lib/app/argocd-app';
import { ExternalSecret } from '../../lib/external-secrets/external-secret';
import { PlaintextSecret, PlaintextSecretGuard } from '../../lib/external-secrets/plaintext-secret-guard';
import { ClusterSecretStore } from '../../lib/external-secrets/secret-store';
import { Cluster } from '../../lib/fleet/cluster';
import { ClusterSecret } from '../../lib/fleet/cluster-secret';

const CA = Buffer.from('-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n').toString('base64');
const TOKEN = ['Zk3mQ9vT2xLp8RwY', '4nBc6HdJ1sFgA7eUoKiM'].join('');
const SECRET_FIX = "keep the values in a secret store and fetch them with an ExternalSecret, or, if they may be in Git, call PlaintextSecret.allow(secret, '<reason>')";

function app() {
  const a = new ArgoCdApp({ outdir: Testing.app().outdir });
  return { app: a, chart: new Chart(a, 'prod', { namespace: 'production' }) };
}

/** The synthesis error lines (without the header), or [] when synthesis succeeds. */
function problems(a: ArgoCdApp): string[] {
  try {
    a.synthFiles();
    return [];
  } catch (e: any) {
    const lines = String(e.message).split('\n');
    expect(lines[0]).toMatch(/^synthesis failed with \d+ errors?:$/);
    for (const l of lines) expect(l).not.toContain(TOKEN.slice(0, 10));
    return lines.slice(1).map((l) => l.trim());
  }
}

/** `[path] file path-in-file rule` of each problem. */
function where(a: ArgoCdApp): string[] {
  return problems(a).map((p) => {
    const m = /^\[([^\]]*)\] (\S+) (.*?): .* \(rule ([^)]+)\);/.exec(p);
    return m ? `[${m[1]}] ${m[2]} ${m[3]} ${m[4]}` : p;
  });
}

function cluster(config: any, server = 'https://prod.example.com'): Cluster {
  return new Cluster({ name: 'production', server, config });
}

describe('PlaintextSecretGuard', () => {
  test('fails when a plain Secret has data, naming the file, the path and the rule', () => {
    const { app: a, chart } = app();
    new ApiObject(chart, 'db', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db' }, data: { password: 'aHVudGVyMg==' } });
    expect(problems(a)).toEqual([
      `[prod/db] prod/secret_production_db.yaml data.password: a Secret holds a value in plain text (rule kubernetes/secret-with-values, kubernetes/credential-field); ${SECRET_FIX}`,
    ]);
  });

  test('fails when a cdk8s-plus Secret gets stringData, without the value in the message', () => {
    const { app: a, chart } = app();
    const secret = new kplus.Secret(chart, 'api', { metadata: { name: 'api-key' } });
    secret.addStringData('API_KEY', 'not-in-the-message');
    const lines = problems(a);
    expect(lines).toEqual([`[prod/api/Resource] prod/secret_production_api-key.yaml stringData.API_KEY: a Secret holds a value in plain text (rule kubernetes/secret-with-values, kubernetes/credential-field); ${SECRET_FIX}`]);
    expect(lines.join('\n')).not.toContain('not-in-the-message');
  });

  test('passes a Secret allowed with a reason, and writes the reason as an annotation', () => {
    const { app: a, chart } = app();
    const secret = new kplus.Secret(chart, 'ca', { metadata: { name: 'ca' }, stringData: { 'ca.crt': '-----BEGIN CERTIFICATE-----' } });
    PlaintextSecret.allow(secret, 'public CA certificate, not a secret');
    const [file] = a.synthFiles();
    expect(file.manifest.metadata.annotations).toEqual({ 'cdk8s-argocd.io/plaintext-allowed-reason': 'public CA certificate, not a secret' });
    expect(file.manifest.stringData).toEqual({ 'ca.crt': '-----BEGIN CERTIFICATE-----' });
  });

  test('allow works on an ApiObject too, for the keys listed', () => {
    const { app: a, chart } = app();
    const obj = new ApiObject(chart, 'x', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' }, data: {} });
    PlaintextSecret.allow(obj, 'test fixture', ['a']);
    obj.addJsonPatch(JsonPatch.add('/data/a', 'Yg=='));
    expect(a.synthFiles()[0].manifest.metadata.annotations[PlaintextSecret.ALLOWED_REASON_ANNOTATION]).toEqual('test fixture');
  });

  test('fails when a key is added after allow()', () => {
    const { app: a, chart } = app();
    const secret = new kplus.Secret(chart, 'ca', { metadata: { name: 'ca' }, stringData: { 'ca.crt': 'public' } });
    PlaintextSecret.allow(secret, 'public CA certificate');
    secret.addStringData('password', 'hunter2');
    expect(problems(a)).toEqual([
      "[prod/ca/Resource] prod/secret_production_ca.yaml stringData.password: key 'password' of a Secret is not among the keys PlaintextSecret.allow() allows (ca.crt) (rule kubernetes/secret-with-values, kubernetes/credential-field); list the key in PlaintextSecret.allow(secret, '<reason>', [<keys>]) if it may be in Git, or keep it in a secret store and fetch it with an ExternalSecret",
    ]);
  });

  test('fails when an allowed Secret holds a private key (the scan reads allowed values too)', () => {
    const { app: a, chart } = app();
    const key = `-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEI${'A'.repeat(120)}\n-----END EC PRIVATE KEY-----\n`;
    const s = new ApiObject(chart, 'tls', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'tls' }, data: { 'tls.key': Buffer.from(key).toString('base64') } });
    PlaintextSecret.allow(s, 'only a test key');
    expect(where(a)).toEqual(["[prod/tls] prod/secret_production_tls.yaml data['tls.key'] kubernetes/private-key"]);
  });

  test('fails when the allow annotation is set by hand, without PlaintextSecret.allow()', () => {
    const { app: a, chart } = app();
    new ApiObject(chart, 'db', {
      apiVersion: 'v1', kind: 'Secret',
      metadata: { name: 'db', annotations: { [PlaintextSecret.ALLOWED_REASON_ANNOTATION]: 'trust me' } },
      stringData: { password: 'hunter2' },
    });
    expect(where(a)).toEqual(['[prod/db] prod/secret_production_db.yaml stringData.password kubernetes/secret-with-values, kubernetes/credential-field']);
  });

  test('passes empty Secrets, a template for a controller to fill', () => {
    const { app: a, chart } = app();
    new kplus.Secret(chart, 'empty', { metadata: { name: 'filled-later' } });
    new ApiObject(chart, 'raw', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'raw' }, type: 'kubernetes.io/service-account-token', data: {} });
    expect(a.synthFiles().map((f) => f.path)).toEqual(['prod/secret_production_filled-later.yaml', 'prod/secret_production_raw.yaml']);
  });

  test('passes an ExternalSecret and its target Secret reference', () => {
    const { app: a, chart } = app();
    new ExternalSecret(chart, 'db', { store: ClusterSecretStore.fromName(chart, 's', 'aws'), data: [{ secretKey: 'password', remoteKey: 'db' }] });
    expect(a.synthFiles().map((f) => f.manifest.kind)).toEqual(['ExternalSecret']);
  });

  test('reports every finding at once, as a manifest check too (allows found through its scope)', () => {
    const chart = Testing.chart();
    const allowed = new ApiObject(chart, 'c', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'c' }, data: { k: 'dg==' } });
    PlaintextSecret.allow(allowed, 'fixture');
    const guard = new PlaintextSecretGuard(chart);
    expect(guard.check([
      { manifest: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'a' }, data: { k: 'dg==' }, stringData: { s: 'v' } }, constructPath: 'test/a', file: 'secret_a.yaml' },
      { manifest: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b' }, data: { k: 'v' } }, constructPath: 'test/b', file: 'configmap_b.yaml' },
      { manifest: allowed.toJson(), constructPath: 'test/c', file: 'secret_c.yaml' },
    ]).map((m) => m.split(' (rule')[0])).toEqual([
      '[test/a] secret_a.yaml data.k: a Secret holds a value in plain text',
      '[test/a] secret_a.yaml stringData.s: a Secret holds a value in plain text',
    ]);
    // without a scope nothing is allowed
    expect(new PlaintextSecretGuard().check([{ manifest: allowed.toJson(), constructPath: 'test/c', file: 'secret_c.yaml' }])).toHaveLength(1);
  });

  test('writes nothing when the scan fails: the flagged object never reaches the writer', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'guard-'));
    try {
      const a = new ArgoCdApp({ outdir: path.join(outdir, 'dist') });
      const chart = new Chart(a, 'prod');
      new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ok' }, data: { a: 'b' } });
      new ApiObject(chart, 'db', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db' }, stringData: { password: 'hunter2' } });
      expect(() => a.synth()).toThrow(/rule kubernetes\/secret-with-values/);
      expect(fs.readdirSync(outdir)).toEqual([]);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('fails when allow reasons are empty', () => {
    const chart = Testing.chart();
    const secret = new kplus.Secret(chart, 's');
    expect(() => PlaintextSecret.allow(secret, ' ')).toThrowError('[test/s] cdk8s-argocd.io/plaintext-allowed-reason " " is empty; give the reason the Secret may be written in plain text');
  });

  test('fails when allow is given something that is not a Secret', () => {
    const chart = Testing.chart();
    const cm = new kplus.ConfigMap(chart, 'cm');
    expect(() => PlaintextSecret.allow(cm, 'why')).toThrowError('[test/cm] PlaintextSecret.allow() needs a core Secret, got v1 ConfigMap');
  });

  test('fails when allow keys are not key names', () => {
    const chart = Testing.chart();
    const secret = new kplus.Secret(chart, 's');
    expect(() => PlaintextSecret.allow(secret, 'why', [''])).toThrowError('[test/s] PlaintextSecret.allow() keys [""] is not a list of key names; list the data and stringData keys that may be in plain text');
  });
});

describe('PlaintextSecretGuard: the attacks', () => {
  const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db' }, stringData: { password: 'hunter2' } };

  test('fails when a v1 List holds a Secret', () => {
    const { app: a, chart } = app();
    new ApiObject(chart, 'list', { apiVersion: 'v1', kind: 'List', metadata: { name: 'l' }, items: [secret] } as any);
    expect(where(a)).toEqual(['[prod/list] prod/list_production_l.yaml items[0].stringData.password kubernetes/secret-with-values, kubernetes/credential-field']);
  });

  test('fails when a SecretList, included from a YAML file, holds Secrets', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'inc-'));
    try {
      const file = path.join(dir, 'secrets.yaml');
      fs.writeFileSync(file, 'apiVersion: v1\nkind: SecretList\nmetadata:\n  name: all\nitems:\n- apiVersion: v1\n  kind: Secret\n  metadata: {name: a}\n  data: {token: aHVudGVyMg==}\n');
      const { app: a, chart } = app();
      new Include(chart, 'inc', { url: file });
      expect(where(a)).toEqual(['[prod/inc/all-secretlist] prod/secretlist_production_all.yaml items[0].data.token kubernetes/secret-with-values, kubernetes/credential-field']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test.each([
    ['v1', 'secret'], ['v1', 'SECRET'], ['/v1', 'Secret'], [' v1 ', ' Secret '],
  ])('fails when a Secret is spelled apiVersion %j kind %j', (apiVersion, kind) => {
    const { app: a, chart } = app();
    new ApiObject(chart, 'db', { ...secret, apiVersion, kind });
    expect(where(a).map((w) => w.split(' ').slice(2).join(' '))).toEqual(['stringData.password kubernetes/secret-with-values, kubernetes/credential-field']);
  });

  test('fails when a Secret sits in kubectl.kubernetes.io/last-applied-configuration', () => {
    const { app: a, chart } = app();
    new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify(secret) } } });
    expect(where(a)).toEqual(["[prod/cm] prod/configmap_production_x.yaml metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'] (JSON) stringData.password kubernetes/secret-with-values, kubernetes/credential-field"]);
  });

  test('fails when addJsonPatch puts a bearerToken into the config of a cluster Secret the library allowed', () => {
    const { app: a, chart } = app();
    const cs = new ClusterSecret(chart, 'c', { cluster: cluster({ awsAuthConfig: { clusterName: 'prod' }, tlsClientConfig: { caData: CA } }) });
    (cs.apiObject as ApiObject).addJsonPatch(JsonPatch.replace('/stringData/config', JSON.stringify({ bearerToken: TOKEN, awsAuthConfig: { clusterName: 'prod' } })));
    expect(where(a)).toEqual(['[prod/c/Resource] prod/secret_argocd_cluster-production.yaml stringData.config (JSON) bearerToken kubernetes/cluster-config, kubernetes/credential-field']);
  });

  test('fails when addJsonPatch adds a password key to a cluster Secret the library allowed', () => {
    const { app: a, chart } = app();
    const cs = new ClusterSecret(chart, 'c', { cluster: cluster({ awsAuthConfig: { clusterName: 'prod' } }) });
    (cs.apiObject as ApiObject).addJsonPatch(JsonPatch.add('/stringData/password', 'hunter2'));
    expect(where(a)).toEqual([
      '[prod/c/Resource] prod/secret_argocd_cluster-production.yaml stringData.password kubernetes/secret-with-values, kubernetes/credential-field',
    ]);
  });

  const execCluster = (exec: any, extra: any = {}) => ({ execProviderConfig: { apiVersion: 'client.authentication.k8s.io/v1beta1', ...exec }, ...extra });
  test.each([
    ['a token in an env var not on the deny list', execCluster({ command: 'auth', env: { MY_VAR: TOKEN } }), 'stringData.config (JSON) execProviderConfig.env.MY_VAR'],
    ['--auth-token=...', execCluster({ command: 'kubelogin', args: ['get-token', '--auth-token=abc123'] }), 'stringData.config (JSON) execProviderConfig.args[1]'],
    ['-t <token>', execCluster({ command: 'kubelogin', args: ['get-token', '-t', TOKEN] }), 'stringData.config (JSON) execProviderConfig.args[2]'],
    ['a token in the command', execCluster({ command: `TOKEN=${TOKEN} /usr/local/bin/auth` }), 'stringData.config (JSON) execProviderConfig.command'],
    ['a token in caData', execCluster({ command: 'auth' }, { tlsClientConfig: { caData: Buffer.from(TOKEN).toString('base64') } }), 'stringData.config (JSON) tlsClientConfig.caData'],
  ])('fails when a cluster config mutated after construction holds %s', (_name, config, at) => {
    const { app: a, chart } = app();
    const c = cluster({ execProviderConfig: { command: 'auth', apiVersion: 'client.authentication.k8s.io/v1beta1' } });
    // bypasses the Cluster's own checks: the config is changed after they ran
    Object.assign(c.config as any, config);
    new ClusterSecret(chart, 'c', { cluster: c });
    expect(where(a)).toEqual([`[prod/c/Resource] prod/secret_argocd_cluster-production.yaml ${at} kubernetes/cluster-config`]);
  });

  test('fails when the server URL passes ?token=', () => {
    const { app: a, chart } = app();
    const c = cluster({ awsAuthConfig: { clusterName: 'prod' } });
    (c as any).server = `https://prod.example.com?token=${TOKEN}`;
    const cs = new ClusterSecret(chart, 'c', { cluster: c });
    (cs.apiObject as ApiObject).addJsonPatch(JsonPatch.replace('/stringData/server', `https://prod.example.com?token=${TOKEN}`));
    expect(where(a)).toEqual(['[prod/c/Resource] prod/secret_argocd_cluster-production.yaml stringData.server kubernetes/url-credentials']);
  });

  test('fails when a cluster Secret carries a token in an annotation', () => {
    const { app: a, chart } = app();
    const cs = new ClusterSecret(chart, 'c', { cluster: cluster({ awsAuthConfig: { clusterName: 'prod' } }) });
    (cs.apiObject as ApiObject).metadata.addAnnotation('example.com/token', TOKEN);
    expect(where(a)).toEqual(["[prod/c/Resource] prod/secret_argocd_cluster-production.yaml metadata.annotations['example.com/token'] kubernetes/credential-field"]);
  });

  const notifications = (data: any) => (chart: Chart) => new ApiObject(chart, 'n', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'argocd-notifications-cm' }, data });
  test.each([
    ['a webhook URL with user:pass@', { 'service.webhook.ci': 'url: https://bot:hunter2@ci.example.com/hook\n' }, "data['service.webhook.ci'] (YAML) url kubernetes/url-credentials"],
    ['a Slack webhook secret path', { 'service.webhook.slack': `url: https://hooks.slack.com/services/T0123ABCD/B0123ABCD/${TOKEN}\n` }, "data['service.webhook.slack'] secretlint/slack/IncomingWebhook"],
    ['a token in a header not on any list', { 'service.webhook.ci': `url: https://ci.example.com\nheaders:\n- name: X-Custom\n  value: ${TOKEN}\n` }, "data['service.webhook.ci'] (YAML) headers[0].value kubernetes/credential-header"],
    ['credentials under a credentials key', { 'service.opsgenie': 'apiUrl: https://api.opsgenie.com\ncredentials:\n  team-a: abc123\n' }, "data['service.opsgenie'] (YAML) credentials.team-a kubernetes/credential-field"],
    ['credentials under apiKeys', { 'service.opsgenie': 'apiUrl: https://api.opsgenie.com\napiKeys:\n- abc123\n' }, "data['service.opsgenie'] (YAML) apiKeys[0] kubernetes/credential-field"],
    ['a password in a nested object', { 'service.email': 'host: smtp.example.com\nauth:\n  smtp:\n    password: hunter2\n' }, "data['service.email'] (YAML) auth.smtp.password kubernetes/credential-field"],
  ])('fails when notifications hold %s', (_name, data, at) => {
    const { app: a, chart } = app();
    notifications(data)(chart);
    expect(where(a).filter((w) => w.includes(at.split(' ').pop()!))).toEqual([`[prod/n] prod/configmap_production_argocd-notifications-cm.yaml ${at}`]);
  });

  test('passes notifications that refer to argocd-notifications-secret', () => {
    const { app: a, chart } = app();
    notifications({
      'service.slack': 'token: $slack-token\n',
      'service.webhook.ci': 'url: https://ci.example.com\nheaders:\n- name: Authorization\n  value: Bearer $ci-token\n- name: X-Custom\n  value: $ci-custom\n',
    })(chart);
    expect(problems(a)).toEqual([]);
  });

  const application = (source: any) => (chart: Chart) => new ApiObject(chart, 'app', {
    apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'db', namespace: 'argocd' },
    spec: { project: 'default', source: { targetRevision: '1.0.0', ...source }, destination: { server: 'https://kubernetes.default.svc' } },
  });
  test.each([
    ['a repository URL with user:password@', { repoURL: 'https://git:hunter2@git.example.com/org/repo.git', path: '.' }, 'spec.source.repoURL kubernetes/url-credentials, secretlint/basicauth/BasicAuth'],
    ['Helm values holding a password', { repoURL: 'https://charts.example.com', chart: 'db', helm: { values: 'auth:\n  password: hunter2\n' } }, 'spec.source.helm.values (YAML) auth.password kubernetes/credential-field'],
    ['Helm valuesObject holding a password', { repoURL: 'https://charts.example.com', chart: 'db', helm: { valuesObject: { auth: { password: 'hunter2' } } } }, 'spec.source.helm.valuesObject.auth.password kubernetes/credential-field'],
    ['a Helm parameter holding a password', { repoURL: 'https://charts.example.com', chart: 'db', helm: { parameters: [{ name: 'auth.password', value: 'hunter2' }] } }, 'spec.source.helm.parameters[0].value kubernetes/credential-field'],
  ])('fails when an Application holds %s', (_name, source, at) => {
    const { app: a, chart } = app();
    application(source)(chart);
    expect(where(a)).toEqual([`[prod/app] prod/application_argocd_db.yaml ${at}`]);
  });

  test('fails when an ExternalSecret template holds a literal secret', () => {
    const { app: a, chart } = app();
    new ExternalSecret(chart, 'db', {
      name: 'db', store: ClusterSecretStore.fromName(chart, 's', 'aws'),
      data: [{ secretKey: 'user', remoteKey: 'db' }],
      template: { data: { user: '{{ .user }}', password: 'hunter2' } },
    });
    expect(where(a)).toEqual(['[prod/db/Resource] prod/externalsecret_production_db.yaml spec.target.template.data.password kubernetes/credential-field']);
  });
});
