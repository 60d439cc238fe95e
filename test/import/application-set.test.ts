// `cdk8s-argocd import` of ApplicationSets through the typed ApplicationSet construct: random
// ApplicationSets that pass the CRD schema (every generator kind, both template modes, strategy,
// sync policy, ...) round-trip and are written typed with no patch; what the props cannot say
// goes through the escape hatch; what the construct refuses is written as it is, with a reason.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { importObjects } from '../../lib/import/importer';
import { InputObject } from '../../lib/import/program';
import { compile } from '../support/compile-program';
import { HAVE_CRDS, schemaProblems } from '../support/crds';

const dns = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}[a-z0-9]$/);
const secretRef = fc.record({ secretName: dns, key: fc.constantFrom('token', 'password') });
const caRef = fc.record({ configMapName: dns, key: fc.constant('ca.crt') });
const basicAuth = fc.record({ username: dns, passwordRef: secretRef });
const values = fc.option(fc.dictionary(fc.constantFrom('tier', 'region', 'team'), dns, { minKeys: 1, maxKeys: 2 }), { nil: undefined });
const requeue = fc.option(fc.integer({ min: 0, max: 3600 }), { nil: undefined });
const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });

/** Drops the keys whose value is undefined (the CRD schema and the comparison see no such keys). */
function clean<T>(o: T): T {
  return JSON.parse(JSON.stringify(o));
}

/** A generator and a parameter it is known to produce (a fasttemplate key; a Go path without the dot). */
interface Gen { readonly g: any; readonly param: string }

const selector = fc.oneof(
  fc.record({ matchLabels: fc.dictionary(fc.constantFrom('env', 'tier'), dns, { minKeys: 1, maxKeys: 2 }) }),
  fc.record({
    matchExpressions: fc.tuple(
      fc.record({ key: fc.constant('env'), operator: fc.constantFrom('In', 'NotIn'), values: fc.uniqueArray(dns, { minLength: 1, maxLength: 2 }) }),
      fc.record({ key: fc.constant('tier'), operator: fc.constantFrom('Exists', 'DoesNotExist') }),
    ).map(([a, b]) => [a, b]),
  }),
);

const list = (go: boolean, key = 'env'): fc.Arbitrary<Gen> => fc.record({
  envs: fc.uniqueArray(dns, { minLength: 1, maxLength: 3 }),
  extra: fc.boolean(),
  yaml: fc.boolean(),
}).map(({ envs, extra, yaml }) => {
  if (go && yaml) return { g: { list: { elementsYaml: envs.map((e) => `- ${key}: ${e}\n`).join('') } }, param: key };
  const elements = envs.map((env, i) => (!extra ? { [key]: env } : go ? { [key]: env, replicas: i + 1, zone: { name: `z${i}` } } : { [key]: env, values: { tier: `t${i}` } }));
  return { g: { list: { elements } }, param: key };
});

const clusters: fc.Arbitrary<Gen> = fc.record({ selector: opt(selector), values }).map((c) => ({ g: { clusters: clean(c) }, param: 'name' }));

const gitWith = (prefix: fc.Arbitrary<string | undefined>): fc.Arbitrary<Gen> => fc.record({
  files: fc.boolean(),
  prefix,
  exclude: fc.boolean(),
  values,
  requeueAfterSeconds: requeue,
}).map((o) => {
  const key = o.files ? 'files' : 'directories';
  const include = o.files ? 'clusters/*/config.json' : 'apps/*';
  const patterns: any[] = [{ path: include }, ...(o.exclude ? [{ path: o.files ? 'clusters/old/config.json' : 'apps/deprecated-*', exclude: true }] : [])];
  return {
    g: { git: clean({ repoURL: 'https://github.com/myorg/k8s-manifests.git', revision: 'main', [key]: patterns, pathParamPrefix: o.prefix, values: o.values, requeueAfterSeconds: o.requeueAfterSeconds }) },
    param: o.prefix ? `${o.prefix}.path.basename` : 'path.basename',
  };
});

const git = gitWith(opt(fc.constantFrom('app', 'cfg')));

