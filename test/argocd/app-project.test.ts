import * as fs from 'fs';
import * as path from 'path';
import { Duration, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import * as yaml from 'js-yaml';
import { describe, expect, test } from 'vitest';
import { AppProject, ProjectDestination, SyncWindowKind } from '../../lib/argocd/app-project';
import { PolicyAction, PolicyResource, RolePolicy } from '../../lib/argocd/rbac';
import { GpgVerificationMode } from '../../lib/argocd/source-integrity';
import { ValidationError } from '../../lib/errors';
import { schemaProblems } from '../support/crds';

const SEED = path.join(__dirname, '..', 'fixtures', 'seeds', '08-appproject.yaml');

function synth(build: (chart: any) => void): any[] {
  const chart = Testing.chart();
  build(chart);
  const out = Testing.synth(chart);
  expect(schemaProblems(out)).toEqual([]);
  return out;
}

function project(props: any = {}, id = 'team-a'): { chart: any; p: AppProject } {
  const chart = Testing.chart();
  const p = new AppProject(chart, id, props);
  return { chart, p };
}

const APPS_GET = RolePolicy.allow({ resource: PolicyResource.APPLICATIONS, action: PolicyAction.GET });

describe('AppProject', () => {
  test('reproduces seed 08 with the typed API', () => {
    // GIVEN the seed's two projects written with the typed API
    const out = synth((chart) => {
      const production = new AppProject(chart, 'production', {
        description: 'Production environment project',
        sourceRepos: ['https://github.com/myorg/*', 'https://charts.example.com'],
        destinations: [
          ProjectDestination.inCluster('production'),
          ProjectDestination.server('https://us-east.k8s.example.com', 'production'),
        ],
        clusterResourceWhitelist: [{ group: '', kind: 'Namespace' }],
        namespaceResourceWhitelist: [
          { group: 'apps', kind: 'Deployment' },
          { group: '', kind: 'Service' },
          { group: 'networking.k8s.io', kind: 'Ingress' },
        ],
      });
      production.addRole('developer', {
        description: 'Developer access',
        policies: [
          RolePolicy.allow({ resource: PolicyResource.APPLICATIONS, action: PolicyAction.GET }),
          RolePolicy.allow({ resource: PolicyResource.APPLICATIONS, action: PolicyAction.SYNC }),
        ],
        groups: ['dev-team'],
      });
      production.addRole('admin', { description: 'Admin access', groups: ['platform-team'] })
        .addPolicy(RolePolicy.allow({ resource: PolicyResource.APPLICATIONS, action: PolicyAction.ALL }));

      const myapp = new AppProject(chart, 'myapp', {
        description: 'MyApp Project',
        sourceRepos: ['https://github.com/example/*', 'https://charts.example.com'],
        destinations: [ProjectDestination.inCluster('myapp-*')],
        namespaceResourceBlacklist: [{ group: '', kind: 'ResourceQuota' }, { group: '', kind: 'LimitRange' }],
      });
      myapp.addRole('developer', { groups: ['myapp-developers'] })
        .addPolicy(RolePolicy.allow({ resource: PolicyResource.APPLICATIONS, action: PolicyAction.ALL }));
    });
    // THEN the objects equal the seed's documents
    const seed = yaml.loadAll(fs.readFileSync(SEED, 'utf8'));
    expect(out).toEqual(seed);
  });

  test('defaults: name from the id, namespace argocd, empty spec', () => {
    const out = synth((chart) => new AppProject(chart, 'team-a'));
    expect(out).toEqual([{ apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: 'team-a', namespace: 'argocd' }, spec: {} }]);
  });

  test('mutators called after construction reach the output', () => {
    const { chart, p } = project({ name: 'payments', namespace: 'gitops', labels: { team: 'a' } });
    p.addSourceRepo('https://git.example.com/*');
    p.addSourceRepo('!https://git.example.com/secret/*');
    p.addSourceNamespace('team-a-*');
    p.addDestination(ProjectDestination.clusterName('prod-*', '!kube-system'));
    p.addDestinationServiceAccount({ server: '*', namespace: 'team-a', defaultServiceAccount: 'deployer' });
    p.allowClusterResource({ group: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'team-a-*' });
    p.denyClusterResource({ group: '*', kind: 'CustomResourceDefinition' });
    p.allowNamespaceResource({ group: '*', kind: '*' });
    p.denyNamespaceResource({ group: '', kind: 'ResourceQuota' });
    p.addSignatureKey('4AEE18F83AFDEB23');
    const role = p.addRole('ci');
    role.addPolicy(RolePolicy.deny({ resource: PolicyResource.APPLICATIONS, action: PolicyAction.DELETE, object: 'db-*', appNamespace: 'team-a' }));
    role.addPolicy(RolePolicy.allow({ resource: PolicyResource.APPLICATIONS, action: PolicyAction.action('apps/Deployment/restart') }));
    role.addPolicy(RolePolicy.allow({ resource: PolicyResource.APPLICATIONS, action: PolicyAction.updateResource('*/Pod/*/*') }));
    role.addPolicy(RolePolicy.allow({ resource: PolicyResource.LOGS, action: PolicyAction.GET }));
    role.addPolicy(RolePolicy.allow({ resource: PolicyResource.EXEC, action: PolicyAction.CREATE }));
    role.addGroup('"org, team"');
    p.addSyncWindow({
      kind: SyncWindowKind.DENY,
      schedule: '0 22 * * *',
      duration: Duration.minutes(90),
      applications: ['*'],
      manualSync: true,
      timeZone: 'Europe/Berlin',
      andOperator: false,
      description: 'nightly freeze',
    });
    const out = Testing.synth(chart);
    expect(schemaProblems(out)).toEqual([]);
    expect(out[0].metadata).toEqual({ name: 'payments', namespace: 'gitops', labels: { team: 'a' } });
    expect(out[0].spec).toEqual({
      sourceRepos: ['https://git.example.com/*', '!https://git.example.com/secret/*'],
      sourceNamespaces: ['team-a-*'],
      destinations: [{ name: 'prod-*', namespace: '!kube-system' }],
      destinationServiceAccounts: [{ server: '*', namespace: 'team-a', defaultServiceAccount: 'deployer' }],
      clusterResourceWhitelist: [{ group: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'team-a-*' }],
      clusterResourceBlacklist: [{ group: '*', kind: 'CustomResourceDefinition' }],
      namespaceResourceWhitelist: [{ group: '*', kind: '*' }],
      namespaceResourceBlacklist: [{ group: '', kind: 'ResourceQuota' }],
      signatureKeys: [{ keyID: '4AEE18F83AFDEB23' }],
      roles: [{
        name: 'ci',
        policies: [
          'p, proj:payments:ci, applications, delete, payments/team-a/db-*, deny',
          'p, proj:payments:ci, applications, action/apps/Deployment/restart, payments/*, allow',
          'p, proj:payments:ci, applications, update/*/Pod/*/*, payments/*, allow',
          'p, proj:payments:ci, logs, get, payments/*, allow',
          'p, proj:payments:ci, exec, create, payments/*, allow',
        ],
        groups: ['"org, team"'],
      }],
      syncWindows: [{
        kind: 'deny', schedule: '0 22 * * *', duration: '1h30m', applications: ['*'], manualSync: true,
        timeZone: 'Europe/Berlin', andOperator: false, description: 'nightly freeze',
      }],
    });
    expect(p.sourceRepos).toEqual(['https://git.example.com/*', '!https://git.example.com/secret/*']);
    expect(role.policies).toHaveLength(5);
    expect(role.groups).toEqual(['"org, team"']);
  });

  test('orphanedResources and permitOnlyProjectScopedClusters', () => {
    const out = synth((chart) => new AppProject(chart, 'p', {
      orphanedResources: { warn: true, ignore: [{ kind: 'ConfigMap', name: 'kube-root-ca.crt' }] },
      permitOnlyProjectScopedClusters: true,
    }));
    expect(out[0].spec).toEqual({
      orphanedResources: { warn: true, ignore: [{ kind: 'ConfigMap', name: 'kube-root-ca.crt' }] },
      permitOnlyProjectScopedClusters: true,
    });
  });

  test('an empty orphanedResources turns monitoring on', () => {
    const out = synth((chart) => new AppProject(chart, 'p', { orphanedResources: {} }));
    expect(out[0].spec).toEqual({ orphanedResources: {} });
  });

  test('sync window durations render as Go durations', () => {
    const { chart, p } = project();
    p.addSyncWindow({ kind: SyncWindowKind.ALLOW, schedule: '0 0 * * *', duration: Duration.hours(1), namespaces: ['prod'] });
    p.addSyncWindow({ kind: SyncWindowKind.ALLOW, schedule: '0 6 * * 1-5', duration: Duration.minutes(30), clusters: ['in-cluster'] });
    p.addSyncWindow({ kind: SyncWindowKind.ALLOW, schedule: '0 6 * * MON', duration: Duration.seconds(45), clusters: ['x'], syncOverrun: true });
    const out = Testing.synth(chart);
    expect(schemaProblems(out)).toEqual([]);
    expect(out[0].spec.syncWindows.map((w: any) => w.duration)).toEqual(['1h', '30m', '45s']);
  });

  test('isAppProject and fromProjectName', () => {
    const { chart, p } = project();
    const ext = AppProject.fromProjectName(chart, 'Default', 'default');
    expect(AppProject.isAppProject(p)).toBe(true);
    expect(AppProject.isAppProject(ext)).toBe(false);
    expect(ext.projectName).toBe('default');
    expect(ext.external).toBe(true);
    expect(p.external).toBe(false);
    expect(p.projectName).toBe('team-a');
    // an imported project writes nothing
    expect(Testing.synth(chart)).toHaveLength(1);
  });
});

