import { Testing } from 'cdk8s';
import { describe, expect, test } from 'vitest';
import { loadYamlDocuments } from '../../lib/_internal/yaml';
import { AppProject } from '../../lib/argocd/app-project';
import { Application } from '../../lib/argocd/application';
import { ApplicationSource } from '../../lib/argocd/application-source';
import { Destination } from '../../lib/argocd/destination';
import { NotificationSecretKey, NotificationService } from '../../lib/notifications/notification-service';
import { NotificationsConfig } from '../../lib/notifications/notifications-config';
import { NotificationSubscription } from '../../lib/notifications/subscription';
import { schemaProblems } from '../support/crds';
import { loadSeed } from '../support/seeds';

/** Parses every data value as YAML, and JSON strings nested in them, for comparison. */
function deepParse(value: any): any {
  if (typeof value === 'string') {
    const trimmed = value.trim();
    if (/^[[{]/.test(trimmed) || value.includes('\n')) {
      try {
        const [doc] = loadYamlDocuments(value);
        if (doc !== null && typeof doc === 'object') return deepParse(doc);
      } catch { /* a plain string */ }
    }
    return value;
  }
  if (Array.isArray(value)) return value.map(deepParse);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, deepParse(v)]));
  return value;
}

describe('NotificationsConfig', () => {
  test('reproduces seed 11', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    const cm = new NotificationsConfig(chart, 'notifications', {
      services: [NotificationService.slack({ token: NotificationSecretKey.of('slack-token') })],
      subscriptions: [{ recipients: ['slack:deployments'], triggers: ['on-sync-succeeded', 'on-sync-failed', 'on-health-degraded'] }],
    });
    cm.addTemplate('app-sync-succeeded', {
      slack: {
        attachments: [{
          color: '#18be52',
          title: '{{.app.metadata.name}} synced successfully',
          fields: [
            { title: 'Repository', value: '{{.app.spec.source.repoURL}}', short: true },
            { title: 'Revision', value: '{{.app.status.sync.revision}}', short: true },
          ],
        }],
      },
    });
    cm.addTrigger('on-sync-succeeded', [{ when: "app.status.sync.status == 'Synced'", send: ['app-sync-succeeded'] }]);
    // THEN
    const [m] = Testing.synth(chart);
    const [seed] = loadSeed('11-notifications.yaml');
    expect(Object.keys(m.data).sort()).toEqual(Object.keys(seed.data).sort());
    expect(deepParse(m)).toEqual(deepParse(seed));
    expect(m.data['service.slack']).toBe('token: $slack-token\n');
  });

  test('webhook, email and teams services keep credentials as $references', () => {
    const chart = Testing.chart();
    new NotificationsConfig(chart, 'n', {
      context: { argocdUrl: 'https://argocd.example.com' },
      defaultTriggers: ['on-sync-status-unknown'],
      services: [
        NotificationService.webhook('github', {
          url: 'https://api.github.com',
          headers: [{ name: 'Authorization', value: 'token $github-token' }, { name: 'Content-Type', value: 'application/json' }],
        }),
        NotificationService.email({ host: 'smtp.example.com', port: 587, from: 'argocd@example.com', username: 'argocd', password: NotificationSecretKey.of('email-password') }),
        NotificationService.teams({ recipientUrls: { platform: NotificationSecretKey.of('teams-platform-url') } }),
      ],
    });
    const [m] = Testing.synth(chart);
    expect(deepParse(m.data)).toEqual({
      'context': { argocdUrl: 'https://argocd.example.com' },
      'defaultTriggers': ['on-sync-status-unknown'],
      'service.webhook.github': {
        url: 'https://api.github.com',
        headers: [{ name: 'Authorization', value: 'token $github-token' }, { name: 'Content-Type', value: 'application/json' }],
      },
      'service.email': { host: 'smtp.example.com', port: 587, from: 'argocd@example.com', username: 'argocd', password: '$email-password' },
      'service.teams': { recipientUrls: { platform: '$teams-platform-url' } },
    });
  });

  test('a trigger with oncePer and a template with message and email', () => {
    const chart = Testing.chart();
    const cm = new NotificationsConfig(chart, 'n');
    cm.addTemplate('deployed', { message: 'deployed {{.app.metadata.name}}', email: { subject: 'deployed' } });
    cm.addTrigger('on-deployed', [{ when: "app.status.operationState.phase in ['Succeeded']", send: ['deployed'], oncePer: 'app.status.sync.revision' }]);
    const [m] = Testing.synth(chart);
    expect(deepParse(m.data['trigger.on-deployed'])).toEqual([{ when: "app.status.operationState.phase in ['Succeeded']", send: ['deployed'], oncePer: 'app.status.sync.revision' }]);
    expect(deepParse(m.data['template.deployed'])).toEqual({ message: 'deployed {{.app.metadata.name}}', email: { subject: 'deployed' } });
  });

  test('fails when a trigger sends a template that does not exist', () => {
    const chart = Testing.chart();
    const cm = new NotificationsConfig(chart, 'n');
    cm.addTemplate('a', { message: 'x' });
    cm.addTrigger('on-x', [{ when: 'true', send: ['missing'] }]);
    expect(() => Testing.synth(chart)).toThrow("trigger.on-x[0].send 'missing' is not a template of this ConfigMap (templates: a); add it with addTemplate() (Python: add_template(), Go: AddTemplate())");
  });

  test('fails when a credential header is given in plain text', () => {
    expect(() => NotificationService.webhook('hook', { url: 'https://x', headers: [{ name: 'Authorization', value: 'Bearer abc' }] }))
      .toThrow("service.webhook.hook.headers[0].value '<redacted>' of header 'Authorization' carries a credential in plain text; keep it in argocd-notifications-secret and refer to it");
  });

  test('fails when a custom service holds a plaintext token', () => {
    expect(() => NotificationService.custom('service.opsgenie', { apiUrl: 'https://api.opsgenie.com', apiKeys: { team: 'abc' }, token: 'plain' }))
      .toThrow("service.opsgenie.token '<redacted>' is a credential in plain text; keep it in argocd-notifications-secret");
    expect(NotificationService.custom('service.opsgenie', { token: '$opsgenie-token' }).name).toBe('opsgenie');
  });

  test('fails when a service is configured twice', () => {
    const chart = Testing.chart();
    const slack = NotificationService.slack({ token: NotificationSecretKey.of('t') });
    expect(() => new NotificationsConfig(chart, 'n', { services: [slack, slack] })).toThrow("[test/n] service.slack 'slack' is already configured");
  });
});

