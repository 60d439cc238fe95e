import { ApiObject, Chart } from 'cdk8s';
import { describe, expect, test } from 'vitest';
import { ArgoApplication } from '../../imports/application-argoproj.io';
import { ArgoAppProject } from '../../imports/appproject-argoproj.io';
import { ArgoCdApp } from '../../lib/app/argocd-app';
import { OutputDirectory } from '../../lib/app/output-directory';
import { AppProject, ProjectDestination } from '../../lib/argocd/app-project';
import { ProjectCheck } from '../../lib/argocd/project-check';
import { ValidationError } from '../../lib/errors';
import { PlaintextSecret } from '../../lib/external-secrets/plaintext-secret-guard';
import { schemaProblems } from '../support/crds';

const REPO = 'https://git.example.com/team-a/api.git';

interface AppSpec {
  readonly id?: string;
  readonly name?: string;
  readonly namespace?: string;
  readonly project?: string;
  readonly repoURL?: string;
  readonly sources?: string[];
  readonly server?: string;
  readonly clusterName?: string;
  readonly destNamespace?: string;
}

function application(chart: Chart, a: AppSpec = {}): ArgoApplication {
  const destination: any = { namespace: a.destNamespace ?? 'team-a' };
  if (a.clusterName !== undefined) destination.name = a.clusterName;
  else destination.server = a.server ?? 'https://kubernetes.default.svc';
  return new ArgoApplication(chart, a.id ?? 'api', {
    metadata: { name: a.name ?? 'api', namespace: a.namespace ?? 'argocd' },
    spec: {
      project: a.project ?? 'team-a',
      destination,
      ...(a.sources
        ? { sources: a.sources.map((repoUrl) => ({ repoUrl, path: '.', targetRevision: 'HEAD' })) }
        : { source: { repoUrl: a.repoURL ?? REPO, path: 'deploy', targetRevision: 'HEAD' } }),
    },
  });
}

function setup(): { app: ArgoCdApp; chart: Chart; project: AppProject } {
  const app = new ArgoCdApp({ outdir: '/tmp/unused-project-check' });
  const chart = new Chart(app, 'prod');
  const project = new AppProject(chart, 'team-a', {
    sourceRepos: ['https://git.example.com/team-a/*'],
    destinations: [ProjectDestination.inCluster('team-a'), ProjectDestination.clusterName('prod-*', 'team-a-*')],
  });
  return { app, chart, project };
}

function errorsOf(app: ArgoCdApp): string {
  let files;
  try {
    files = app.synthFiles();
  } catch (e) {
    expect(ValidationError.isValidationError(e)).toBe(true);
    return (e as Error).message;
  }
  expect(schemaProblems(files.map((f) => f.manifest))).toEqual([]);
  return '';
}