const scmProvider = fc.oneof(
  fc.record({ github: fc.record({ organization: dns, api: fc.constant('https://github.example.com/api/v3'), tokenRef: secretRef, appSecretName: dns, allBranches: fc.boolean(), excludeArchivedRepos: fc.boolean() }, { requiredKeys: ['organization'] }) }),
  fc.record({ gitlab: fc.record({ group: dns, api: fc.constant('https://gitlab.example.com'), tokenRef: secretRef, caRef, insecure: fc.boolean(), includeSubgroups: fc.boolean(), includeSharedProjects: fc.boolean(), includeArchivedRepos: fc.boolean(), topic: dns }, { requiredKeys: ['group'] }) }),
  fc.record({ gitea: fc.record({ owner: dns, api: fc.constant('https://gitea.example.com'), tokenRef: secretRef, insecure: fc.boolean() }, { requiredKeys: ['owner', 'api'] }) }),
  fc.record({ bitbucket: fc.record({ owner: dns, user: dns, appPasswordRef: secretRef, allBranches: fc.boolean() }, { requiredKeys: ['owner', 'user', 'appPasswordRef'] }) }),
  fc.record({ bitbucketServer: fc.record({ api: fc.constant('https://bitbucket.example.com'), project: dns, basicAuth, caRef, insecure: fc.boolean() }, { requiredKeys: ['api', 'project'] }) }),
  fc.record({ bitbucketServer: fc.record({ api: fc.constant('https://bitbucket.example.com'), project: dns, bearerToken: fc.record({ tokenRef: secretRef }) }) }),
  fc.record({ azureDevOps: fc.record({ organization: dns, teamProject: dns, accessTokenRef: secretRef, api: fc.constant('https://dev.example.com') }, { requiredKeys: ['organization', 'teamProject', 'accessTokenRef'] }) }),
  fc.record({ awsCodeCommit: fc.record({ region: fc.constantFrom('eu-west-1', 'us-east-1'), role: fc.constant('arn:aws:iam::111111111111:role/argocd'), tagFilters: fc.array(fc.record({ key: dns, value: dns }, { requiredKeys: ['key'] }), { minLength: 1, maxLength: 2 }) }, { requiredKeys: [] }) }),
);

const scm: fc.Arbitrary<Gen> = fc.record({
  provider: scmProvider,
  filters: opt(fc.array(fc.record({ repositoryMatch: fc.constantFrom('^api-.*', 'web'), pathsExist: fc.constant(['kustomization.yaml']), pathsDoNotExist: fc.constant(['skip']), labelMatch: fc.constant('deploy'), branchMatch: fc.constant('^main$') }, { requiredKeys: [] }), { minLength: 1, maxLength: 2 })),
  cloneProtocol: opt(fc.constantFrom('ssh', 'https')),
  values,
  requeueAfterSeconds: requeue,
}).map(({ provider, ...rest }) => ({ g: { scmProvider: clean({ ...provider, ...rest }) }, param: 'repository' }));

const pullRequestProvider = fc.oneof(
  fc.record({ github: fc.record({ owner: dns, repo: dns, api: fc.constant('https://github.example.com/api/v3'), tokenRef: secretRef, appSecretName: dns, labels: fc.constant(['preview']) }, { requiredKeys: ['owner', 'repo'] }) }),
  fc.record({ gitlab: fc.record({ project: dns, api: fc.constant('https://gitlab.example.com'), tokenRef: secretRef, labels: fc.constant(['preview']), pullRequestState: fc.constant('opened'), insecure: fc.boolean(), caRef }, { requiredKeys: ['project'] }) }),
  fc.record({ gitea: fc.record({ owner: dns, repo: dns, api: fc.constant('https://gitea.example.com'), tokenRef: secretRef, insecure: fc.boolean(), labels: fc.constant(['preview']) }, { requiredKeys: ['owner', 'repo', 'api'] }) }),
  fc.record({ bitbucketServer: fc.record({ project: dns, repo: dns, api: fc.constant('https://bitbucket.example.com'), basicAuth, insecure: fc.boolean(), caRef }, { requiredKeys: ['project', 'repo', 'api'] }) }),
  fc.record({ bitbucket: fc.record({ owner: dns, repo: dns, api: fc.constant('https://api.bitbucket.org/2.0'), bearerToken: fc.record({ tokenRef: secretRef }) }, { requiredKeys: ['owner', 'repo'] }) }),
  fc.record({ azuredevops: fc.record({ organization: dns, project: dns, repo: dns, api: fc.constant('https://dev.example.com'), tokenRef: secretRef, labels: fc.constant(['preview']) }, { requiredKeys: ['organization', 'project', 'repo'] }) }),
);

