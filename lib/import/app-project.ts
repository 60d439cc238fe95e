// An AppProject as `new AppProject(chart, id, {...})`: repositories, destinations, allow and deny
// lists, orphaned resources, signature keys, then `addRole()` with the policy lines rebuilt
// through the RBAC builder (`RolePolicy.allow({ resource, action, object })`) and `addSyncWindow()`.
// A policy line the builder would not write back character for character is left to the patch.
import { Code, defined } from './_code';
import { ImportContext, ImportedConstruct } from './_context';
import { duration } from './application';
import { metadataProps, syncWaveStatements } from './metadata';
import { render } from './_code';
import { CLUSTER_RESOURCE_KIND, DESTINATION_SERVICE_ACCOUNT, ORPHANED_RESOURCES, RESOURCE_KIND, pick, pickList } from './_shape';
import { NotExpressible } from './_context';

const isObject = (v: unknown): v is { [k: string]: any } => v !== null && typeof v === 'object' && !Array.isArray(v);

const RESOURCES: { [wire: string]: string } = {
  applications: 'APPLICATIONS', applicationsets: 'APPLICATION_SETS', repositories: 'REPOSITORIES',
  clusters: 'CLUSTERS', logs: 'LOGS', exec: 'EXEC',
};
const ACTIONS: { [wire: string]: string } = {
  'get': 'GET', 'create': 'CREATE', 'update': 'UPDATE', 'delete': 'DELETE', 'sync': 'SYNC', 'override': 'OVERRIDE', '*': 'ALL',
};
const OBJECT_PART = /^[*A-Za-z0-9_.-]+$/;

/** `AppProject` props and its roles and sync windows from an AppProject object. */
export function importAppProject(ctx: ImportContext, obj: any): ImportedConstruct {
  const spec = isObject(obj.spec) ? obj.spec : {};
  const meta = metadataProps(obj, { defaultNamespace: 'argocd' });
  const P = () => ctx.lib('ProjectDestination');
  const destinations = Array.isArray(spec.destinations) && spec.destinations.every((d: any) => isObject(d))
    ? spec.destinations.map((d: any) => {
      const ns = typeof d.namespace === 'string' ? [d.namespace] : [];
      if (typeof d.server === 'string' && d.name === undefined) {
        return d.server === 'https://kubernetes.default.svc' ? Code.call(`${P()}.inCluster`, ...ns) : Code.call(`${P()}.server`, d.server, ...ns);
      }
      if (typeof d.name === 'string' && d.server === undefined) return Code.call(`${P()}.clusterName`, d.name, ...ns);
      return undefined;
    })
    : undefined;
  const props = defined({
    ...meta.props,
    description: spec.description,
    sourceRepos: spec.sourceRepos,
    sourceNamespaces: spec.sourceNamespaces,
    destinations: destinations && destinations.every((d: unknown) => d !== undefined) ? destinations : undefined,
    destinationServiceAccounts: pickList(spec.destinationServiceAccounts, DESTINATION_SERVICE_ACCOUNT, 'spec.destinationServiceAccounts'),
    clusterResourceWhitelist: pickList(spec.clusterResourceWhitelist, CLUSTER_RESOURCE_KIND, 'spec.clusterResourceWhitelist'),
    clusterResourceBlacklist: pickList(spec.clusterResourceBlacklist, CLUSTER_RESOURCE_KIND, 'spec.clusterResourceBlacklist'),
    namespaceResourceWhitelist: pickList(spec.namespaceResourceWhitelist, RESOURCE_KIND, 'spec.namespaceResourceWhitelist'),
    namespaceResourceBlacklist: pickList(spec.namespaceResourceBlacklist, RESOURCE_KIND, 'spec.namespaceResourceBlacklist'),
    orphanedResources: isObject(spec.orphanedResources) ? pick(spec.orphanedResources, ORPHANED_RESOURCES, 'spec.orphanedResources') : undefined,
    signatureKeys: Array.isArray(spec.signatureKeys) && spec.signatureKeys.every((k: any) => isObject(k) && typeof k.keyID === 'string')
      ? spec.signatureKeys.map((k: any) => k.keyID) : undefined,
    permitOnlyProjectScopedClusters: spec.permitOnlyProjectScopedClusters,
  });
  const projectName = typeof obj.metadata?.name === 'string' ? obj.metadata.name : '';
  const wave = syncWaveStatements(ctx, meta.wave);
  const after = (v: string): string[] => [
    ...(Array.isArray(spec.roles) ? spec.roles.filter(isObject).map((r: any) => roleStatement(ctx, v, projectName, r)) : []),
    ...(Array.isArray(spec.syncWindows) ? spec.syncWindows.filter(isObject).map((w: any) => windowStatement(ctx, v, w)) : []),
    ...(wave ? wave(v) : []),
  ];
  return { className: 'AppProject', module: 'cdk8s-argocd', props, after };
}