describe('ProjectCheck', () => {
  test('passes for an Application its project permits', () => {
    const { app, chart } = setup();
    application(chart);
    expect(errorsOf(app)).toBe('');
  });

  test('passes for multi-source Applications and destinations by cluster name', () => {
    const { app, chart } = setup();
    application(chart, { sources: [REPO, 'https://git.example.com/team-a/values.git'], clusterName: 'prod-eu', destNamespace: 'team-a-api' });
    expect(errorsOf(app)).toBe('');
  });

  test('treats in-cluster by name and by server as the same cluster', () => {
    const { app, chart } = setup();
    application(chart, { clusterName: 'in-cluster' });
    expect(errorsOf(app)).toBe('');
  });

  test('does not judge a cluster name against server-only entries (Argo CD resolves it from cluster Secrets)', () => {
    const app = new ArgoCdApp({ outdir: '/tmp/unused-project-check' });
    const chart = new Chart(app, 'prod');
    new AppProject(chart, 'team-a', { sourceRepos: ['*'], destinations: [ProjectDestination.server('https://prod.example.com', '*')] });
    application(chart, { clusterName: 'prod' });
    expect(errorsOf(app)).toBe('');
  });

  test('accepts a project declared external and does not check it', () => {
    const app = new ArgoCdApp({ outdir: '/tmp/unused-project-check' });
    const chart = new Chart(app, 'prod');
    AppProject.fromProjectName(chart, 'Default', 'default');
    application(chart, { project: 'default', repoURL: 'https://anything.example.com/x.git' });
    expect(errorsOf(app)).toBe('');
  });

  test('fails, naming the Application\'s construct path and the project list, where Argo CD\'s glob matcher panics', () => {
    // a brace left open panics gobwas's matcher against the in-cluster server
    // (test/fixtures/oracle/glob.json): Argo CD's request fails rather than deciding
    const app = new ArgoCdApp({ outdir: '/tmp/unused-project-check' });
    const chart = new Chart(app, 'prod');
    // AppProject refuses the pattern where it is given; one written as a plain object reaches the check
    expect(() => new AppProject(chart, 'refused', { sourceRepos: ['*'], destinations: [ProjectDestination.server('https://kubernetes.default.svc{', 'team-a')] }))
      .toThrowError(/^\[prod\/refused\] spec\.destinations\[0\]\.server 'https:\/\/kubernetes\.default\.svc\{' makes Argo CD's glob matcher \(gobwas\/glob\) panic /);
    new ArgoAppProject(chart, 'team-a', {
      metadata: { name: 'team-a', namespace: 'argocd' },
      spec: { sourceRepos: ['*'], destinations: [{ server: 'https://kubernetes.default.svc{', namespace: 'team-a' }] },
    });
    application(chart);
    expect(errorsOf(app)).toMatch(/\[prod\/team-a\] AppProject 'team-a' spec\.destinations\[0\]\.server .*panic/);
    expect(errorsOf(app)).toMatch(/\[prod\/api\] Application 'api' spec\.destination \(server 'https:\/\/kubernetes\.default\.svc', namespace 'team-a'\) cannot be checked against project 'team-a': its destinations glob pattern "https:\/\/kubernetes\.default\.svc\{" against "https:\/\/kubernetes\.default\.svc": Argo CD's matcher \(gobwas\/glob\) panics \(.*\); write the pattern without empty alternatives; Argo CD would fail the request instead of deciding/);
  });

  test('fails when the project is not in the app', () => {
    const { app, chart } = setup();
    application(chart, { project: 'team-b' });
    expect(errorsOf(app)).toBe(
      'synthesis failed with 1 error:\n'
      + "  [prod/api] Application 'api' spec.project 'team-b' is not an AppProject of this app (projects: team-a); create it with new AppProject() or declare it with AppProject.fromProjectName() (Python: AppProject.from_project_name(), Go: AppProject_FromProjectName())");
  });

  test('fails when the project is default and not declared', () => {
    const app = new ArgoCdApp({ outdir: '/tmp/unused-project-check' });
    const chart = new Chart(app, 'prod');
    application(chart, { project: 'default' });
    expect(errorsOf(app)).toBe(
      'synthesis failed with 1 error:\n'
      + "  [prod/api] Application 'api' spec.project 'default' is not an AppProject of this app (projects: none); create it with new AppProject() or declare it with AppProject.fromProjectName() (Python: AppProject.from_project_name(), Go: AppProject_FromProjectName())");
  });

  test('fails when the source repo is not permitted', () => {
    const { app, chart } = setup();
    application(chart, { repoURL: 'https://x/y.git' });
    expect(errorsOf(app)).toBe(
      'synthesis failed with 1 error:\n'
      + "  [prod/api] Application 'api' spec.source.repoURL 'https://x/y.git' is not permitted by project 'team-a' (sourceRepos: https://git.example.com/team-a/*); add it with project.addSourceRepo() (Python: project.add_source_repo(), Go: project.AddSourceRepo())");
  });

  test('fails when one of several sources is not permitted', () => {
    const { app, chart } = setup();
    application(chart, { sources: [REPO, 'https://charts.example.com'] });
    expect(errorsOf(app)).toBe(
      'synthesis failed with 1 error:\n'
      + "  [prod/api] Application 'api' spec.sources[1].repoURL 'https://charts.example.com' is not permitted by project 'team-a' (sourceRepos: https://git.example.com/team-a/*); add it with project.addSourceRepo() (Python: project.add_source_repo(), Go: project.AddSourceRepo())");
  });

  test('fails when the source repo is excluded by a ! pattern', () => {
    const { app, chart, project } = setup();
    project.addSourceRepo('!https://git.example.com/team-a/secret*');
    application(chart, { repoURL: 'https://git.example.com/team-a/secrets.git' });
    expect(errorsOf(app)).toBe(
      'synthesis failed with 1 error:\n'
      + "  [prod/api] Application 'api' spec.source.repoURL 'https://git.example.com/team-a/secrets.git' is not permitted by project 'team-a' (sourceRepos: https://git.example.com/team-a/*, !https://git.example.com/team-a/secret*); add it with project.addSourceRepo() (Python: project.add_source_repo(), Go: project.AddSourceRepo())");
  });

  test('fails when the destination namespace is not permitted', () => {
    const { app, chart } = setup();
    application(chart, { destNamespace: 'kube-system' });
    expect(errorsOf(app)).toBe(
      'synthesis failed with 1 error:\n'
      + "  [prod/api] Application 'api' spec.destination (server 'https://kubernetes.default.svc', namespace 'kube-system') is not permitted by project 'team-a' (destinations: https://kubernetes.default.svc/team-a, prod-*/team-a-*); add it with project.addDestination() (Python: project.add_destination(), Go: project.AddDestination())");
  });

  test('fails when the destination is excluded by a ! pattern', () => {
    const app = new ArgoCdApp({ outdir: '/tmp/unused-project-check' });
    const chart = new Chart(app, 'prod');
    new AppProject(chart, 'team-a', { sourceRepos: ['*'], destinations: [ProjectDestination.server('*', '*'), ProjectDestination.server('*', '!kube-*')] });
    application(chart, { destNamespace: 'kube-system' });
    expect(errorsOf(app)).toBe(
      'synthesis failed with 1 error:\n'
      + "  [prod/api] Application 'api' spec.destination (server 'https://kubernetes.default.svc', namespace 'kube-system') is not permitted by project 'team-a' (destinations: */*, */!kube-*); add it with project.addDestination() (Python: project.add_destination(), Go: project.AddDestination())");
  });

  test('fails when the Application lives in a namespace the project does not list', () => {
    const { app, chart } = setup();
    application(chart, { namespace: 'team-a' });
    expect(errorsOf(app)).toBe(
      'synthesis failed with 1 error:\n'
      + "  [prod/api] Application 'api' metadata.namespace 'team-a' is not permitted by project 'team-a' (apps in any namespace: Applications outside 'argocd' need the namespace in sourceNamespaces: none); add it with project.addSourceNamespace() (Python: project.add_source_namespace(), Go: project.AddSourceNamespace())");
  });

  test('passes when the project lists the Application namespace', () => {
    const { app, chart, project } = setup();
    project.addSourceNamespace('team-*');
    application(chart, { namespace: 'team-a' });
    expect(errorsOf(app)).toBe('');
  });

  test('fails when two Applications share a name in one namespace', () => {
    const app = new ArgoCdApp({ outdir: '/tmp/unused-project-check' });
    const a = new Chart(app, 'a');
    const b = new Chart(app, 'b');
    AppProject.fromProjectName(a, 'Default', 'default');
    application(a, { project: 'default' });
    application(b, { project: 'default' });
    // the writer already refuses two objects in one file; write them to two directories
    OutputDirectory.set(a, 'a');
    OutputDirectory.set(b, 'b');
    expect(errorsOf(app)).toBe(
      'synthesis failed with 1 error:\n'
      + "  [b/api] Application 'api' is defined twice in namespace 'argocd' (also by [a/api]); names must be unique per kind and namespace; rename one");
  });

  test('fails when a hand-written AppProject breaks Argo CD\'s project rules', () => {
    const app = new ArgoCdApp({ outdir: '/tmp/unused-project-check' });
    const chart = new Chart(app, 'prod');
    new ApiObject(chart, 'raw', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AppProject',
      metadata: { name: 'raw', namespace: 'argocd' },
      spec: { sourceRepos: ['!*'], roles: [{ name: 'dev', policies: ['p, proj:other:dev, applications, get, other/*, allow'] }] },
    } as any);
    expect(errorsOf(app)).toBe(
      'synthesis failed with 2 errors:\n'
      + "  [prod/raw] AppProject 'raw' spec.sourceRepos[0] '!*' is rejected by Argo CD (rule: source repository has an invalid format, '!*'); to permit no repository, leave sourceRepos empty\n"
      + "  [prod/raw] AppProject 'raw' spec.roles[0].policies[0] 'p, proj:other:dev, applications, get, other/*, allow' has subject 'proj:other:dev' (Argo CD rule: policy subject must be 'proj:raw:dev'); a role can only grant access in its own project");
  });

  test('fails when a raw policy line names another project in its object', () => {
    const app = new ArgoCdApp({ outdir: '/tmp/unused-project-check' });
    const chart = new Chart(app, 'prod');
    new ApiObject(chart, 'raw', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AppProject',
      metadata: { name: 'raw', namespace: 'argocd' },
      spec: { roles: [{ name: 'dev', policies: ['p, proj:raw:dev, applications, get, other/*, allow'] }] },
    } as any);
    expect(errorsOf(app)).toBe(
      'synthesis failed with 1 error:\n'
      + "  [prod/raw] AppProject 'raw' spec.roles[0].policies[0] 'p, proj:raw:dev, applications, get, other/*, allow' has object 'other/*' (Argo CD rule: object must be of form 'raw/*', 'raw/<APPNAME>' or 'raw/<NS>/<APPNAME>'); a role can only grant access in its own project");
  });
});