describe('NotificationSubscription', () => {
  test('writes subscribe annotations on an Application, merging recipients', () => {
    const chart = Testing.chart();
    const app = new Application(chart, 'api', {
      project: AppProject.fromProjectName(chart, 'p', 'default'),
      source: ApplicationSource.git({ repoUrl: 'https://github.com/myorg/infra.git', path: 'apps/api' }),
      destination: Destination.inCluster('api'),
    });
    NotificationSubscription.of({ trigger: 'on-sync-failed', service: 'slack', recipients: ['api-team'] }).applyTo(app);
    NotificationSubscription.of({ trigger: 'on-sync-failed', service: 'slack', recipients: ['oncall', 'api-team'] }).applyTo(app);
    NotificationSubscription.of({ trigger: 'on-deployed', service: 'github', recipients: [''.concat('x')] }).applyTo(app);
    const manifests = Testing.synth(chart);
    expect(schemaProblems(manifests)).toEqual([]);
    expect(manifests[0].metadata.annotations).toEqual({
      'notifications.argoproj.io/subscribe.on-sync-failed.slack': 'api-team;oncall',
      'notifications.argoproj.io/subscribe.on-deployed.github': 'x',
    });
  });

  test('fails when a recipient holds a separator', () => {
    expect(() => NotificationSubscription.of({ trigger: 'on-x', service: 'slack', recipients: ['a;b'] }))
      .toThrow("subscription recipients[0] 'a;b' contains ';', which separates recipients; give each recipient on its own");
  });
});