describe('AppProject source integrity', () => {
  test('writes Git integrity policies, valid against the CRD', () => {
    const [m] = synth((chart) => {
      const p = new AppProject(chart, 'team-a', {
        sourceRepos: ['https://github.com/myorg/*'],
        gitIntegrityPolicies: [{ repos: ['https://github.com/myorg/*'], gpgMode: GpgVerificationMode.STRICT, gpgKeys: ['4AEE18F83AFDEB23'] }],
      });
      p.addGitIntegrityPolicy({ repos: ['https://github.com/vendor/*', 'https://gitlab.com/vendor/*'], gpgMode: GpgVerificationMode.NONE });
    });
    expect(m.spec.sourceIntegrity).toEqual({
      git: {
        policies: [
          { repos: [{ url: 'https://github.com/myorg/*' }], gpg: { mode: 'strict', keys: ['4AEE18F83AFDEB23'] } },
          { repos: [{ url: 'https://github.com/vendor/*' }, { url: 'https://gitlab.com/vendor/*' }], gpg: { mode: 'none', keys: [] } },
        ],
      },
    });
    expect(m.spec.signatureKeys).toBeUndefined();
  });
});

describe('AppProject errors', () => {
  const cases: Array<[string, () => void, string]> = [
    ['the name is not a DNS-1123 subdomain', () => project({}, 'Team_A'),
      "[test/Team_A] metadata.name 'Team_A' is not a valid Kubernetes name; use at most 253 lowercase letters, digits, '-' and '.', starting and ending with a letter or digit"],
    ['the namespace is invalid', () => project({ namespace: 'Argo CD' }),
      "[test/team-a] metadata.namespace 'Argo CD' is not a valid namespace; use at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit"],
    ['a source repo is added twice', () => project({ sourceRepos: ['https://a/*', 'https://a/*'] }),
      "[test/team-a] spec.sourceRepos[1] 'https://a/*' is already in the project (Argo CD rule: source repository 'https://a/*' already added); add it once"],
    ['a source repo is !*', () => project({ sourceRepos: ['!*'] }),
      "[test/team-a] spec.sourceRepos[0] '!*' is rejected by Argo CD (rule: source repository has an invalid format, '!*'); to permit no repository, leave sourceRepos empty"],
    ['a source repo is not a valid glob', () => project({ sourceRepos: ['https://a/[abc'] }),
      "[test/team-a] spec.sourceRepos[0] 'https://a/[abc' is not a valid glob (unexpected end of input); Argo CD would match nothing with it; close the '[' or escape it with '\\'"],
    // gobwas/glob's Row matcher slices past the end of the text for these: Argo CD's request fails
    ['a destination server leaves a brace open', () => project({ destinations: [ProjectDestination.server('https://kubernetes.default.svc{', 'ns')] }),
      "[test/team-a] spec.destinations[0].server 'https://kubernetes.default.svc{' makes Argo CD's glob matcher (gobwas/glob) panic (runtime error: slice bounds out of range [30:31] with length 30, matching \"https://kubernetes.default.svc\" against \"https://kubernetes.default.svc{\"), which fails the Argo CD request or sync that matches it; write the pattern without empty alternatives (`{,}`, `{a,}`) and close every `{`"],
    ['a destination name has only empty alternatives', () => project({ destinations: [ProjectDestination.clusterName('prod{,}', 'ns')] }),
      "[test/team-a] spec.destinations[0].name 'prod{,}' makes Argo CD's glob matcher (gobwas/glob) panic (runtime error: slice bounds out of range [4:5] with length 4, matching \"prod\" against \"prod{,}\"), which fails the Argo CD request or sync that matches it; write the pattern without empty alternatives (`{,}`, `{a,}`) and close every `{`"],
    ['a deny destination namespace leaves a brace open', () => project({ destinations: [ProjectDestination.inCluster('!team-a{')] }),
      "[test/team-a] spec.destinations[0].namespace '!team-a{' makes Argo CD's glob matcher (gobwas/glob) panic (runtime error: slice bounds out of range [6:7] with length 6, matching \"team-a\" against \"team-a{\"), which fails the Argo CD request or sync that matches it; write the pattern without empty alternatives (`{,}`, `{a,}`) and close every `{`"],
    ['a source namespace has only empty alternatives', () => project({ sourceNamespaces: ['team-a{,}'] }),
      "[test/team-a] spec.sourceNamespaces[0] 'team-a{,}' makes Argo CD's glob matcher (gobwas/glob) panic (runtime error: slice bounds out of range [6:7] with length 6, matching \"team-a\" against \"team-a{,}\"), which fails the Argo CD request or sync that matches it; write the pattern without empty alternatives (`{,}`, `{a,}`) and close every `{`"],
    ['a destination service account server has only empty alternatives', () => project({ destinationServiceAccounts: [{ server: 'https://a{,}', namespace: 'ns', defaultServiceAccount: 'deployer' }] }),
      "[test/team-a] spec.destinationServiceAccounts[0].server 'https://a{,}' makes Argo CD's glob matcher (gobwas/glob) panic (runtime error: slice bounds out of range [9:10] with length 9, matching \"https://a\" against \"https://a{,}\"), which fails the Argo CD request or sync that matches it; write the pattern without empty alternatives (`{,}`, `{a,}`) and close every `{`"],
    ['an integrity policy repository has only empty alternatives', () => project({ gitIntegrityPolicies: [{ repos: ['!https://a/x{,}'], gpgMode: GpgVerificationMode.HEAD, gpgKeys: ['4AEE18F83AFDEB23'] }] }),
      "[test/team-a] spec.sourceIntegrity.git.policies[0].repos[0].url '!https://a/x{,}' makes Argo CD's glob matcher (gobwas/glob) panic (runtime error: slice bounds out of range [11:12] with length 11, matching \"https://a/x\" against \"https://a/x{,}\"), which fails the Argo CD request or sync that matches it; write the pattern without empty alternatives (`{,}`, `{a,}`) and close every `{`"],
    ['a sync window application leaves a brace open', () => project().p.addSyncWindow({ kind: SyncWindowKind.DENY, schedule: '0 0 * * *', duration: Duration.hours(1), applications: ['app{'] }),
      "[test/team-a] spec.syncWindows[0].applications[0] 'app{' makes Argo CD's glob matcher (gobwas/glob) panic (runtime error: slice bounds out of range [3:4] with length 3, matching \"app\" against \"app{\"), which fails the Argo CD request or sync that matches it; write the pattern without empty alternatives (`{,}`, `{a,}`) and close every `{`"],
    ['a source repo is empty', () => project({ sourceRepos: [' '] }),
      "[test/team-a] spec.sourceRepos[0] ' ' must be a non-empty string"],
    ['a source namespace is added twice', () => project({ sourceNamespaces: ['a', 'a'] }),
      "[test/team-a] spec.sourceNamespaces[1] 'a' is already in the project (Argo CD rule: source namespace 'a' already added); add it once"],
    // Argo CD v3.5.1 util/regex.Match compiles with regexp2, which refuses an unclosed group
    ['a source namespace regexp does not compile', () => project({ sourceNamespaces: ['/team-(/'] }),
      "[test/team-a] spec.sourceNamespaces[0] '/team-(/' is not a valid regular expression for Argo CD's regexp2 (.NET syntax); Argo CD would match it as a glob only; fix the expression or use a glob"],
    // util/glob list.go MatchStringInList slices '/'[1:0], which panics
    ['a source namespace is a lone slash', () => project({ sourceNamespaces: ['/'] }),
      "[test/team-a] spec.sourceNamespaces[0] '/' would make Argo CD fail (util/glob MatchStringInList reads '/' as an empty regular expression and slices past its end); write a glob, or an expression between two slashes"],
    ['a destination is added twice', () => project({ destinations: [ProjectDestination.inCluster('a'), ProjectDestination.inCluster('a')] }),
      "[test/team-a] spec.destinations[1] 'https://kubernetes.default.svc/a' is already in the project (Argo CD rule: destination 'https://kubernetes.default.svc/a' already added); add it once"],
    ['a destination by name is added twice', () => project({ destinations: [ProjectDestination.clusterName('prod', '*'), ProjectDestination.clusterName('prod', '*')] }),
      "[test/team-a] spec.destinations[1] 'prod/*' is already in the project (Argo CD rule: destination 'prod/*' already added); add it once"],
    ['a destination namespace is !*', () => project({ destinations: [ProjectDestination.inCluster('!*')] }),
      "[test/team-a] spec.destinations[0].namespace '!*' is rejected by Argo CD (rule: namespace has an invalid format, '!*'); remove the destination instead"],
    ['a destination server is !*', () => project({ destinations: [ProjectDestination.server('!*', 'a')] }),
      "[test/team-a] spec.destinations[0].server '!*' is rejected by Argo CD (rule: server has an invalid format, '!*'); remove the destination instead"],
    ['a destination name is !*', () => project({ destinations: [ProjectDestination.clusterName('!*', 'a')] }),
      "[test/team-a] spec.destinations[0].name '!*' is rejected by Argo CD (rule: name has an invalid format, '!*'); remove the destination instead"],
    ['a destination is not a ProjectDestination', () => project({ destinations: [{ server: 'x' }] }),
      '[test/team-a] spec.destinations[0] {"server":"x"} is not a ProjectDestination; use ProjectDestination.server(), clusterName() or inCluster()'],
    ['a destination service account is added twice', () => project({ destinationServiceAccounts: [
      { server: '*', namespace: 'a', defaultServiceAccount: 'x' }, { server: '*', namespace: 'a', defaultServiceAccount: 'y' }] }),
    "[test/team-a] spec.destinationServiceAccounts[1] '*/a' is already in the project (Argo CD rule: destinationServiceAccount '*/a' already added); add it once"],
    // Argo CD v3.5.1 app_project_types.go ValidateProject: no '!' in a service account's server or namespace
    ['a destination service account server is !*', () => project({ destinationServiceAccounts: [{ server: '!*', defaultServiceAccount: 'x' }] }),
      "[test/team-a] spec.destinationServiceAccounts[0].server '!*' is rejected by Argo CD (rule: server has an invalid format, '!*'); a service account's server is a glob without '!': list the destinations it applies to"],
    ['a destination service account namespace is negated', () => project({ destinationServiceAccounts: [{ server: '*', namespace: '!kube-system', defaultServiceAccount: 'x' }] }),
      "[test/team-a] spec.destinationServiceAccounts[0].namespace '!kube-system' is rejected by Argo CD (rule: namespace has an invalid format, '!kube-system'); a service account's namespace is a glob without '!': list the destinations it applies to"],
    ['a destination service account server does not compile as a glob', () => project({ destinationServiceAccounts: [{ server: 'https://[', defaultServiceAccount: 'x' }] }),
      "[test/team-a] spec.destinationServiceAccounts[0].server 'https://[' is rejected by Argo CD (rule: server has an invalid format, 'https://['); it does not compile as a glob (unexpected end of input): close the '[' or escape it with '\\'"],
    ['a default service account is blank', () => project({ destinationServiceAccounts: [{ server: '*', defaultServiceAccount: '  ' }] }),
      "[test/team-a] spec.destinationServiceAccounts[0].defaultServiceAccount '  ' is rejected by Argo CD (rule: defaultServiceAccount has an invalid format, '  '); use a service account name, or 'namespace:name', not blank and with none of !*[]{}\\/"],
    ['a default service account has a glob character', () => project({ destinationServiceAccounts: [{ server: '*', defaultServiceAccount: 'team-a:*' }] }),
      "[test/team-a] spec.destinationServiceAccounts[0].defaultServiceAccount 'team-a:*' is rejected by Argo CD (rule: defaultServiceAccount has an invalid format, 'team-a:*'); use a service account name, or 'namespace:name', not blank and with none of !*[]{}\\/"],
    ['a cluster resource is listed twice', () => project({ clusterResourceWhitelist: [{ group: '', kind: 'Namespace' }, { group: '', kind: 'Namespace' }] }),
      "[test/team-a] spec.clusterResourceWhitelist[1] '/Namespace' is already in the list; add it once"],
    ['a resource kind is empty', () => project({ namespaceResourceBlacklist: [{ group: '', kind: '' }] }),
      "[test/team-a] spec.namespaceResourceBlacklist[0].kind '' must be a non-empty string"],
    ['a resource pattern is malformed', () => project({ clusterResourceBlacklist: [{ group: '[', kind: 'X' }] }),
      "[test/team-a] spec.clusterResourceBlacklist[0].group '[' is not a valid pattern for Go's filepath.Match; Argo CD would match nothing with it"],
    ['a namespaced resource has a name', () => project({ namespaceResourceWhitelist: [{ group: '', kind: 'Secret', name: 'x' }] }),
      "[test/team-a] spec.namespaceResourceWhitelist[0].name 'x' is not supported by namespaced resource lists; leave it out"],
    ['a signature key is not hex', () => project({ signatureKeys: ['not-a-key'] }),
      "[test/team-a] spec.signatureKeys[0].keyID 'not-a-key' is not a GnuPG key ID; use its 16 hexadecimal digits, e.g. '4AEE18F83AFDEB23'"],
    ['a role name does not match the pattern', () => project().p.addRole('-dev'),
      "[test/team-a] spec.roles[0].name '-dev' is not a valid role name (Argo CD rule: must consist of alphanumeric characters, '-' or '_', and must start and end with an alphanumeric character)"],
    ['a role is added twice', () => { const { p } = project(); p.addRole('dev'); p.addRole('dev'); },
      "[test/team-a] spec.roles[1].name 'dev' is already a role of the project (Argo CD rule: role 'dev' already exists); use another name or add to the existing role"],
    ['a policy is added twice', () => project().p.addRole('dev', { policies: [APPS_GET, APPS_GET] }),
      "[test/team-a] spec.roles[0].policies[1] 'p, proj:team-a:dev, applications, get, team-a/*, allow' is already in role 'dev' (Argo CD rule: policy already exists for role); add it once"],
    ['a group is added twice', () => project().p.addRole('dev', { groups: ['a', 'a'] }),
      "[test/team-a] spec.roles[0].groups[1] 'a' is already bound to role 'dev' (Argo CD rule: group already exists for role); add it once"],
    ['a group with a comma is not quoted', () => project().p.addRole('dev', { groups: ['a,b'] }),
      "[test/team-a] spec.roles[0].groups[0] 'a,b' must be quoted (Argo CD rule: a group with a comma must be wrapped in double quotes)"],
    ['a group is empty', () => project().p.addRole('dev', { groups: [' '] }),
      "[test/team-a] spec.roles[0].groups[0] ' ' is empty (Argo CD rule: group names must not be empty)"],
    ['a group has a tab', () => project().p.addRole('dev', { groups: ['a\tb'] }),
      "[test/team-a] spec.roles[0].groups[0] 'a\tb' contains invalid characters (Argo CD rule: no double quotes, tabs or line breaks)"],
    ['a policy is not a RolePolicy', () => project().p.addRole('dev').addPolicy('p, x' as any),
      "[test/team-a] spec.roles[0].policies[0] 'p, x' is not a RolePolicy; build it with RolePolicy.allow() or RolePolicy.deny()"],
    ['an integrity policy covers no repository', () => project({ gitIntegrityPolicies: [{ repos: [], gpgMode: GpgVerificationMode.STRICT, gpgKeys: ['4AEE18F83AFDEB23'] }] }),
      "[test/team-a] spec.sourceIntegrity.git.policies[0].repos [] is empty; list the repository URLs or globs the policy applies to, e.g. 'https://github.com/myorg/*'"],
    ['an integrity policy repository is not a valid glob', () => project({ gitIntegrityPolicies: [{ repos: ['https://a/[abc'], gpgMode: GpgVerificationMode.HEAD, gpgKeys: ['4AEE18F83AFDEB23'] }] }),
      "[test/team-a] spec.sourceIntegrity.git.policies[0].repos[0].url 'https://a/[abc' is not a valid glob (unexpected end of input); Argo CD would match nothing with it; close the '[' or escape it with '\\'"],
    ['an integrity policy mode is unknown', () => project({ gitIntegrityPolicies: [{ repos: ['*'], gpgMode: 'full' as any }] }),
      "[test/team-a] spec.sourceIntegrity.git.policies[0].gpg.mode 'full' is not a verification mode; use GpgVerificationMode.STRICT, HEAD or NONE (strict, head, none)"],
    ['an integrity policy key is not a key ID', () => project({ gitIntegrityPolicies: [{ repos: ['*'], gpgMode: GpgVerificationMode.STRICT, gpgKeys: ['alice@example.com'] }] }),
      "[test/team-a] spec.sourceIntegrity.git.policies[0].gpg.keys[0] 'alice@example.com' is not a GnuPG key ID; use its 16 hexadecimal digits, e.g. '4AEE18F83AFDEB23'"],
    ['an integrity policy lists a key twice', () => project({ gitIntegrityPolicies: [{ repos: ['*'], gpgMode: GpgVerificationMode.STRICT, gpgKeys: ['4AEE18F83AFDEB23', '4AEE18F83AFDEB23'] }] }),
      "[test/team-a] spec.sourceIntegrity.git.policies[0].gpg.keys[1] '4AEE18F83AFDEB23' is already in the policy; list it once"],
    ['a signature key is added to a project with integrity policies', () => project({ gitIntegrityPolicies: [{ repos: ['*'], gpgMode: GpgVerificationMode.HEAD, gpgKeys: ['4AEE18F83AFDEB23'] }] }).p.addSignatureKey('4AEE18F83AFDEB23'),
      "[test/team-a] spec.signatureKeys[0].keyID '4AEE18F83AFDEB23' cannot be combined: Argo CD 3.5 does not allow signatureKeys together with sourceIntegrity; move the keys into a Git integrity policy with gpgMode HEAD (what signatureKeys checked) for the repositories concerned"],
    ['signatureKeys and integrity policies are combined', () => project({ signatureKeys: ['4AEE18F83AFDEB23'], gitIntegrityPolicies: [{ repos: ['*'], gpgMode: GpgVerificationMode.HEAD, gpgKeys: ['4AEE18F83AFDEB23'] }] }),
      "[test/team-a] spec.sourceIntegrity.git.policies[0] [\"*\"] cannot be combined: Argo CD 3.5 does not allow signatureKeys together with sourceIntegrity; move the keys into a Git integrity policy with gpgMode HEAD (what signatureKeys checked) for the repositories concerned"],
  ];
  for (const [name, run, message] of cases) {
    test(`fails when ${name}`, () => {
      let error: unknown;
      try {
        run();
      } catch (e) {
        error = e;
      }
      expect(ValidationError.isValidationError(error)).toBe(true);
      expect((error as Error).message).toBe(message);
    });
  }
});