// Argo CD v3.5.1 app_project_types.go IsDestinationPermitted / isDestinationMatched and
// ValidateProject, over manifests (the same rules the stored oracle cases pin)
describe('ProjectCheck: destinations as Argo CD v3.5.1 decides them', () => {
  function clusterSecret(chart: Chart, id: string, data: Record<string, string>): void {
    const secret = new ApiObject(chart, id, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: id, namespace: 'argocd', labels: { 'argocd.argoproj.io/secret-type': 'cluster' } },
      stringData: data,
    } as any);
    PlaintextSecret.allow(secret, 'test fixture: a cluster without credentials');
  }

  function scoped(project: string | undefined): ArgoCdApp {
    const app = new ArgoCdApp({ outdir: '/tmp/unused-project-check' });
    const chart = new Chart(app, 'prod');
    new AppProject(chart, 'team-a', { sourceRepos: ['*'], destinations: [ProjectDestination.clusterName('*', '*')], permitOnlyProjectScopedClusters: true });
    if (project !== undefined) clusterSecret(chart, 'prod-eu', { name: 'prod-eu', server: 'https://prod-eu.example.com', ...(project ? { project } : {}) });
    application(chart, { clusterName: 'prod-eu' });
    return app;
  }

  test('fails when permitOnlyProjectScopedClusters is set and the cluster Secret is scoped to another project', () => {
    expect(errorsOf(scoped('other'))).toBe(
      'synthesis failed with 1 error:\n'
      + "  [prod/api] Application 'api' spec.destination (name 'prod-eu', namespace 'team-a') is not permitted by project 'team-a': permitOnlyProjectScopedClusters is set, and no cluster Secret with project 'team-a' has server 'https://prod-eu.example.com' or name 'prod-eu'; set project: 'team-a' on the cluster's Secret");
  });

  test('passes when the cluster Secret is scoped to the project', () => {
    expect(errorsOf(scoped('team-a'))).toBe('');
  });

  test('does not judge a cluster registered elsewhere', () => {
    expect(errorsOf(scoped(undefined))).toBe('');
  });

  test('a denied server vetoes only where the entry\'s namespace matches too', () => {
    const build = (ns: string) => {
      const app = new ArgoCdApp({ outdir: '/tmp/unused-project-check' });
      const chart = new Chart(app, 'prod');
      new AppProject(chart, 'team-a', { sourceRepos: ['*'], destinations: [ProjectDestination.server('*', '*'), ProjectDestination.server('!https://kubernetes.default.svc', 'team-*')] });
      application(chart, { destNamespace: ns });
      return app;
    };
    expect(errorsOf(build('default'))).toBe('');
    expect(errorsOf(build('team-a'))).toBe(
      'synthesis failed with 1 error:\n'
      + "  [prod/api] Application 'api' spec.destination (server 'https://kubernetes.default.svc', namespace 'team-a') is not permitted by project 'team-a' (destinations: */*, !https://kubernetes.default.svc/team-*); add it with project.addDestination() (Python: project.add_destination(), Go: project.AddDestination())");
  });

  test('passes for an Application whose namespace a regexp2 lookahead permits', () => {
    const app = new ArgoCdApp({ outdir: '/tmp/unused-project-check' });
    const chart = new Chart(app, 'prod');
    new AppProject(chart, 'team-a', { sourceRepos: ['*'], destinations: [ProjectDestination.server('*', '*')], sourceNamespaces: ['/^team-(?!b)/'] });
    application(chart, { namespace: 'team-a' });
    expect(errorsOf(app)).toBe('');
  });

  test('fails when a hand-written AppProject has destination service accounts Argo CD refuses', () => {
    const app = new ArgoCdApp({ outdir: '/tmp/unused-project-check' });
    const chart = new Chart(app, 'prod');
    new ApiObject(chart, 'raw', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AppProject',
      metadata: { name: 'raw', namespace: 'argocd' },
      spec: { destinationServiceAccounts: [{ server: '*', namespace: '!kube-system', defaultServiceAccount: 'sa' }, { server: '*', defaultServiceAccount: 'team-a/sa' }] },
    } as any);
    expect(errorsOf(app)).toBe(
      'synthesis failed with 2 errors:\n'
      + "  [prod/raw] AppProject 'raw' spec.destinationServiceAccounts[0].namespace '!kube-system' is rejected by Argo CD (rule: namespace has an invalid format, '!kube-system'); a service account's namespace is a glob without '!': list the destinations it applies to\n"
      + "  [prod/raw] AppProject 'raw' spec.destinationServiceAccounts[1].defaultServiceAccount 'team-a/sa' is rejected by Argo CD (rule: defaultServiceAccount has an invalid format, 'team-a/sa'); use a service account name, or 'namespace:name', not blank and with none of !*[]{}\\/");
  });
});