const pullRequest: fc.Arbitrary<Gen> = fc.record({
  provider: pullRequestProvider,
  filters: opt(fc.array(fc.record({ branchMatch: fc.constant('^feature-.*'), targetBranchMatch: fc.constant('^main$'), titleMatch: fc.constant('deploy') }, { requiredKeys: [] }), { minLength: 1, maxLength: 2 })),
  values,
  requeueAfterSeconds: requeue,
  continueOnRepoNotFoundError: opt(fc.boolean()),
}).map(({ provider, ...rest }) => ({ g: { pullRequest: clean({ ...provider, ...rest }) }, param: 'number' }));

const clusterDecisionResource: fc.Arbitrary<Gen> = fc.record({
  configMapRef: fc.constant('ocm-placement-generator'),
  byName: fc.boolean(),
  name: dns,
  labelSelector: selector,
  values,
  requeueAfterSeconds: requeue,
}).map(({ byName, name, labelSelector, ...rest }) => ({ g: { clusterDecisionResource: clean({ ...rest, ...(byName ? { name } : { labelSelector }) }) }, param: 'clusterName' }));

const plugin: fc.Arbitrary<Gen> = fc.record({
  configMapRef: fc.record({ name: dns }),
  input: opt(fc.record({ parameters: fc.record({ env: dns, replicas: fc.integer({ min: 1, max: 5 }), flags: fc.constant(['a', 'b']) }) })),
  values,
  requeueAfterSeconds: requeue,
}).map((p) => ({ g: { plugin: clean(p) }, param: 'cluster' }));

const plain = (go: boolean) => fc.oneof(list(go), clusters, git, scm, pullRequest, clusterDecisionResource, plugin);

/**
 * The second generator of a matrix: its parameters are other than the first's (Argo CD fails a
 * matrix whose two generators give one key two values, which the import reports as a refusal).
 */
const second = (go: boolean) => fc.oneof(list(go, 'stage'), gitWith(fc.constant('second')), scm, pullRequest, clusterDecisionResource, plugin);

/** A post-selector and a generator template, sometimes, on a generator at the top level. */
const withOptions = (gen: fc.Arbitrary<Gen>) => fc.record({
  gen,
  postSelector: opt(fc.record({ matchLabels: fc.record({ env: dns }) })),
  template: opt(fc.oneof(
    fc.constant({ metadata: {}, spec: { project: '', destination: {} } }),
    fc.record({ label: dns }).map(({ label }) => ({ metadata: { labels: { generator: label } }, spec: { project: '', destination: {} } })),
    fc.constant(null).map(() => ({
      metadata: { annotations: { team: 'platform' } },
      spec: { project: 'default', destination: { server: 'https://kubernetes.default.svc', namespace: 'gen' }, source: { repoURL: 'https://github.com/myorg/apps.git', targetRevision: 'main', path: 'override' } },
    })),
  )),
}).map(({ gen, postSelector, template }): Gen => {
  const kind = Object.keys(gen.g)[0];
  const g = { ...gen.g, [kind]: { ...gen.g[kind], ...(template ? { template } : {}) }, ...(postSelector ? { selector: postSelector } : {}) };
  return { g, param: gen.param };
});

const combination = (go: boolean): fc.Arbitrary<Gen> => fc.oneof(
  fc.tuple(plain(go), second(go)).map(([a, b]) => ({ g: { matrix: { generators: [a.g, b.g] } }, param: a.param })),
  // a nested matrix: a matrix of two plain generators inside a matrix
  fc.tuple(plain(go), second(go), fc.oneof(scm, pullRequest, plugin)).map(([a, b, c]) => ({ g: { matrix: { generators: [{ matrix: { generators: [a.g, b.g] } }, c.g] } }, param: a.param })),
  // merges pair on a key every merged generator produces
  fc.tuple(list(false), list(false), fc.boolean()).map(([a, b, three]) => ({
    g: { merge: { mergeKeys: ['env'], generators: [a.g, b.g, ...(three ? [{ list: { elements: [{ env: 'dev', extra: 'x' }] } }] : [])].map((x) => ({ list: { elements: x.list.elements ?? [{ env: 'dev' }] } })) } },
    param: 'env',
  })),
  fc.tuple(clusters, clusters).map(([a, b]) => ({ g: { merge: { mergeKeys: ['server'], generators: [a.g, b.g] } }, param: 'name' })),
  // a merge inside a matrix
  fc.tuple(clusters, clusters, gitWith(fc.constant('second'))).map(([a, b, c]) => ({ g: { matrix: { generators: [{ merge: { mergeKeys: ['server'], generators: [a.g, b.g] } }, c.g] } }, param: 'name' })),
);

