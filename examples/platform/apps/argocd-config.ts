// The configuration of the Argo CD that runs on the management cluster: notifications to Slack,
// with the Slack token fetched from AWS Secrets Manager into argocd-notifications-secret.
import { Chart, Duration } from 'cdk8s';
import {
  Environment, ExternalSecret, IChartBuilder, NotificationSecretKey, NotificationService,
  NotificationsConfig, SyncWave,
} from '../../../lib';
import { MANAGEMENT } from '../config';
import { buildSecretStore } from './secret-store';

/** The label every Application carries with its environment; subscriptions select on it. */
export const ENV_LABEL = 'env';

/** The Slack channel of production deployments. */
export const PRODUCTION_CHANNEL = 'prod-deployments';

/** Builds apps/argocd-config/management/. */
export class ArgoCdConfig implements IChartBuilder {
  public buildChart(chart: Chart, environment: Environment): void {
    const argocd = environment.repo.argoCdNamespace;

    // The hub's own store, for Argo CD's secrets only: only the argocd namespace may read from it.
    const store = buildSecretStore(chart, { name: 'argocd-aws-secrets-manager', region: MANAGEMENT.awsRegion, namespaces: [argocd] });
    SyncWave.of(-1).applyTo(store);

    // `$slack-token` in the ConfigMap below is a key of this Secret.
    new ExternalSecret(chart, 'notifications-secret', {
      name: 'argocd-notifications-secret',
      namespace: argocd,
      store,
      refreshInterval: Duration.hours(1),
      template: { labels: { 'app.kubernetes.io/part-of': 'argocd' } },
      data: [{ secretKey: 'slack-token', remoteKey: 'management/argocd/notifications', property: 'slack-token' }],
    });

    const notifications = new NotificationsConfig(chart, 'notifications', {
      namespace: argocd,
      context: { argocdUrl: MANAGEMENT.argoCdUrl },
      services: [NotificationService.slack({ token: NotificationSecretKey.of('slack-token'), username: 'Argo CD', icon: ':argo:' })],
      // every production Application reports to the deployments channel (the teams subscribe
      // their own channels with annotations on their Applications)
      subscriptions: [{
        recipients: [`slack:${PRODUCTION_CHANNEL}`],
        triggers: ['on-sync-succeeded', 'on-sync-failed', 'on-health-degraded', 'on-out-of-sync'],
        selector: `${ENV_LABEL}=production`,
      }],
    });

    const fields = [
      { title: 'Revision', value: '{{.app.status.sync.revision}}', short: true },
      { title: 'Destination', value: '{{.app.spec.destination.server}}/{{.app.spec.destination.namespace}}', short: true },
    ];
    const link = '{{.context.argocdUrl}}/applications/{{.app.metadata.name}}';
    notifications.addTemplate('app-sync-succeeded', {
      message: `{{.app.metadata.name}} is synced: ${link}`,
      slack: { attachments: [{ color: '#18be52', title: '{{.app.metadata.name}} synced successfully', title_link: link, fields }] },
    });
    notifications.addTemplate('app-sync-failed', {
      message: `Sync of {{.app.metadata.name}} failed: {{.app.status.operationState.message}} ${link}`,
      slack: { attachments: [{ color: '#e01e5a', title: 'Sync of {{.app.metadata.name}} failed', title_link: link, text: '{{.app.status.operationState.message}}', fields }] },
    });
    notifications.addTemplate('app-health-degraded', {
      message: `{{.app.metadata.name}} is degraded: ${link}`,
      slack: { attachments: [{ color: '#f4c030', title: '{{.app.metadata.name}} is degraded', title_link: link, fields }] },
    });
    // production syncs by hand: tell the channel that a change waits for someone to sync it
    notifications.addTemplate('app-out-of-sync', {
      message: `{{.app.metadata.name}} is out of sync with Git and waits for a manual sync: ${link}`,
      slack: { attachments: [{ color: '#439fe0', title: '{{.app.metadata.name}} waits for a sync', title_link: link, fields }] },
    });

    notifications.addTrigger('on-sync-succeeded', [{
      when: "app.status.operationState != nil and app.status.operationState.phase in ['Succeeded']",
      send: ['app-sync-succeeded'],
      oncePer: 'app.status.sync.revision',
    }]);
    notifications.addTrigger('on-sync-failed', [{
      when: "app.status.operationState != nil and app.status.operationState.phase in ['Error', 'Failed']",
      send: ['app-sync-failed'],
      oncePer: 'app.status.sync.revision',
    }]);
    notifications.addTrigger('on-health-degraded', [{ when: "app.status.health.status == 'Degraded'", send: ['app-health-degraded'] }]);
    notifications.addTrigger('on-out-of-sync', [{
      when: "app.status.sync.status == 'OutOfSync'",
      send: ['app-out-of-sync'],
      oncePer: 'app.status.sync.revision',
    }]);
  }
}