describe('ProjectCheck over generated Applications', () => {
  function appSet(chart: Chart, namespaces: string[]) {
    return new ApiObject(chart, 'envs', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'ApplicationSet',
      metadata: { name: 'envs', namespace: 'argocd' },
      spec: {
        generators: [{ list: { elements: namespaces.map((ns) => ({ ns })) } }],
        template: {
          metadata: { name: 'api-{{ns}}' },
          spec: {
            project: 'team-a',
            source: { repoURL: REPO, path: 'deploy', targetRevision: 'HEAD' },
            destination: { server: 'https://kubernetes.default.svc', namespace: '{{ns}}' },
          },
        },
      },
    });
  }

  test('passes when every generated Application is permitted', () => {
    const { app, chart } = setup();
    appSet(chart, ['team-a']);
    expect(errorsOf(app)).toBe('');
  });

  test('fails when an Application an ApplicationSet generates is not permitted by its project', () => {
    const { app, chart } = setup();
    appSet(chart, ['team-a', 'kube-system']);
    expect(errorsOf(app)).toBe(
      'synthesis failed with 1 error:\n'
      + "  [prod/envs] Application 'api-kube-system' (generated by ApplicationSet 'envs') spec.destination (server 'https://kubernetes.default.svc', namespace 'kube-system') is not permitted by project 'team-a' (destinations: https://kubernetes.default.svc/team-a, prod-*/team-a-*); add it with project.addDestination() (Python: project.add_destination(), Go: project.AddDestination())");
  });
});