describe('sync window errors', () => {
  const base = { kind: SyncWindowKind.DENY, schedule: '0 22 * * *', duration: Duration.hours(1), applications: ['*'] };
  const cases: Array<[string, any, string]> = [
    // robfig/cron's own error texts (parser.go, with Argo CD's Minute | Hour | Dom | Month | Dow options)
    ['the schedule has 6 fields', { schedule: '0 0 22 * * *' },
      "[test/team-a] spec.syncWindows[0].schedule '0 0 22 * * *' is not a schedule Argo CD accepts (robfig/cron: expected exactly 5 fields, found 6: [0 0 22 * * *]); use five fields, minute hour day-of-month month day-of-week (0-6), e.g. '0 22 * * *'"],
    ['the schedule has 3 fields', { schedule: '* * *' },
      "[test/team-a] spec.syncWindows[0].schedule '* * *' is not a schedule Argo CD accepts (robfig/cron: expected exactly 5 fields, found 3: [* * *]); use five fields, minute hour day-of-month month day-of-week (0-6), e.g. '0 22 * * *'"],
    ['the schedule has an out-of-range value', { schedule: '61 * * * *' },
      "[test/team-a] spec.syncWindows[0].schedule '61 * * * *' is not a schedule Argo CD accepts (robfig/cron: end of range (61) above maximum (59): 61); use five fields, minute hour day-of-month month day-of-week (0-6), e.g. '0 22 * * *'"],
    ['the day of week is 7', { schedule: '0 22 * * 7' },
      "[test/team-a] spec.syncWindows[0].schedule '0 22 * * 7' is not a schedule Argo CD accepts (robfig/cron: end of range (7) above maximum (6): 7); use five fields, minute hour day-of-month month day-of-week (0-6), e.g. '0 22 * * *'"],
    ['the schedule uses L', { schedule: '0 0 L * *' },
      `[test/team-a] spec.syncWindows[0].schedule '0 0 L * *' is not a schedule Argo CD accepts (robfig/cron: failed to parse int from L: strconv.Atoi: parsing "L": invalid syntax); use five fields, minute hour day-of-month month day-of-week (0-6), e.g. '0 22 * * *'`],
    ['the schedule is a descriptor', { schedule: '@daily' },
      "[test/team-a] spec.syncWindows[0].schedule '@daily' is not a schedule Argo CD accepts (robfig/cron: parser does not accept descriptors: @daily); use five fields, minute hour day-of-month month day-of-week (0-6), e.g. '0 22 * * *'"],
    ['the schedule has a TZ= prefix', { schedule: 'CRON_TZ=Europe/Berlin 0 22 * * *' },
      "[test/team-a] spec.syncWindows[0].schedule 'CRON_TZ=Europe/Berlin 0 22 * * *' starts with a TZ= or CRON_TZ= prefix, which cdk8s-argocd does not evaluate; set the window's timeZone instead"],
    ['the kind is not allow or deny', { kind: 'block' },
      "[test/team-a] spec.syncWindows[0].kind 'block' is not a window kind (Argo CD rule: can only be allow or deny); use SyncWindowKind.ALLOW or SyncWindowKind.DENY"],
    ['the duration has milliseconds', { duration: Duration.millis(1500) },
      "[test/team-a] spec.syncWindows[0].duration '1500ms' is not a positive whole number of seconds; use Duration.seconds(), Duration.minutes() or Duration.hours()"],
    ['the duration is not a Duration', { duration: '1h' },
      "[test/team-a] spec.syncWindows[0].duration '1h' is not a Duration; use Duration.hours(1) or Duration.minutes(30)"],
    ['the time zone is unknown', { timeZone: 'Mars/Olympus' },
      "[test/team-a] spec.syncWindows[0].timeZone 'Mars/Olympus' is not a time zone of the tz database (spelled with its exact case); Argo CD would accept it and silently read the schedule in UTC; use a name like 'UTC' or 'Europe/Berlin'"],
    ['the time zone is spelled in another case', { timeZone: 'europe/berlin' },
      "[test/team-a] spec.syncWindows[0].timeZone 'europe/berlin' is not a time zone of the tz database (spelled with its exact case); Argo CD would accept it and silently read the schedule in UTC; use a name like 'UTC' or 'Europe/Berlin'"],
    ['the description is too long', { description: 'x'.repeat(256) },
      `[test/team-a] spec.syncWindows[0].description '${'x'.repeat(256)}' is longer than 255 bytes (Argo CD rule: description must not exceed 255 characters, counted in UTF-8 bytes); shorten it`],
    // Go's len() counts bytes: 128 two-byte characters are 256 bytes
    ['the description is too long in UTF-8 bytes', { description: 'é'.repeat(128) },
      `[test/team-a] spec.syncWindows[0].description '${'é'.repeat(128)}' is longer than 255 bytes (Argo CD rule: description must not exceed 255 characters, counted in UTF-8 bytes); shorten it`],
    ['the window applies to nothing', { applications: [] },
      "[test/team-a] spec.syncWindows[0] 'deny 0 22 * * * 1h' applies to nothing (Argo CD rule: window requires one of application, cluster or namespace); set applications, namespaces or clusters"],
  ];
  for (const [name, override, message] of cases) {
    test(`fails when ${name}`, () => {
      const { p } = project();
      expect(() => p.addSyncWindow({ ...base, ...override })).toThrowError(message);
    });
  }

  // Argo CD v3.5.1 SyncWindow.Active parses duration with Go's time.ParseDuration (an int64 of nanoseconds)
  test('fails when a window duration is longer than Go\'s longest duration, or not finite', () => {
    const { p } = project();
    expect(() => p.addSyncWindow({ ...base, duration: Duration.days(1e7) })).toThrowError(
      "[test/team-a] spec.syncWindows[0].duration '864000000000000ms' is longer than Go's longest duration, 2562047h47m16s (time.ParseDuration refuses it as an invalid duration); use a shorter duration");
    expect(() => p.addSyncWindow({ ...base, duration: Duration.hours(Infinity) })).toThrowError(
      "[test/team-a] spec.syncWindows[0].duration 'Infinityms' is not a finite duration; use Duration.seconds(), Duration.minutes() or Duration.hours() with a finite number");
  });

  // Argo CD v3.5.1 AppProject.ValidateProject: windows are duplicates when SyncWindow.HashIdentity
  // is equal (kind, schedule, duration, applications, namespaces, clusters, timeZone, andOperator)
  test('fails when a window is added twice', () => {
    const { p } = project();
    p.addSyncWindow(base);
    expect(() => p.addSyncWindow({ ...base, manualSync: true, description: 'again' })).toThrowError(
      "[test/team-a] spec.syncWindows[1] 'deny 0 22 * * * 1h' is already in the project (Argo CD rule: sync window with kind 'deny', schedule '0 22 * * *', and duration '1h' already exists); "
      + 'a window with the same kind, schedule, duration, applications, namespaces, clusters, time zone and andOperator is listed once');
  });

  test('two windows with the same kind, schedule and duration but other targets are both kept (Argo CD v3.5.1 HashIdentity)', () => {
    const { p } = project();
    p.addSyncWindow(base);
    p.addSyncWindow({ ...base, applications: undefined, namespaces: ['x'] });
    p.addSyncWindow({ ...base, timeZone: 'Europe/Berlin' });
    expect(p.syncWindows().count).toBe(3);
  });
});