function roleStatement(ctx: ImportContext, v: string, project: string, role: any): string {
  const policies = Array.isArray(role.policies)
    ? role.policies.map((line: unknown) => policy(ctx, project, String(role.name), line)).filter((p: Code | undefined) => p !== undefined)
    : [];
  const options = defined({
    description: role.description,
    groups: Array.isArray(role.groups) && role.groups.length > 0 ? role.groups : undefined,
    policies: policies.length > 0 ? policies : undefined,
  });
  const head = `${v}.addRole(${render(String(role.name), 0)}`;
  return Object.keys(options).length === 0 ? `${head});` : `${head}, ${render(options, 0, head.length + 2)});`;
}

/** A policy line as a `RolePolicy`, when the builder writes it back exactly. */
function policy(ctx: ImportContext, project: string, role: string, line: unknown): Code | undefined {
  if (typeof line !== 'string') return undefined;
  const parts = line.split(', ');
  if (parts.length !== 6 || parts[0] !== 'p' || parts[1] !== `proj:${project}:${role}`) return undefined;
  const [, , resource, action, object, effect] = parts;
  if (!RESOURCES[resource] || (effect !== 'allow' && effect !== 'deny')) return undefined;
  const objectParts = object.split('/');
  if (objectParts[0] !== project || objectParts.length < 2 || objectParts.length > 3 || !objectParts.slice(1).every((p) => OBJECT_PART.test(p))) return undefined;
  const A = ctx.lib('PolicyAction');
  let act: Code;
  const sub = /^(action|update|delete)\/(.+)$/.exec(action);
  if (ACTIONS[action]) act = Code.ref(`${A}.${ACTIONS[action]}`);
  else if (sub && resource === 'applications') act = Code.call(`${A}.${sub[1] === 'action' ? 'action' : sub[1] === 'update' ? 'updateResource' : 'deleteResource'}`, sub[2]);
  else return undefined;
  const options = defined({
    resource: Code.ref(`${ctx.lib('PolicyResource')}.${RESOURCES[resource]}`),
    action: act,
    object: objectParts[objectParts.length - 1] === '*' ? undefined : objectParts[objectParts.length - 1],
    appNamespace: objectParts.length === 3 ? objectParts[1] : undefined,
  });
  return Code.call(`${ctx.lib('RolePolicy')}.${effect}`, options);
}

function windowStatement(ctx: ImportContext, v: string, w: any): string {
  if ((w.kind !== 'allow' && w.kind !== 'deny') || typeof w.schedule !== 'string' || duration(ctx, w.duration) === undefined) {
    throw new NotExpressible('a sync window without a kind, schedule or duration the library can say');
  }
  const lists = ['applications', 'namespaces', 'clusters'];
  if (lists.some((l) => w[l] !== undefined && !(Array.isArray(w[l]) && w[l].every((x: unknown) => typeof x === 'string')))) {
    throw new NotExpressible('a sync window whose applications, namespaces or clusters are not lists of strings');
  }
  const options = defined({
    kind: Code.ref(`${ctx.lib('SyncWindowKind')}.${w.kind === 'allow' ? 'ALLOW' : 'DENY'}`),
    schedule: w.schedule,
    duration: duration(ctx, w.duration),
    applications: w.applications,
    namespaces: w.namespaces,
    clusters: w.clusters,
    manualSync: w.manualSync,
    timeZone: w.timeZone,
    andOperator: w.andOperator,
    syncOverrun: w.syncOverrun,
    description: w.description,
  });
  const head = `${v}.addSyncWindow(`;
  return `${head}${render(options, 0, head.length)});`;
}
