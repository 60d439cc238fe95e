// project: the library's AppProject verdicts (lib/argocd/_glob.ts, _project-rules.ts, ProjectCheck)
// against the oracle's, which follows Argo CD v3.5.1's pkg/apis/application/v1alpha1
// app_project_types.go (IsSourcePermitted, isDestinationMatched, IsDestinationPermitted,
// IsGroupKindNamePermitted, IsAppNamespacePermitted, ValidateProject) and util/argo/argo.go
// (ValidatePermissions, GetDestinationCluster) on Argo CD's own util/glob and util/regex.
import fc from 'fast-check';
import { Chart, Testing } from 'cdk8s';
import { afterAll, describe, expect, it } from 'vitest';
import { KnownCluster } from '../../lib/argocd/_glob';
import { AppProject } from '../../lib/argocd/app-project';
import { DELIBERATE, expectProjectAnswer, expectValidateProject, libraryProjectAnswer, statusText } from '../support/project-verdicts';
import { argoRuns, oracle, recordCases } from './support/oracle';
import { sourceNamespaceProblem } from '../../lib/argocd/_project-rules';

const PROJECT = 'team-a';
let compared = 0;
let agreed = 0;
let unknownNamespaces = 0;
let panics = 0;

/** Counts one compared case; agreement is counted only once the comparison passed. */
function count<T>(check: () => T): T {
  compared++;
  const result = check();
  agreed++;
  return result;
}

afterAll(() => {
  recordCases('project', compared, agreed);
  // eslint-disable-next-line no-console
  console.log(`project: ${unknownNamespaces} source namespace verdicts left to Argo CD (.NET-only regexp syntax); ${panics} cases where Argo CD's glob matcher panics`);
});

// ---- generators ----

const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined, freq: 3 });

/** Glob fragments: wildcards, classes, braces, escapes, broken brackets, unicode, spaces. */
const globPart = fc.constantFrom(
  'a', 'b', 'team', '-', 'prod', '.', '/', ' ', 'é', 'A',
  '*', '**', '?', '[a-c]', '[!a]', '[^a]', '{a,b}', '{team,prod}', '\\*', '[', ']', '}', ',', '!',
);
/**
 * What gobwas's compiler rewrites: braces (empty and overlapping alternatives, nested, with
 * wildcards inside), runs of stars, separators and classes of one character.
 */
const gobwasPart = fc.constantFrom(
  '***', '****', '*/*', '**/', '/**', '{a,}', '{,a}', '{a,ab}', '{ab,a}', '{*,**}', '{a/*,b}', '{team-*,*-prod}', '{a{b,c},d}', '{', '{/,.}',
  '[!/]', '[/]', '[a]', '[.]', '?/', '*.', '.*',
);
const globOf = (words: string[]) => fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...words) },
  { weight: 3, arbitrary: fc.array(fc.oneof(globPart, fc.constantFrom(...words)), { minLength: 1, maxLength: 4 }).map((p) => p.join('')) },
  { weight: 3, arbitrary: fc.array(fc.oneof(gobwasPart, fc.constantFrom(...words), globPart), { minLength: 1, maxLength: 4 }).map((p) => p.join('')) },
  { weight: 1, arbitrary: fc.constantFrom('', '*', '!*') },
);
const negatable = (a: fc.Arbitrary<string>) => fc.tuple(fc.boolean(), a).map(([neg, p]) => (neg && p !== '' ? `!${p}` : p));

const SERVERS = ['https://kubernetes.default.svc', 'https://a.example.com', 'https://b.example.com', 'https://prod.example.com:6443'];
const NAMES = ['in-cluster', 'a', 'b', 'prod', 'prod-eu'];
const NAMESPACES = ['', 'team-a', 'team-b', 'prod', 'kube-system', 'Team-A', 'default'];

const serverGlob = negatable(globOf([...SERVERS, 'https://*', 'https://*.example.com', 'https://{a,b}.example.com']));
const nameGlob = negatable(globOf(NAMES));
const nsGlob = negatable(globOf([...NAMESPACES.filter((n) => n), 'team-*', 'kube-*']));

