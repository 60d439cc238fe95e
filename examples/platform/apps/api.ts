// The api: a Go service behind an Ingress, with a PostgreSQL database whose schema is migrated
// before every sync and a smoke test after it. Written once to apps/api/<env>/ per environment;
// the api ApplicationSet (see platform.ts) deploys that directory to the environment's cluster.
import { Chart, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  ClusterSecretStore, CreationPolicy, ExternalSecret, Hook, HookDeletePolicy, HookJob, HookPhase,
  Versions, WavePolicy,
} from '../../../lib';
import { EnvName, SETTINGS } from '../config';
import { SECRET_STORE_NAME } from './secret-store';

/** The namespace the api runs in (the Applications' destination namespace). */
export const API_NAMESPACE = 'api';

const PORT = 8080;

/**
 * Adds the api's objects for one environment to `chart`.
 *
 * Objects carry no namespace: Argo CD puts them into the Application's destination namespace.
 */
export function buildApi(chart: Chart, env: EnvName, versions: Versions): void {
  const s = SETTINGS[env];
  const image = `ghcr.io/myorg/api:${versions.get('api', env)}`;

  // Sync order inside the app (seed 06): configuration first, then the workload, then the
  // objects that route traffic to it. Hooks below bring their own waves.
  WavePolicy.of(chart, { ConfigMap: 0, Deployment: 1, Service: 2, Ingress: 3 });

  const settings = { APP_ENV: env, DB_NAME: 'api' };
  const config = new kplus.ConfigMap(chart, 'config', {
    metadata: { name: 'api-config' },
    data: { ...settings, LOG_LEVEL: env === 'production' ? 'info' : 'debug', HTTP_PORT: String(PORT) },
  });

  // The database credentials come from AWS Secrets Manager (`<env>/api/database`, a JSON secret
  // with username, password and host) through the cluster's ClusterSecretStore; Git holds only
  // this reference.
  //
  // The migration below runs in PreSync, before any Sync-phase object exists, so the
  // ExternalSecret is a PreSync hook too, one wave earlier: Argo CD waits until it is healthy
  // (the Secret is written) before it starts the migration. Without that, the very first sync
  // would wait forever for a Secret that only the Sync phase creates. As a hook it is recreated on
  // every sync; `Orphan` keeps the Secret (and the running pods that use it) when that happens.
  const db = new ExternalSecret(chart, 'db', {
    name: 'api-db',
    store: ClusterSecretStore.fromName(chart, 'store', SECRET_STORE_NAME),
    refreshInterval: Duration.hours(1),
    creationPolicy: CreationPolicy.ORPHAN,
    data: [
      { secretKey: 'DB_USERNAME', remoteKey: `${env}/api/database`, property: 'username' },
      { secretKey: 'DB_PASSWORD', remoteKey: `${env}/api/database`, property: 'password' },
      { secretKey: 'DB_HOST', remoteKey: `${env}/api/database`, property: 'host' },
    ],
  });
  Hook.applyTo(db, { phases: [HookPhase.PRE_SYNC], deletePolicies: [HookDeletePolicy.BEFORE_HOOK_CREATION], wave: -1 });

  const envFrom = [kplus.Env.fromConfigMap(config), kplus.Env.fromSecret(db.targetSecret)];
  // the migration runs before the ConfigMap exists (it is a Sync-phase object), so it gets its
  // settings as plain values
  const migrationEnv = {
    envFrom: [kplus.Env.fromSecret(db.targetSecret)],
    envVariables: Object.fromEntries(Object.entries(settings).map(([k, v]) => [k, kplus.EnvValue.fromValue(v)])),
  };
  const resources = {
    cpu: { request: kplus.Cpu.millis(100), limit: kplus.Cpu.millis(500) },
    memory: { request: Size.mebibytes(128), limit: Size.mebibytes(256) },
  };

  // PreSync: migrate the schema with the new version's image before its pods start. A failed
  // migration stops the sync, and the old version keeps serving; the failed Job is kept for its
  // logs until the next sync replaces it.
  new HookJob(chart, 'migrate', {
    metadata: { name: 'api-migrate' },
    phase: HookPhase.PRE_SYNC,
    deletePolicies: [HookDeletePolicy.BEFORE_HOOK_CREATION, HookDeletePolicy.HOOK_SUCCEEDED],
    backoffLimit: 1,
    activeDeadline: Duration.minutes(10),
    containers: [{ name: 'migrate', image, command: ['/app/api', 'migrate', 'up'], ...migrationEnv, resources }],
  });

  const deployment = new kplus.Deployment(chart, 'deployment', {
    metadata: { name: 'api', labels: { 'app.kubernetes.io/name': 'api' } },
    replicas: s.replicas,
    containers: [{
      name: 'api',
      image,
      portNumber: PORT,
      envFrom,
      resources,
      readiness: kplus.Probe.fromHttpGet('/healthz', { port: PORT }),
      liveness: kplus.Probe.fromHttpGet('/healthz', { port: PORT }),
    }],
  });

  const service = deployment.exposeViaService({
    name: 'api',
    ports: [{ port: 80, targetPort: PORT }],
  });

  new kplus.Ingress(chart, 'ingress', {
    metadata: { name: 'api', annotations: { 'cert-manager.io/cluster-issuer': 'letsencrypt' } },
    className: 'nginx',
    rules: [{ host: `api.${s.domain}`, path: '/', pathType: kplus.HttpIngressPathType.PREFIX, backend: kplus.IngressBackend.fromService(service) }],
    tls: [{ hosts: [`api.${s.domain}`], secret: kplus.Secret.fromSecretName(chart, 'tls', 'api-tls') }],
  });

  // PostSync: once every object is synced and healthy, call the api through its Service. A failure
  // marks the sync failed (and notifies, see argocd-config.ts); the Job is deleted when it passes.
  new HookJob(chart, 'smoke-test', {
    metadata: { name: 'api-smoke-test' },
    phase: HookPhase.POST_SYNC,
    deletePolicies: [HookDeletePolicy.BEFORE_HOOK_CREATION, HookDeletePolicy.HOOK_SUCCEEDED],
    backoffLimit: 2,
    activeDeadline: Duration.minutes(5),
    containers: [{
      name: 'smoke-test',
      image: 'curlimages/curl:8.10.1',
      command: ['curl', '--fail', '--silent', '--show-error', '--retry', '5', '--retry-connrefused', `http://api.${API_NAMESPACE}.svc.cluster.local/healthz`],
      resources: { cpu: { request: kplus.Cpu.millis(10), limit: kplus.Cpu.millis(100) }, memory: { request: Size.mebibytes(16), limit: Size.mebibytes(64) } },
    }],
  });
}
