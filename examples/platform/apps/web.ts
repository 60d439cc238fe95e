// The web front end: static assets served by nginx, configured to call the api of its environment.
import { Chart, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Environment, IChartBuilder, Versions, WavePolicy } from '../../../lib';
import { EnvName, SETTINGS } from '../config';

const PORT = 8080;

/** Builds apps/web/<env>/ for every environment (used with `Environment.addApp()`). */
export class Web implements IChartBuilder {
  constructor(private readonly versions: Versions) {}

  public buildChart(chart: Chart, environment: Environment): void {
    const env = environment.name as EnvName;
    const s = SETTINGS[env];

    WavePolicy.of(chart, { ConfigMap: 0, Deployment: 1, Service: 2, Ingress: 3 });

    // read by the single-page app at start-up
    const config = new kplus.ConfigMap(chart, 'config', {
      metadata: { name: 'web-config' },
      data: {
        'config.json': JSON.stringify({ apiUrl: `https://api.${s.domain}`, environment: env }, null, 2) + '\n',
      },
    });

    const deployment = new kplus.Deployment(chart, 'deployment', {
      metadata: { name: 'web', labels: { 'app.kubernetes.io/name': 'web' } },
      replicas: s.replicas,
      containers: [{
        name: 'web',
        image: `ghcr.io/myorg/web:${this.versions.get('web', env)}`,
        portNumber: PORT,
        resources: {
          cpu: { request: kplus.Cpu.millis(50), limit: kplus.Cpu.millis(200) },
          memory: { request: Size.mebibytes(64), limit: Size.mebibytes(128) },
        },
        readiness: kplus.Probe.fromHttpGet('/', { port: PORT }),
        // nginx writes its cache and pid file; the root file system stays read-only
        volumeMounts: [
          { path: '/usr/share/nginx/html/config', volume: kplus.Volume.fromConfigMap(chart, 'config-volume', config) },
          { path: '/var/cache/nginx', volume: kplus.Volume.fromEmptyDir(chart, 'cache', 'cache') },
          { path: '/var/run', volume: kplus.Volume.fromEmptyDir(chart, 'run', 'run') },
        ],
      }],
    });

    const service = deployment.exposeViaService({ name: 'web', ports: [{ port: 80, targetPort: PORT }] });

    const host = env === 'production' ? `www.${s.domain}` : `web.${s.domain}`;
    new kplus.Ingress(chart, 'ingress', {
      metadata: { name: 'web', annotations: { 'cert-manager.io/cluster-issuer': 'letsencrypt' } },
      className: 'nginx',
      rules: [{ host, path: '/', pathType: kplus.HttpIngressPathType.PREFIX, backend: kplus.IngressBackend.fromService(service) }],
      tls: [{ hosts: [host], secret: kplus.Secret.fromSecretName(chart, 'tls', 'web-tls') }],
    });
  }
}