const destinationEntry = fc.record({ server: opt(serverGlob), name: opt(nameGlob), namespace: opt(nsGlob) }, { requiredKeys: [] });

const cluster: fc.Arbitrary<KnownCluster> = fc.record({
  server: fc.constantFrom(...SERVERS),
  name: fc.constantFrom(...NAMES),
  project: fc.constantFrom('', PROJECT, 'other'),
});

const REPOS = [
  'https://github.com/org/app', 'https://github.com/org/app.git', 'https://GitHub.com/Org/App', 'git@github.com:org/app.git',
  'ssh://git@github.com/org/app', 'https://github.com/org/secret', 'https://gitlab.com/org/sub/app', ' https://github.com/org/app ',
];
/** URL fragments Go's net/url refuses or re-escapes: spaces, braces, percent signs, colons, unicode, userinfo. */
const urlPart = fc.constantFrom(
  'https://', 'http://', 'ssh://', 'git@', 'git+ssh://', 'file:///', 'github.com', 'GitHub.com', ':', ':22', ':a', '/', 'org', 'app', '.git',
  ' ', '{a,b}', '*', '**', '%20', '%zz', '%41', '@', 'é', '[', ']', '[::1]', '?', '?x=1', '#frag', '~', ';', ',', '+', "'", '-', '\\', '"', '|',
);
const weirdUrl = fc.array(urlPart, { minLength: 1, maxLength: 7 }).map((p) => p.join(''));
const repoUrl = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...REPOS) },
  { weight: 1, arbitrary: fc.constantFrom('', 'https://github.com/org/a/b', 'https://github.com/org/app/') },
  { weight: 2, arbitrary: weirdUrl },
);

const repoGlob = negatable(fc.oneof(
  { weight: 3, arbitrary: globOf([...REPOS, 'https://github.com/org/*', 'https://github.com/**', 'git@github.com:org/*', 'https://*/org/app', 'https://github.com/org/{app,secret}']) },
  { weight: 1, arbitrary: weirdUrl },
));
/** sourceNamespaces: globs and `/regexp/` entries (regexp2: lookarounds, backreferences, inline options). */
const regexpBody = fc.oneof(
  fc.constantFrom(
    '^team-(?!b)', '^team-(?!b).*$', 'team$', '^(?i)TEAM', '(?i)^TEAM-[a-z]+$', '^[a-c]', '\\d', '^team-\\w$', '(?<=team-)a',
    '(', 'team-(', '[a-', '\\q', '', '^', '.*', '^(team|prod)$', '(a)\\1', 'a{2}', '^[[:alpha:]]', '^kube-', 'team-[^b]$', '\\bteam\\b',
    '(?=team)', 'TEAM', 'team-a|prod',
  ),
  fc.array(fc.constantFrom('team', '-', 'a', 'b', '^', '$', '.', '*', '+', '?', '(?!b)', '(?=t)', '[ab]', '\\d', '|', '(', ')', '\\'), { minLength: 1, maxLength: 5 }).map((p) => p.join('')),
);
const sourceNamespace = fc.oneof(
  { weight: 2, arbitrary: regexpBody.map((b) => `/${b}/`) },
  { weight: 2, arbitrary: globOf([...NAMESPACES.filter((n) => n), 'team-*', '*']) },
  { weight: 1, arbitrary: fc.constantFrom('/', '//', '!team-a') },
);
const appNamespace = fc.constantFrom(undefined, 'argocd', 'team-a', 'team-b', 'team-ab', 'prod', 'kube-system', 'aa', 'x-team-a', 'team-1');