// an empty list is left out by the construct (as Argo CD reads it: no option), so it is not generated
const goOptions = fc.constantFrom(undefined, ['missingkey=error'], ['missingkey=zero'], ['missingkey=default'], ['missingkey=invalid'], ['missingkey=zero', 'missingkey=error']);

const strategy = fc.oneof(
  fc.record({ type: fc.constant('AllAtOnce'), deletionOrder: fc.constantFrom('AllAtOnce', 'Reverse') }, { requiredKeys: ['type'] }),
  fc.record({
    type: fc.constant('RollingSync'),
    rollingSync: fc.record({
      steps: fc.array(fc.record({
        matchExpressions: fc.array(fc.record({ key: fc.constantFrom('env', 'tier'), operator: fc.constantFrom('In', 'NotIn'), values: fc.uniqueArray(dns, { minLength: 1, maxLength: 2 }) }), { minLength: 1, maxLength: 2 }),
        maxUpdate: fc.oneof(fc.integer({ min: 0, max: 10 }), fc.integer({ min: 0, max: 100 }).map((p) => `${p}%`)),
      }, { requiredKeys: ['matchExpressions'] }), { minLength: 1, maxLength: 3 }),
    }),
    deletionOrder: fc.constantFrom('AllAtOnce', 'Reverse'),
  }, { requiredKeys: ['type', 'rollingSync'] }),
);

const source = (ph: (p: string) => string, param: string) => fc.oneof(
  fc.constant({ repoURL: 'https://github.com/myorg/infra.git', targetRevision: 'main', path: `apps/${ph(param)}` }),
  fc.constant({ repoURL: 'https://charts.example.com', chart: 'redis', targetRevision: '18.*', helm: { releaseName: ph(param), valueFiles: ['values.yaml'] } }),
  fc.constant({ repoURL: 'https://github.com/myorg/infra.git', targetRevision: 'main', path: 'base', kustomize: { namePrefix: `${ph(param)}-` } }),
);

/** Every plain generator kind, by index: each batch holds one of each (then random ones). */
const PLAIN = (go: boolean) => [list(go), clusters, git, scm, pullRequest, clusterDecisionResource, plugin];