describe('AppProject property tests', () => {
  const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/);
  const glob = fc.constantFrom('*', 'team-*', 'prod', '!kube-system', 'a?c', '[a-c]x', '{dev,prod}-*');
  const repo = fc.constantFrom('https://git.example.com/*', 'https://github.com/org/repo.git', '!https://git.example.com/secret/*', 'git@github.com:org/*', '*');
  const kind = fc.record({ group: fc.constantFrom('', 'apps', '*', 'rbac.authorization.k8s.io'), kind: fc.constantFrom('Deployment', '*', 'Service', 'Role') });
  const policy = fc.record({
    effect: fc.constantFrom('allow', 'deny'),
    pair: fc.constantFrom(
      [PolicyResource.APPLICATIONS, PolicyAction.SYNC], [PolicyResource.APPLICATIONS, PolicyAction.OVERRIDE],
      [PolicyResource.APPLICATION_SETS, PolicyAction.GET], [PolicyResource.LOGS, PolicyAction.GET],
      [PolicyResource.EXEC, PolicyAction.CREATE], [PolicyResource.CLUSTERS, PolicyAction.ALL],
      [PolicyResource.REPOSITORIES, PolicyAction.UPDATE], [PolicyResource.APPLICATIONS, PolicyAction.action('*')], [PolicyResource.APPLICATIONS, PolicyAction.action('apps/Deployment/restart')],
    ),
    object: fc.constantFrom('*', 'api', 'web-*'),
  });

  test('random valid AppProjects validate against the CRD', () => {
    fc.assert(fc.property(
      label, fc.uniqueArray(repo, { maxLength: 4 }), fc.uniqueArray(fc.tuple(glob, glob), { maxLength: 4, selector: (t) => t.join('/') }),
      fc.uniqueArray(kind, { maxLength: 3, selector: (k) => `${k.group}/${k.kind}` }),
      fc.uniqueArray(policy, { maxLength: 5, selector: (p) => `${p.effect}${p.pair[0].value}${p.pair[1].value}${p.object}` }),
      fc.option(fc.constantFrom('0 22 * * *', '*/15 * * * 1-5', '0 0 * * SUN')),
      (name, repos, dests, kinds, policies, schedule) => {
        const chart = Testing.chart();
        const p = new AppProject(chart, 'p', {
          name,
          sourceRepos: repos,
          destinations: dests.map(([s, n]) => ProjectDestination.server(s, n)),
          namespaceResourceBlacklist: kinds,
          clusterResourceWhitelist: kinds,
        });
        const role = p.addRole('r');
        for (const x of policies) {
          const options = { resource: x.pair[0], action: x.pair[1], object: x.object };
          role.addPolicy(x.effect === 'allow' ? RolePolicy.allow(options) : RolePolicy.deny(options));
        }
        if (schedule) p.addSyncWindow({ kind: SyncWindowKind.ALLOW, schedule, duration: Duration.minutes(30), applications: ['*'] });
        const out = Testing.synth(chart);
        expect(schemaProblems(out)).toEqual([]);
        expect(out[0].metadata.name).toBe(name);
      },
    ), { numRuns: 150 });
  });

  test('random invalid input throws ValidationError and nothing else', () => {
    const anything = fc.oneof(fc.string(), fc.integer(), fc.constant(undefined), fc.constant(null), fc.constant('!*'), fc.constant('[x'), fc.object());
    fc.assert(fc.property(fc.integer({ min: 0, max: 8 }), anything, (which, v: any) => {
      const chart = Testing.chart();
      const run = () => {
        const p = new AppProject(chart, 'p');
        switch (which) {
          case 0: return p.addSourceRepo(v);
          case 1: return p.addDestination(ProjectDestination.server(v, v));
          case 2: return p.addRole(v);
          case 3: return p.addRole('r', { groups: [v, v] });
          case 4: return p.addSyncWindow({ kind: SyncWindowKind.DENY, schedule: v, duration: Duration.hours(1), applications: ['*'] });
          case 5: return p.allowClusterResource({ group: v, kind: v });
          case 6: return p.addRole('r').addPolicy(RolePolicy.allow({ resource: PolicyResource.LOGS, action: PolicyAction.SYNC, object: v }));
          case 7: return new AppProject(chart, 'q', { name: v === undefined ? 'Bad' : v });
          default: return p.addSourceNamespace(v);
        }
      };
      try {
        run();
        // accepted input must still synthesize to valid output
        expect(schemaProblems(Testing.synth(chart))).toEqual([]);
      } catch (e) {
        expect(ValidationError.isValidationError(e)).toBe(true);
      }
    }), { numRuns: 300 });
  });
});