const gk = fc.record({ group: globOf(['', 'apps', 'rbac.authorization.k8s.io', '*', 'app?']), kind: globOf(['Deployment', 'Secret', 'Namespace', 'ClusterRole', '*', 'Deploy*', '[']) });
const clusterItem = fc.record({ group: gk.map((x) => x.group), kind: gk.map((x) => x.kind), name: opt(globOf(['admin', 'view', '*', 'team-*'])) }, { requiredKeys: ['group', 'kind'] });
const resource = fc.record({
  group: fc.constantFrom('', 'apps', 'rbac.authorization.k8s.io', 'batch'),
  kind: fc.constantFrom('Deployment', 'Secret', 'Namespace', 'ClusterRole', 'Job'),
  name: fc.constantFrom('admin', 'view', 'team-a', ''),
  namespaced: fc.boolean(),
});

const source = fc.record({ repoURL: repoUrl });
const appSpec = fc.record({
  source: opt(source),
  sources: opt(fc.array(source, { maxLength: 3 })),
  sourceHydrator: fc.option(fc.record({ drySource: source, syncSource: fc.record({ repoURL: opt(repoUrl) }, { requiredKeys: [] }) }), { nil: undefined, freq: 5 }),
  destination: fc.record({
    server: opt(fc.oneof(fc.constantFrom(...SERVERS), fc.constantFrom('https://a.example.com/', 'https://unknown.example.com'))),
    name: opt(fc.constantFrom(...NAMES, 'unknown')),
    namespace: opt(fc.constantFrom(...NAMESPACES)),
  }, { requiredKeys: [] }),
}, { requiredKeys: ['destination'] });

const projectSpec = fc.record({
  sourceRepos: opt(fc.array(repoGlob, { maxLength: 4 })),
  destinations: opt(fc.array(destinationEntry, { maxLength: 4 })),
  sourceNamespaces: opt(fc.array(sourceNamespace, { maxLength: 3 })),
  permitOnlyProjectScopedClusters: opt(fc.boolean()),
  clusterResourceWhitelist: opt(fc.array(clusterItem, { maxLength: 3 })),
  clusterResourceBlacklist: opt(fc.array(clusterItem, { maxLength: 2 })),
  namespaceResourceWhitelist: opt(fc.array(gk, { maxLength: 3 })),
  namespaceResourceBlacklist: opt(fc.array(gk, { maxLength: 2 })),
}, { requiredKeys: [] });

const permissionCase = fc.record({
  spec: projectSpec,
  app: appSpec,
  appNamespace,
  clusters: fc.uniqueArray(cluster, { maxLength: 4, selector: (c) => c.server }),
  resources: fc.array(resource, { maxLength: 4 }),
  urls: fc.array(fc.oneof(weirdUrl, repoUrl), { maxLength: 4 }),
});

function oracleInput(c: any): any {
  return {
    project: { metadata: { name: PROJECT, namespace: 'argocd' }, spec: c.spec },
    application: { metadata: { name: 'app', ...(c.appNamespace ? { namespace: c.appNamespace } : {}) }, spec: c.app },
    clusters: c.clusters,
    controllerNamespace: 'argocd',
    resources: c.resources,
    normalizeGitURL: c.urls,
  };
}