const applicationSet = (name: string, index: number) => fc.boolean().chain((go) => {
  const ph = (p: string) => (go ? `{{ .${p} }}` : `{{${p}}}`);
  const generator = index < PLAIN(go).length
    ? withOptions(PLAIN(go)[index])
    : fc.oneof({ weight: 1, arbitrary: withOptions(plain(go)) }, { weight: 2, arbitrary: withOptions(combination(go)) });
  return fc.record({
    generator,
    // a second generator, at times: each must produce what the template uses
    second: opt(list(go)),
    goTemplateOptions: goOptions,
    templatePatch: fc.boolean(),
    syncPolicy: opt(fc.record({ preserveResourcesOnDeletion: fc.boolean(), applicationsSync: fc.constantFrom('create-only', 'create-update', 'create-delete', 'sync') }, { requiredKeys: [] })
      .filter((p) => Object.keys(p).length > 0)),
    strategy: opt(strategy),
    ignoreApplicationDifferences: opt(fc.array(fc.record({ name: dns, jsonPointers: fc.constant(['/spec/source/targetRevision']), jqPathExpressions: fc.constant(['.spec.source.helm.values']) }, { requiredKeys: ['jsonPointers'] }), { minLength: 1, maxLength: 2 })),
    preservedFields: opt(fc.record({ annotations: fc.constant(['notified.argoproj.io']), labels: fc.constant(['team']) }, { requiredKeys: [] }).filter((p) => Object.keys(p).length > 0)),
    labels: opt(fc.dictionary(fc.constantFrom('team', 'tier'), dns, { minKeys: 1, maxKeys: 2 })),
    wave: opt(fc.integer({ min: -3, max: 3 })),
    templateLabels: fc.boolean(),
    finalizers: fc.boolean(),
    templatedProject: fc.boolean(),
    destinationByName: fc.boolean(),
    automated: opt(fc.record({ prune: fc.boolean(), selfHeal: fc.boolean() })),
    multi: fc.boolean(),
  }).chain((s) => {
    // the template uses what every generator produces: env when a second list is there
    // (a second list beside a generator that produces env: each must produce what the template uses)
    const param = s.generator.param;
    const generators = s.second && param === 'env' ? [s.generator.g, s.second.g] : [s.generator.g];
    return fc.tuple(source(ph, param), source(ph, param)).map(([src, src2]) => {
      const spec: any = {
        project: s.templatedProject ? ph(param) : 'default',
        destination: s.destinationByName ? { name: 'in-cluster', namespace: ph(param) } : { server: 'https://kubernetes.default.svc', namespace: ph(param) },
      };
      if (s.multi) spec.sources = [src, src2];
      else spec.source = src;
      if (s.automated) spec.syncPolicy = { automated: s.automated, syncOptions: ['CreateNamespace=true'] };
      const metadata: any = { name: `${name}-${ph(param)}` };
      if (s.templateLabels) metadata.labels = { app: name, param: ph(param) };
      if (s.finalizers) metadata.finalizers = ['resources-finalizer.argocd.argoproj.io'];
      const set: any = {
        apiVersion: 'argoproj.io/v1alpha1', kind: 'ApplicationSet',
        metadata: clean({ name, namespace: 'argocd', labels: s.labels, annotations: s.wave !== undefined ? { 'argocd.argoproj.io/sync-wave': String(s.wave) } : undefined }),
        spec: clean({
          goTemplate: go ? true : undefined,
          goTemplateOptions: go ? s.goTemplateOptions : undefined,
          generators,
          template: { metadata, spec },
          templatePatch: go && s.templatePatch ? `metadata:\n  annotations:\n    generated-for: '${ph(param)}'\n` : undefined,
          syncPolicy: s.syncPolicy,
          strategy: s.strategy,
          ignoreApplicationDifferences: s.ignoreApplicationDifferences,
          preservedFields: s.preservedFields,
        }),
      };
      return set;
    });
  });
});

const batch = fc.uniqueArray(dns, { minLength: 9, maxLength: 12 }).chain((names) => fc.tuple(...names.map((n, i) => applicationSet(`${n}-set`, i))));

describe('property', () => {
  const seed = Number(process.env.IMPORT_SEED ?? 31415);
  const runs = Number(process.env.IMPORT_RUNS ?? 5);
  test(`random valid ApplicationSets round-trip through the typed construct, with no patch (seed ${seed}, ${runs} runs)`, async () => {
    const programs: string[] = [];
    const kinds = new Set<string>();
    const walk = (g: any) => { for (const [k, v] of Object.entries<any>(g)) if (k !== 'selector') { kinds.add(k); for (const c of v.generators ?? []) walk(c); } };
    await fc.assert(fc.asyncProperty(batch, async (sets) => {
      for (const s of sets) for (const g of s.spec.generators) walk(g);
      // GIVEN ApplicationSets the CRD schema accepts
      expect(schemaProblems(sets)).toEqual([]);
      const inputs: InputObject[] = sets.map((manifest, i) => ({ file: `sets/${i}.yaml`, document: 1, manifest }));
      // WHEN they are imported, many in one program (each import runs a synthesis)
      const r = await importObjects(inputs, { check: true });
      // THEN the program synthesizes them again, each through ApplicationSet and its props alone
      expect(r.differences).toEqual([]);
      const written = r.objects.map((o) => `${o.name}: ${o.as} ${o.fallback ?? ''} ${o.patched.join(', ')}`.trim());
      const notTyped = written.filter((w) => !/^\S+: ApplicationSet$/.test(w));
      if (notTyped.length > 0) throw new Error(`not written typed and whole:\n${notTyped.join('\n')}`);
      expect(written).toEqual(sets.map((s) => `${s.metadata.name}: ApplicationSet`));
      programs.push(r.program);
    }), {
      seed, numRuns: runs, endOnFailure: true,
      reporter: (out) => { if (out.failed) throw new Error(`property failed with seed ${seed} (IMPORT_SEED=${seed} replays it): ${String((out as any).errorInstance ?? '').slice(0, 4000)}\n${fc.defaultReportMessage(out)}`); },
    });
    // and the programs compile, strictly
    expect(compile(programs)).toEqual([]);
    process.stderr.write(`generator kinds in these runs: ${[...kinds].sort().join(', ')}\n`);
    if (!HAVE_CRDS) process.stderr.write('the generated ApplicationSets were not checked against the CRD schema (no CRD folder)\n');
  }, 300_000);
});