describe('Applications an ApplicationSet of the same app also generates', () => {
  function listSet(chart: Chart, elements: string[]) {
    return new ApiObject(chart, 'envs', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'ApplicationSet',
      metadata: { name: 'envs', namespace: 'argocd' },
      spec: {
        generators: [{ list: { elements: elements.map((ns) => ({ ns })) } }],
        template: {
          metadata: { name: 'api-{{ns}}' },
          spec: {
            project: 'team-a',
            source: { repoURL: REPO, path: 'deploy', targetRevision: 'HEAD' },
            destination: { server: 'https://kubernetes.default.svc', namespace: 'team-a' },
          },
        },
      },
    });
  }

  test('fails, naming both constructs, when a declared Application has a generated name', () => {
    const { app, chart } = setup();
    listSet(chart, ['dev', 'prod']);
    application(chart, { id: 'hand-made', name: 'api-prod' });
    expect(errorsOf(app)).toBe(
      'synthesis failed with 1 error:\n'
      + "  [prod/hand-made] Application 'api-prod' in namespace 'argocd' is also generated by ApplicationSet 'envs' at [prod/envs]: "
      + 'Argo CD would have two owners for one object (the ApplicationSet controller overwrites the spec of an existing Application of that name and makes itself its owner, '
      + "and whatever syncs this Application writes it back); rename the Application, or leave its element out of the ApplicationSet's generators");
  });

  test('passes when the names differ, or the same name lives in another namespace', () => {
    const { app, chart, project } = setup();
    project.addSourceNamespace('team-a-apps');
    listSet(chart, ['dev', 'prod']);
    application(chart, { id: 'other', name: 'api-staging' });
    application(chart, { id: 'elsewhere', name: 'api-prod', namespace: 'team-a-apps' });
    expect(errorsOf(app)).toBe('');
  });
});