describe('project: permission verdicts against Argo CD v3.5.1 (app_project_types.go, util/argo ValidatePermissions)', () => {
  it('agrees on sources, destination, source namespace and kinds', async () => {
    await fc.assert(fc.asyncProperty(permissionCase, async (c) => {
      const a = await oracle().ask('project', oracleInput(c));
      if (!a.ok && /^panic: runtime error: slice bounds out of range/.test(a.error ?? '')) {
        // gobwas's matcher panics on some patterns with empty alternatives (`svc{`, `a{,}`): Argo
        // CD's request fails, and the library's check throws, naming the pattern
        count(() => expect(() => libraryProjectAnswer(oracleInput(c))).toThrow(/Argo CD's matcher \(gobwas\/glob\) panics/));
        panics++;
        return;
      }
      const namespaces: string[] = c.spec?.sourceNamespaces ?? [];
      if (a.ok && a.result.appNamespacePanic !== undefined && !namespaces.includes('/')) {
        // the matcher panics on a source namespace glob (`prod{`): Argo CD's request fails, the
        // library's check throws naming the pattern, and the AppProject refuses it up front
        count(() => {
          expect(() => libraryProjectAnswer(oracleInput(c))).toThrow(/Argo CD's matcher \(gobwas\/glob\) panics/);
          expect(namespaces.some((n) => /makes Argo CD's glob matcher \(gobwas\/glob\) panic/.test(sourceNamespaceProblem(n) ?? ''))).toBe(true);
        });
        panics++;
        return;
      }
      expect(a.ok, a.error).toBe(true);
      count(() => {
        if (expectProjectAnswer(oracleInput(c), a.result)) unknownNamespaces++;
      });
    }), argoRuns(8000, 'project permission'));
  }, 120_000);
});

const dsa = fc.record({
  server: fc.oneof(globOf(['*', 'https://a.example.com', 'https://*']), fc.constantFrom('!x', 'a!b', '[')),
  namespace: opt(fc.oneof(globOf(['team-a', '*', 'team-*']), fc.constantFrom('!team-a', '['))),
  defaultServiceAccount: fc.constantFrom('', ' ', '  sa ', 'sa', 'team-a:deployer', 'a*', 'x/y', 'a\\b', '{x}', '\tsa', 'sa!'),
}, { requiredKeys: ['server', 'defaultServiceAccount'] });

const validateCase = fc.record({
  destinations: opt(fc.array(fc.record({ server: opt(fc.oneof(serverGlob, fc.constant('!*'))), name: opt(fc.oneof(nameGlob, fc.constant('!*'))), namespace: opt(fc.oneof(nsGlob, fc.constant('!*'))) }, { requiredKeys: [] }), { maxLength: 4 })),
  sourceNamespaces: opt(fc.array(sourceNamespace, { maxLength: 4 })),
  sourceRepos: opt(fc.array(fc.oneof(repoGlob, fc.constant('!*')), { maxLength: 4 })),
  destinationServiceAccounts: opt(fc.array(dsa, { maxLength: 3 })),
}, { requiredKeys: [] });

describe('project: ValidateProject against Argo CD v3.5.1 (app_project_types.go AppProject.ValidateProject)', () => {
  it('the project check of hand-written manifests refuses what Argo CD refuses, with its reason first', async () => {
    await fc.assert(fc.asyncProperty(validateCase, async (spec) => {
      const a = await oracle().ask('validateProject', { metadata: { name: PROJECT }, spec });
      count(() => expectValidateProject({ metadata: { name: PROJECT }, spec }, a));
    }), argoRuns(5000, 'project ValidateProject'));
  }, 120_000);

  it('the AppProject construct refuses the destination service accounts and source namespaces Argo CD refuses', async () => {
    const props = fc.record({
      destinationServiceAccounts: fc.array(dsa.filter((x) => x.server !== ''), { maxLength: 3 }),
      sourceNamespaces: fc.array(sourceNamespace, { maxLength: 3 }),
    });
    await fc.assert(fc.asyncProperty(props, async (p) => {
      const a = await oracle().ask('validateProject', { metadata: { name: PROJECT }, spec: p });
      let thrown: string | undefined;
      try {
        const chart = new Chart(Testing.app(), 'test');
        new AppProject(chart, 'p', { name: PROJECT, destinationServiceAccounts: p.destinationServiceAccounts, sourceNamespaces: p.sourceNamespaces });
      } catch (e: any) {
        thrown = String(e.message);
      }
      count(() => {
        if (a.ok) {
          // only the deliberate refusals (source namespaces Argo CD would match nothing with)
          if (thrown !== undefined) expect(DELIBERATE.some((d) => d.test(thrown!)), thrown).toBe(true);
        } else {
          expect(thrown, a.error).toBeDefined();
          if (!DELIBERATE.some((d) => d.test(thrown!))) expect(thrown).toContain(statusText(a.error!));
        }
      });
    }), argoRuns(2000, 'project AppProject construct'));
  }, 120_000);
});