describe('what the props cannot say, and what the construct refuses', () => {
  const set = (name: string, spec: any) => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'ApplicationSet', metadata: { name, namespace: 'argocd' }, spec });
  const template = (name: string) => ({
    metadata: { name },
    spec: { project: 'default', source: { repoURL: 'https://github.com/myorg/infra.git', targetRevision: 'main', path: 'apps' }, destination: { server: 'https://kubernetes.default.svc', namespace: 'apps' } },
  });
  const list = (key: string) => ({ list: { elements: [{ [key]: 'a' }] } });

  test('fields the props cannot say are patched; refusals and shapes no factory says are written as they are, with the reason', async () => {
    // GIVEN four ApplicationSets the CRD schema accepts
    const sets = [
      // a deprecated field and an explicit `exclude: false`, which the construct leaves out
      set('patched', { applyNestedSelectors: true, generators: [{ git: { repoURL: 'https://github.com/myorg/infra.git', revision: 'main', directories: [{ path: 'apps/*', exclude: false }] } }], template: template('{{path.basename}}') }),
      // a placeholder the generator does not produce (a git directory gives path, path.basename, ...)
      set('refused', { generators: [{ git: { repoURL: 'https://github.com/myorg/infra.git', revision: 'main', directories: [{ path: 'apps/*' }] } }], template: template('app-{{cluster}}') }),
      // a matrix of three generators
      set('matrix-of-three', { generators: [{ matrix: { generators: [list('a'), list('b'), list('c')] } }], template: template('app-{{a}}') }),
      // a matrix inside a matrix inside a matrix
      set('too-deep', { generators: [{ matrix: { generators: [{ matrix: { generators: [{ matrix: { generators: [list('a'), list('b')] } }, list('c')] } }, list('d')] } }], template: template('app-{{a}}') }),
    ];
    expect(schemaProblems(sets)).toEqual([]);
    // WHEN they are imported and checked
    const r = await importObjects(sets.map((manifest, i) => ({ file: `sets/${i}.yaml`, document: 1, manifest })), { check: true });
    // THEN the round trip gives them back
    expect(r.differences).toEqual([]);
    const byName = Object.fromEntries(r.objects.map((o) => [o.name, o]));
    // the first typed, its two fields through JSON patches, each commented
    expect(byName.patched).toMatchObject({ as: 'ApplicationSet', patched: ['spec.applyNestedSelectors', 'spec.generators[0].git.directories[0].exclude'] });
    expect(byName.patched.fallback).toBeUndefined();
    expect(r.program).toContain("// spec.applyNestedSelectors: not said by ApplicationSet's props; written as it is\nApiObject.of(patched).addJsonPatch(JsonPatch.add('/spec/applyNestedSelectors', true));");
    // the others as ApiObject, the summary saying why
    expect(byName.refused.as).toBe('ApiObject');
    expect(byName.refused.fallback).toBe("ApplicationSet refuses it: spec.template.metadata.name 'app-{{cluster}}' uses 'cluster', which is not produced by the generators; they produce: path, path.basename, path.basenameNormalized, path[*]; use one of those, or produce it with the generators (e.g. a list element key or values)");
    expect(byName['matrix-of-three']).toMatchObject({ as: 'ApiObject', fallback: 'the typed construct cannot say spec.generators[0].matrix with 3 generators; a matrix combines exactly two' });
    expect(byName['too-deep']).toMatchObject({
      as: 'ApiObject',
      fallback: 'the typed construct cannot say spec.generators[0].matrix.generators[0].matrix.generators[0].matrix inside a matrix or merge that is itself inside one; Argo CD evaluates one nested level only',
    });
    expect(r.program).toContain('// ApplicationSet as it is: the typed construct cannot say spec.generators[0].matrix with 3 generators');
    expect(compile([r.program])).toEqual([]);
  }, 120_000);
});