describe('ProjectCheck.kindPermitted', () => {
  test('namespaced kinds: everything without a whitelist, minus the blacklist', () => {
    const spec = { namespaceResourceBlacklist: [{ group: '', kind: 'ResourceQuota' }] };
    expect(ProjectCheck.kindPermitted(spec, 'apps', 'Deployment', false)).toBe(true);
    expect(ProjectCheck.kindPermitted(spec, '', 'ResourceQuota', false)).toBe(false);
    expect(ProjectCheck.kindPermitted({}, 'apps', 'Deployment', false)).toBe(true);
  });

  test('namespaced kinds: only the whitelist when there is one; an empty one permits nothing', () => {
    const spec = { namespaceResourceWhitelist: [{ group: 'apps', kind: '*' }] };
    expect(ProjectCheck.kindPermitted(spec, 'apps', 'Deployment', false)).toBe(true);
    expect(ProjectCheck.kindPermitted(spec, '', 'Service', false)).toBe(false);
    expect(ProjectCheck.kindPermitted({ namespaceResourceWhitelist: [] }, 'apps', 'Deployment', false)).toBe(false);
  });

  test('cluster-scoped kinds: nothing without a whitelist', () => {
    expect(ProjectCheck.kindPermitted({}, '', 'Namespace', true)).toBe(false);
    const spec = { clusterResourceWhitelist: [{ group: '*', kind: '*' }], clusterResourceBlacklist: [{ group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition' }] };
    expect(ProjectCheck.kindPermitted(spec, '', 'Namespace', true)).toBe(true);
    expect(ProjectCheck.kindPermitted(spec, 'apiextensions.k8s.io', 'CustomResourceDefinition', true)).toBe(false);
  });

  test('cluster entries with names apply only to matching names', () => {
    const spec = { clusterResourceWhitelist: [{ group: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'team-a-*' }] };
    expect(ProjectCheck.kindPermitted(spec, 'rbac.authorization.k8s.io', 'ClusterRole', true, 'team-a-view')).toBe(true);
    expect(ProjectCheck.kindPermitted(spec, 'rbac.authorization.k8s.io', 'ClusterRole', true, 'admin')).toBe(false);
    expect(ProjectCheck.kindPermitted(spec, 'rbac.authorization.k8s.io', 'ClusterRole', true)).toBe(false);
  });

  test('patterns follow Go filepath.Match', () => {
    const spec = { namespaceResourceWhitelist: [{ group: '*.example.com', kind: 'Widget?' }] };
    expect(ProjectCheck.kindPermitted(spec, 'x.example.com', 'Widgets', false)).toBe(true);
    expect(ProjectCheck.kindPermitted(spec, 'x.example.com', 'Widget', false)).toBe(false);
  });
});
