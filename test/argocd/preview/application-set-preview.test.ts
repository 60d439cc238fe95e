import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { loadYamlDocuments } from '../../../lib/_internal/yaml';
import { ValidationError } from '../../../lib/errors';
import {
  ApplicationSetPreview, GitFileGlobbing, PreviewError, PreviewWorld,
} from '../../../lib/argocd/preview/application-set-preview';
import { schemaProblems } from '../../support/crds';

const SEEDS = path.join(__dirname, '..', '..', 'fixtures', 'seeds');
const seed = (file: string) => loadYamlDocuments(fs.readFileSync(path.join(SEEDS, file), 'utf8'));

function appSet(spec: any, name = 'demo'): any {
  return { apiVersion: 'argoproj.io/v1alpha1', kind: 'ApplicationSet', metadata: { name, namespace: 'argocd' }, spec };
}

const TEMPLATE = (name: string, extra: any = {}) => ({
  metadata: { name },
  spec: {
    project: 'default',
    source: { repoURL: 'https://github.com/org/repo.git', targetRevision: 'main', path: 'apps' },
    destination: { server: 'https://kubernetes.default.svc', namespace: 'default' },
    ...extra,
  },
});

const names = (apps: any[]) => apps.map((a) => a.metadata.name);

function clusterSecret(name: string, server: string, labels: Record<string, string> = {}, extra: any = {}): any {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: `cluster-${name}`, namespace: 'argocd', labels: { 'argocd.argoproj.io/secret-type': 'cluster', ...labels }, ...(extra.metadata ?? {}) },
    stringData: { name, server, ...(extra.stringData ?? {}) },
  };
}

function expectPreviewError(fn: () => unknown, message: string): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(PreviewError);
  expect(ValidationError.isValidationError(caught)).toBe(true);
  expect((caught as Error).message).toBe(message);
}

describe('seeds', () => {
  it('expands seed 02 (list generator) into one Application per environment', () => {
    const [manifest] = seed('02-applicationset-list.yaml');
    const apps = ApplicationSetPreview.expand(manifest);
    expect(names(apps)).toEqual(['api-dev', 'api-production', 'api-staging']);
    expect(apps[0]).toEqual({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'api-dev', namespace: 'argocd', finalizers: ['resources-finalizer.argocd.argoproj.io'] },
      spec: {
        project: 'default',
        source: { repoURL: 'https://github.com/myorg/infra-repo.git', targetRevision: 'main', path: 'apps/api/overlays/dev' },
        destination: { server: 'https://dev.k8s.example.com', namespace: 'dev' },
        syncPolicy: { automated: { prune: true } },
      },
    });
    expect(apps[1].spec.destination).toEqual({ server: 'https://prod.k8s.example.com', namespace: 'production' });
    expect(schemaProblems(apps)).toEqual([]);
  });

  describe('seed 09', () => {
    const [microservices, monitoring, multi] = seed('09-applicationset-git-cluster-matrix.yaml');
    const world: PreviewWorld = {
      repositories: {
        'https://github.com/myorg/k8s-manifests.git': {
          'apps/api/overlays/production/kustomization.yaml': 'resources: []\n',
          'apps/web/overlays/production/kustomization.yaml': 'resources: []\n',
          'apps/deprecated-legacy/overlays/production/kustomization.yaml': 'resources: []\n',
          'apps/README.md': '# apps\n',
          'infrastructure/monitoring/Chart.yaml': 'name: monitoring\n',
        },
      },
      clusterSecrets: [
        clusterSecret('prod-eu', 'https://prod-eu.example.com', { env: 'production', region: 'eu-west-1' }),
        clusterSecret('prod-us', 'https://prod-us.example.com', { env: 'production', region: 'us-east-1' }),
        clusterSecret('staging', 'https://staging.example.com', { env: 'staging', region: 'eu-west-1' }),
      ],
    };

    it('git directories: apps/* minus apps/deprecated-*, directories only', () => {
      const apps = ApplicationSetPreview.expand(microservices, world);
      expect(names(apps)).toEqual(['api', 'web']);
      expect(apps[0].spec.source.path).toBe('apps/api/overlays/production');
      expect(apps[0].spec.destination).toEqual({ server: 'https://kubernetes.default.svc', namespace: 'api' });
      expect(schemaProblems(apps)).toEqual([]);
    });

    it('clusters: one monitoring stack per production cluster, in-cluster left out by the selector', () => {
      const apps = ApplicationSetPreview.expand(monitoring, world);
      expect(names(apps)).toEqual(['monitoring-prod-eu', 'monitoring-prod-us']);
      expect(apps[0].spec.source.helm.values).toBe('cluster: prod-eu\nregion: eu-west-1\n');
      expect(apps[1].spec.destination).toEqual({ server: 'https://prod-us.example.com', namespace: 'monitoring' });
      expect(schemaProblems(apps)).toEqual([]);
    });

    it('matrix: every app directory on every production cluster', () => {
      const apps = ApplicationSetPreview.expand(multi, world);
      expect(names(apps)).toEqual([
        'api-prod-eu', 'api-prod-us',
        'deprecated-legacy-prod-eu', 'deprecated-legacy-prod-us',
        'web-prod-eu', 'web-prod-us',
      ]);
      expect(apps[0].spec.destination).toEqual({ server: 'https://prod-eu.example.com', namespace: 'api' });
      expect(schemaProblems(apps)).toEqual([]);
    });
  });
});

describe('list generator', () => {
  it('leaves unknown fasttemplate keys as they are', () => {
    const apps = ApplicationSetPreview.expand(appSet({
      generators: [{ list: { elements: [{ env: 'dev' }] } }],
      template: TEMPLATE('app-{{env}}'),
    }));
    expect(names(apps)).toEqual(['app-dev']);
    const withUnknown = ApplicationSetPreview.expand(appSet({
      generators: [{ list: { elements: [{ env: 'dev' }] } }],
      template: { ...TEMPLATE('app-{{env}}'), spec: { ...TEMPLATE('x').spec, destination: { server: 'https://kubernetes.default.svc', namespace: '{{ nope }}' } } },
    }));
    expect(withUnknown[0].spec.destination.namespace).toBe('{{ nope }}');
  });

  it('prints numbers of a million or more as Go prints a float64', () => {
    const apps = ApplicationSetPreview.expand(appSet({
      goTemplate: true,
      generators: [{ list: { elements: [{ name: 'big', replicas: 1000000, ratio: 0.5, on: true }] } }],
      template: TEMPLATE('{{.name}}-{{.replicas}}-{{.ratio}}-{{.on}}'),
    }));
    expect(names(apps)).toEqual(['big-1e+06-0.5-true']);
  });

  // Argo CD v3.5.1 applicationset/generators/list.go GenerateParams: under fasttemplate every
  // element value must be a string (the error wraps a nil error, hence Go's %!w(<nil>))
  it('fails when a fasttemplate element holds a number, a boolean or null', () => {
    for (const value of [1000000, true, null]) {
      expectPreviewError(() => ApplicationSetPreview.expand(appSet({
        generators: [{ list: { elements: [{ name: 'big', v: value }] } }],
        template: TEMPLATE('{{name}}'),
      })), 'error parsing value as string %!w(<nil>)');
    }
  });

  it('keeps any JSON under goTemplate', () => {
    const apps = ApplicationSetPreview.expand(appSet({
      goTemplate: true,
      goTemplateOptions: ['missingkey=error'],
      generators: [{ list: { elements: [{ name: 'a', cfg: { replicas: 3, tags: ['x', 'y'] } }] } }],
      template: TEMPLATE('{{.name}}-{{.cfg.replicas}}-{{index .cfg.tags 1}}'),
    }));
    expect(names(apps)).toEqual(['a-3-y']);
  });

  it('fails when a fasttemplate element holds an object', () => {
    expectPreviewError(() => ApplicationSetPreview.expand(appSet({
      generators: [{ list: { elements: [{ name: 'a', cfg: { x: 1 } }] } }],
      template: TEMPLATE('{{name}}'),
    })), 'error parsing value as string %!w(<nil>)');
  });

  it('renders nothing for an empty parameter set: the template stays as written, without finalizer', () => {
    const apps = ApplicationSetPreview.expand(appSet({
      generators: [{ list: { elements: [{}] } }],
      template: TEMPLATE('static-{{env}}'),
    }));
    expect(apps).toHaveLength(1);
    expect(apps[0].metadata).toEqual({ name: 'static-{{env}}', namespace: 'argocd' });
  });

  it('reads elementsYaml', () => {
    const apps = ApplicationSetPreview.expand(appSet({
      generators: [{ list: { elements: [{ env: 'a' }], elementsYaml: '- env: b\n- env: c\n' } }],
      template: TEMPLATE('app-{{env}}'),
    }));
    expect(names(apps)).toEqual(['app-a', 'app-b', 'app-c']);
  });

  it('templates values with the element and filters with a post-selector', () => {
    const apps = ApplicationSetPreview.expand(appSet({
      generators: [{
        list: { elements: [{ env: 'dev', values: { tier: 'low' } }, { env: 'prod', values: { tier: 'high' } }] },
        selector: { matchExpressions: [{ key: 'values.tier', operator: 'In', values: ['high'] }] },
      }],
      template: TEMPLATE('app-{{env}}-{{values.tier}}'),
    }));
    expect(names(apps)).toEqual(['app-prod-high']);
  });

  it('fails on a bad post-selector operator', () => {
    expectPreviewError(() => ApplicationSetPreview.expand(appSet({
      generators: [{ list: { elements: [{ env: 'dev' }] }, selector: { matchExpressions: [{ key: 'env', operator: 'Equals', values: ['dev'] }] } }],
      template: TEMPLATE('app-{{env}}'),
    })), 'error parsing label selector: "Equals" is not a valid pod selector operator');
  });
});

describe('Application shape', () => {
  it('fails when two Applications get the same name, worded as Argo CD words it', () => {
    expectPreviewError(() => ApplicationSetPreview.expand(appSet({
      generators: [{ list: { elements: [{ env: 'dev' }, { env: 'prod' }] } }],
      template: TEMPLATE('{{.env}}-app'),
    }, 'dup')), 'ApplicationSet dup contains applications with duplicate name: {{.env}}-app');
  });

  it('forces the namespace, keeps template finalizers, honours preserveResourcesOnDeletion', () => {
    const tmpl = TEMPLATE('app-{{env}}');
    const withNs = { ...tmpl, metadata: { ...tmpl.metadata, namespace: 'elsewhere', finalizers: ['x.example.com/f'] } };
    const [a] = ApplicationSetPreview.expand(appSet({ generators: [{ list: { elements: [{ env: 'dev' }] } }], template: withNs }));
    expect(a.metadata).toEqual({ name: 'app-dev', namespace: 'argocd', finalizers: ['x.example.com/f'] });
    const [b] = ApplicationSetPreview.expand(appSet({
      generators: [{ list: { elements: [{ env: 'dev' }] } }], template: tmpl, syncPolicy: { preserveResourcesOnDeletion: true },
    }));
    expect(b.metadata).toEqual({ name: 'app-dev', namespace: 'argocd' });
  });

  it('merges a generator template over the ApplicationSet template', () => {
    const apps = ApplicationSetPreview.expand(appSet({
      generators: [
        { list: { elements: [{ env: 'a' }] } },
        { list: { elements: [{ env: 'b' }], template: { metadata: {}, spec: { project: 'special', destination: { namespace: 'ns-{{env}}' } } } } },
      ],
      template: TEMPLATE('app-{{env}}'),
    }));
    expect(apps[0].spec.project).toBe('default');
    expect(apps[1].spec.project).toBe('special');
    expect(apps[1].spec.destination).toEqual({ namespace: 'ns-b', server: 'https://kubernetes.default.svc' });
  });

  it('applies templatePatch (selfHeal only in dev, the intent of seed 02)', () => {
    const apps = ApplicationSetPreview.expand(appSet({
      goTemplate: true,
      goTemplateOptions: ['missingkey=error'],
      generators: [{ list: { elements: [{ env: 'dev' }, { env: 'prod' }] } }],
      template: TEMPLATE('api-{{.env}}'),
      templatePatch: '{{- if eq .env "dev" }}\nspec:\n  syncPolicy:\n    automated:\n      selfHeal: true\n{{- end }}\n',
    }));
    expect(apps[0].spec.syncPolicy).toEqual({ automated: { selfHeal: true } });
    expect(apps[1].spec.syncPolicy).toBeUndefined();
  });
});

describe('clusters generator', () => {
  const secrets = [
    clusterSecret('Prod_EU', 'https://prod-eu.example.com', { env: 'production' }, { metadata: { annotations: { owner: 'team-a' } }, stringData: { project: 'platform' } }),
    clusterSecret('dev', 'https://dev.example.com', { env: 'dev' }),
  ];

  it('adds the in-cluster cluster when there is no selector', () => {
    const apps = ApplicationSetPreview.expand(appSet({
      generators: [{ clusters: {} }],
      template: TEMPLATE('{{nameNormalized}}-{{project}}x'),
    }), { clusterSecrets: secrets });
    expect(names(apps)).toEqual(['dev-x', 'in-cluster-x', 'prod-eu-platformx']);
  });

  it('leaves in-cluster out when the selector is set', () => {
    const apps = ApplicationSetPreview.expand(appSet({
      generators: [{ clusters: { selector: { matchExpressions: [{ key: 'env', operator: 'Exists' }] } } }],
      template: TEMPLATE('{{nameNormalized}}'),
    }), { clusterSecrets: secrets });
    expect(names(apps)).toEqual(['dev', 'prod-eu']);
  });

  it('uses a Secret for https://kubernetes.default.svc instead of the implicit in-cluster', () => {
    const apps = ApplicationSetPreview.expand(appSet({
      generators: [{ clusters: {} }],
      template: TEMPLATE('{{name}}'),
    }), { clusterSecrets: [clusterSecret('local', 'https://kubernetes.default.svc')] });
    expect(names(apps)).toEqual(['local']);
  });

  it('reads base64 data, labels, annotations and values (fasttemplate)', () => {
    const secret = {
      metadata: { labels: { 'argocd.argoproj.io/secret-type': 'cluster', region: 'eu' }, annotations: { team: 'a' } },
      data: { name: Buffer.from('eu1').toString('base64'), server: Buffer.from('https://eu1.example.com').toString('base64') },
    };
    const [app] = ApplicationSetPreview.expand(appSet({
      generators: [{ clusters: { selector: { matchLabels: { region: 'eu' } }, values: { ns: 'ns-{{metadata.labels.region}}-{{name}}' } } }],
      template: TEMPLATE('{{name}}-{{metadata.annotations.team}}-{{values.ns}}'),
    }), { clusterSecrets: [secret] });
    expect(app.metadata.name).toBe('eu1-a-ns-eu-eu1');
  });

  it('nests metadata under goTemplate, and flatList gives one parameter set', () => {
    const [app] = ApplicationSetPreview.expand(appSet({
      goTemplate: true,
      generators: [{ clusters: { selector: { matchLabels: { env: 'production' } } } }],
      template: TEMPLATE('{{.name | normalize}}-{{.metadata.labels.env}}-{{.metadata.annotations.owner}}'),
    }), { clusterSecrets: secrets });
    expect(app.metadata.name).toBe('prod-eu-production-team-a');
    const flat = ApplicationSetPreview.expand(appSet({
      goTemplate: true,
      generators: [{ clusters: { flatList: true } }],
      // Argo CD v3.5.1 cluster.go GenerateParams appends the in-cluster cluster after the secrets
      template: TEMPLATE('all-{{len .clusters}}-{{(index .clusters (sub (len .clusters) 1)).name}}'),
    }), { clusterSecrets: secrets });
    expect(names(flat)).toEqual(['all-3-in-cluster']);
  });
});

describe('git generators', () => {
  const repo = 'https://github.com/org/config.git';
  const files = {
    'apps/api/kustomization.yaml': '',
    'apps/web/kustomization.yaml': '',
    'apps/web/nested/deep/file.txt': '',
    'apps/.hidden/x.yaml': '',
    'apps/readme.md': '',
    'clusters/dev/config.json': '{"cluster": {"name": "dev", "replicas": 1000000, "on": true}, "tags": ["a", "b"]}',
    'clusters/prod/config.json': '{"cluster": {"name": "prod", "replicas": 3}}',
    'clusters/prod/extra/config.json': '{"cluster": {"name": "prod-extra"}}',
    'envs/list.yaml': '- env: qa\n  enabled: yes\n- env: uat\n',
    'envs/empty.yaml': '',
  };
  const world: PreviewWorld = { repositories: { [repo]: files } };

  it('git directories: only directories, hidden ones skipped, exclude wins, path[n]', () => {
    const apps = ApplicationSetPreview.expand(appSet({
      generators: [{ git: { repoURL: repo, revision: 'main', directories: [{ path: 'apps/*' }, { path: 'apps/web', exclude: true }] } }],
      template: TEMPLATE('{{path.basename}}-{{path[0]}}-{{path.basenameNormalized}}'),
    }), world);
    expect(names(apps)).toEqual(['api-apps-api']);
    const nested = ApplicationSetPreview.expand(appSet({
      generators: [{ git: { repoURL: repo, revision: 'main', directories: [{ path: 'apps/*/*/*' }], pathParamPrefix: 'p' } }],
      template: TEMPLATE('{{p.path.basename}}-{{p.path[3]}}'),
    }), world);
    expect(names(nested)).toEqual(['deep-deep']);
  });

  it('git directories under goTemplate give path as an object with segments', () => {
    const apps = ApplicationSetPreview.expand(appSet({
      goTemplate: true,
      generators: [{ git: { repoURL: repo, revision: 'main', directories: [{ path: 'apps/*' }] } }],
      template: TEMPLATE('{{.path.basename}}-{{index .path.segments 0}}'),
    }), world);
    expect(names(apps)).toEqual(['api-apps', 'web-apps']);
  });

  it('git files: flattened content, Go float printing, path params, sorted files', () => {
    const apps = ApplicationSetPreview.expand(appSet({
      generators: [{ git: { repoURL: repo, revision: 'main', files: [{ path: 'clusters/*/config.json' }] } }],
      template: TEMPLATE('{{cluster.name}}-{{path.basename}}', { info: [{ name: 'r', value: '{{cluster.replicas}}|{{cluster.on}}|{{tags.1}}|{{path.filename}}|{{path}}' }] }),
    }), world);
    // legacy globbing: `*` crosses `/`, so clusters/prod/extra/config.json is selected too
    expect(names(apps)).toEqual(['dev-dev', 'prod-extra-extra', 'prod-prod']);
    expect(apps[0].spec.info[0].value).toBe('1e+06|true|b|config.json|clusters/dev');
  });

  it('git files with doublestar globbing: `*` stays in its segment, `**` spans', () => {
    const single = ApplicationSetPreview.expand(appSet({
      generators: [{ git: { repoURL: repo, revision: 'main', files: [{ path: 'clusters/*/config.json' }] } }],
      template: TEMPLATE('{{cluster.name}}'),
    }), { ...world, gitFileGlobbing: GitFileGlobbing.DOUBLESTAR });
    expect(names(single)).toEqual(['dev', 'prod']);
    const deep = ApplicationSetPreview.expand(appSet({
      generators: [{ git: { repoURL: repo, revision: 'main', files: [{ path: 'clusters/**/config.json' }] } }],
      template: TEMPLATE('{{cluster.name}}'),
    }), { ...world, gitFileGlobbing: GitFileGlobbing.DOUBLESTAR });
    expect(names(deep)).toEqual(['dev', 'prod', 'prod-extra']);
  });

  it('legacy globbing: an exclude with `*` excludes everything below it', () => {
    const apps = ApplicationSetPreview.expand(appSet({
      generators: [{ git: { repoURL: repo, revision: 'main', files: [{ path: 'clusters/*/config.json' }, { path: 'clusters/*', exclude: true }] } }],
      template: TEMPLATE('{{cluster.name}}'),
    }), world);
    expect(apps).toEqual([]);
  });

  it('git files: a list file gives one parameter set per element; an empty file one empty set', () => {
    const apps = ApplicationSetPreview.expand(appSet({
      generators: [{ git: { repoURL: repo, revision: 'main', files: [{ path: 'envs/list.yaml' }] } }],
      template: TEMPLATE('{{env}}-{{enabled}}'),
    }), world);
    expect(names(apps)).toEqual(['qa-true', 'uat-{{enabled}}']);
    const empty = ApplicationSetPreview.expand(appSet({
      generators: [{ git: { repoURL: repo, revision: 'main', files: [{ path: 'envs/empty.yaml' }] } }],
      template: TEMPLATE('e-{{path.basename}}'),
    }), world);
    expect(names(empty)).toEqual(['e-envs']);
  });

  it('git files under goTemplate keep nested values', () => {
    const [dev] = ApplicationSetPreview.expand(appSet({
      goTemplate: true,
      generators: [{ git: { repoURL: repo, revision: 'main', files: [{ path: 'clusters/dev/config.json' }] } }],
      template: TEMPLATE('{{.cluster.name}}-{{.cluster.replicas}}-{{.path.filename}}'),
    }), world);
    expect(dev.metadata.name).toBe('dev-1e+06-config.json');
  });

  it('fails when the repository is not described', () => {
    expectPreviewError(() => ApplicationSetPreview.expand(appSet({
      generators: [{ git: { repoURL: 'https://example.com/missing.git', revision: 'main', directories: [{ path: '*' }] } }],
      template: TEMPLATE('{{path}}'),
    }), world), 'error generating params from git: error getting directories from repo: repository https://example.com/missing.git is not described in the preview world; add its files to world.repositories');
  });
});

describe('matrix and merge', () => {
  it('templates the second child with the first child\'s parameters', () => {
    const apps = ApplicationSetPreview.expand(appSet({
      generators: [{
        matrix: {
          generators: [
            { list: { elements: [{ dir: 'apps' }] } },
            { git: { repoURL: 'https://g/r.git', revision: 'main', directories: [{ path: '{{dir}}/*' }] } },
          ],
        },
      }],
      template: TEMPLATE('{{dir}}-{{path.basename}}'),
    }), { repositories: { 'https://g/r.git': { 'apps/a/f': '', 'apps/b/f': '', 'other/c/f': '' } } });
    expect(names(apps)).toEqual(['apps-a', 'apps-b']);
  });

  it('fails on conflicting keys under fasttemplate', () => {
    expectPreviewError(() => ApplicationSetPreview.expand(appSet({
      generators: [{ matrix: { generators: [{ list: { elements: [{ env: 'a' }] } }, { list: { elements: [{ env: 'b' }] } }] } }],
      template: TEMPLATE('{{env}}'),
    })), 'failed to combine string maps with merging params for the matrix generator: found duplicate key env with different value, a: a ,b: b');
  });

  it('lets the first child win under goTemplate', () => {
    const apps = ApplicationSetPreview.expand(appSet({
      goTemplate: true,
      generators: [{ matrix: { generators: [{ list: { elements: [{ env: 'a' }] } }, { list: { elements: [{ env: 'b', x: '1' }] } }] } }],
      template: TEMPLATE('{{.env}}-{{.x}}'),
    }));
    expect(names(apps)).toEqual(['a-1']);
  });

  it('fails with one or three children', () => {
    expectPreviewError(() => ApplicationSetPreview.expand(appSet({
      generators: [{ matrix: { generators: [{ list: { elements: [{ a: '1' }] } }] } }],
      template: TEMPLATE('{{a}}'),
    })), 'found less than two generators, Matrix support only two');
  });

  it('merges on mergeKeys: the first child is the base, unmatched sets are dropped', () => {
    const apps = ApplicationSetPreview.expand(appSet({
      generators: [{
        merge: {
          mergeKeys: ['env'],
          generators: [
            { list: { elements: [{ env: 'dev', replicas: '1' }, { env: 'prod', replicas: '1' }] } },
            { list: { elements: [{ env: 'prod', replicas: '3' }, { env: 'qa', replicas: '9' }] } },
          ],
        },
      }],
      template: TEMPLATE('{{env}}-{{replicas}}'),
    }));
    expect(names(apps)).toEqual(['dev-1', 'prod-3']);
  });

  it('fails on duplicate merge keys in a child', () => {
    expectPreviewError(() => ApplicationSetPreview.expand(appSet({
      generators: [{ merge: { mergeKeys: ['missing'], generators: [{ list: { elements: [{ a: '1' }, { a: '2' }] } }, { list: { elements: [] } }] } }],
      template: TEMPLATE('{{a}}'),
    })), 'error getting param sets by merge key: the parameters from a generator were not unique by the given mergeKeys, Merge requires all param sets to be unique. Duplicate key was {"missing":null}');
  });

  it('expands a matrix nested inside a merge', () => {
    const apps = ApplicationSetPreview.expand(appSet({
      generators: [{
        merge: {
          mergeKeys: ['name', 'app'],
          generators: [
            {
              matrix: {
                generators: [
                  { clusters: { selector: { matchLabels: { env: 'prod' } } } },
                  { list: { elements: [{ app: 'api' }, { app: 'web' }] } },
                ],
              },
            },
            { list: { elements: [{ name: 'eu', app: 'api', region: 'eu-west-1' }] } },
          ],
        },
      }],
      template: TEMPLATE('{{app}}-{{name}}-{{region}}'),
    }), { clusterSecrets: [clusterSecret('eu', 'https://eu.example.com', { env: 'prod' })] });
    expect(names(apps)).toEqual(['api-eu-eu-west-1', 'web-eu-{{region}}'].sort());
  });

  it('fails on a third level of nesting with "child generator generated no parameters"', () => {
    expectPreviewError(() => ApplicationSetPreview.expand(appSet({
      generators: [{
        matrix: {
          generators: [
            { matrix: { generators: [{ matrix: { generators: [{ list: { elements: [{ a: '1' }] } }, { list: { elements: [{ b: '1' }] } }] } }, { list: { elements: [{ c: '1' }] } }] } },
            { list: { elements: [{ d: '1' }] } },
          ],
        },
      }],
      template: TEMPLATE('{{a}}'),
    })), 'error failed to get params for first generator in matrix generator: child generator returned an error on parameter generation: error failed to get params for first generator in matrix generator: child generator generated no parameters');
  });
});

describe('pullRequest and scmProvider', () => {
  it('gives the pull request parameters', () => {
    const [app] = ApplicationSetPreview.expand(appSet({
      generators: [{ pullRequest: { github: { owner: 'org', repo: 'app' }, filters: [{ branchMatch: '^feat' }] } }],
      template: TEMPLATE('pr-{{number}}-{{branch_slug}}', { info: [{ name: 'x', value: '{{head_short_sha}}|{{head_short_sha_7}}|{{target_branch_slug}}|{{author}}|{{title}}' }] }),
    }), {
      pullRequests: [
        { number: 42, title: 'Add thing', branch: 'feat/New_Thing', targetBranch: 'main', headSha: '0123456789abcdef', author: 'dev' },
        { number: 43, branch: 'fix/x', headSha: 'abc' },
      ],
    });
    expect(app.metadata.name).toBe('pr-42-feat-new-thing');
    expect(app.spec.info[0].value).toBe('01234567|0123456|main|dev|Add thing');
  });

  it('gives the scmProvider parameters', () => {
    const [app] = ApplicationSetPreview.expand(appSet({
      generators: [{ scmProvider: { github: { organization: 'org' }, filters: [{ repositoryMatch: '^svc-' }] } }],
      template: TEMPLATE('{{repository}}-{{branchNormalized}}', { info: [{ name: 'x', value: '{{organization}}|{{url}}|{{short_sha}}|{{short_sha_7}}|{{labels}}|{{repository_id}}' }] }),
    }), {
      scmRepositories: [
        { organization: 'org', repository: 'svc-a', repositoryId: '17', url: 'https://github.com/org/svc-a.git', branch: 'Main_Line', sha: 'fedcba9876543210', labels: ['x', 'y'] },
        { organization: 'org', repository: 'docs', url: 'https://github.com/org/docs.git', branch: 'main', sha: 'aaa' },
      ],
    });
    expect(app.metadata.name).toBe('svc-a-main-line');
    expect(app.spec.info[0].value).toBe('org|https://github.com/org/svc-a.git|fedcba98|fedcba9|x,y|17');
  });

  it('fails when the world does not describe pull requests or SCM repositories', () => {
    expectPreviewError(() => ApplicationSetPreview.expand(appSet({ generators: [{ pullRequest: { github: { owner: 'o', repo: 'r' } } }], template: TEMPLATE('x') })),
      'the pullRequest generator lists pull requests from the SCM provider; describe them in world.pullRequests to preview it');
    expectPreviewError(() => ApplicationSetPreview.expand(appSet({ generators: [{ scmProvider: { github: { organization: 'o' } } }], template: TEMPLATE('x') })),
      'the scmProvider generator lists repositories from the SCM provider; describe them in world.scmRepositories to preview it');
    expectPreviewError(() => ApplicationSetPreview.expand(appSet({ generators: [{ plugin: { configMapRef: { name: 'p' } } }], template: TEMPLATE('x') })),
      'the plugin generator calls a plugin service; the preview has no world input for it');
  });
});

describe('more generator details', () => {
  const repo = 'https://github.com/org/more.git';
  const world: PreviewWorld = {
    repositories: {
      [repo]: {
        'apps/api/a.json': '{"name": "api"}',
        'apps/web/a.json': '{"name": "web"}',
        'apps/web/sub/b.json': '{"name": "sub"}',
      },
    },
  };

  it('goTemplate: templates the second matrix child with nested params, and values become a map', () => {
    const apps = ApplicationSetPreview.expand(appSet({
      goTemplate: true,
      goTemplateOptions: ['missingkey=error'],
      generators: [{
        matrix: {
          generators: [
            { git: { repoURL: repo, revision: 'main', directories: [{ path: 'apps/*' }], values: { tier: 't-{{.path.basename}}' } } },
            { list: { elements: [{ suffix: '{{.path.basename}}-x' }] } },
          ],
        },
      }],
      template: TEMPLATE('{{.suffix}}-{{.values.tier}}'),
    }), world);
    expect(names(apps)).toEqual(['api-x-t-api', 'web-x-t-web']);
  });

  it('goTemplate: pathParamPrefix nests path under the prefix', () => {
    const apps = ApplicationSetPreview.expand(appSet({
      goTemplate: true,
      generators: [{ git: { repoURL: repo, revision: 'main', directories: [{ path: 'apps/*' }], pathParamPrefix: 'app' } }],
      template: TEMPLATE('{{.app.path.basenameNormalized}}'),
    }), world);
    expect(names(apps)).toEqual(['api', 'web']);
  });

  it('skips a directory pattern Go rejects (Argo CD logs it and moves on)', () => {
    const apps = ApplicationSetPreview.expand(appSet({
      generators: [{ git: { repoURL: repo, revision: 'main', directories: [{ path: 'apps/[' }, { path: 'apps/w*' }] } }],
      template: TEMPLATE('{{path.basename}}'),
    }), world);
    expect(names(apps)).toEqual(['web']);
  });

  it('fails when a doublestar pattern selects a directory or is malformed', () => {
    const ds = { ...world, gitFileGlobbing: GitFileGlobbing.DOUBLESTAR };
    expectPreviewError(() => ApplicationSetPreview.expand(appSet({
      generators: [{ git: { repoURL: repo, revision: 'main', files: [{ path: 'apps/*' }] } }],
      template: TEMPLATE('{{name}}'),
    }), ds), `error generating params from git: rpc error: code = Internal desc = unable to read files. repo ${repo} with revision main pattern apps/*: read apps/api: is a directory`);
    expectPreviewError(() => ApplicationSetPreview.expand(appSet({
      generators: [{ git: { repoURL: repo, revision: 'main', files: [{ path: 'apps/[' }] } }],
      template: TEMPLATE('{{name}}'),
    }), ds), `error generating params from git: rpc error: code = Internal desc = unable to list files. repo ${repo} with revision main pattern apps/[: syntax error in pattern`);
  });

  it('fails on a file that is not an object or a list of objects', () => {
    expectPreviewError(() => ApplicationSetPreview.expand(appSet({
      generators: [{ git: { repoURL: repo, revision: 'main', files: [{ path: 'x.yaml' }] } }],
      template: TEMPLATE('{{name}}'),
    }), { repositories: { [repo]: { 'x.yaml': '- 1\n- 2\n' } } }),
    // Argo CD v3.5.1 git.go generateParamsForGitFiles names the file and the repository
    "error generating params from git: unable to process file 'x.yaml' from repository 'https://github.com/org/more.git': unable to parse file: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal number into Go value of type map[string]interface {}");
  });

  it('slugs long pull request branches at a word boundary within 50 characters', () => {
    const [app] = ApplicationSetPreview.expand(appSet({
      generators: [{ pullRequest: { github: { owner: 'o', repo: 'r' } } }],
      template: TEMPLATE('{{branch_slug}}'),
    }), { pullRequests: [{ number: 1, branch: 'feature/a-very-long-branch-name-that-goes-on-and-on-forever', headSha: 'abc' }] });
    expect(app.metadata.name).toBe('feature-a-very-long-branch-name-that-goes-on-and');
    expect(app.metadata.name.length).toBeLessThanOrEqual(50);
  });

  it('exposes pull request labels under goTemplate only', () => {
    const [app] = ApplicationSetPreview.expand(appSet({
      goTemplate: true,
      generators: [{ pullRequest: { github: { owner: 'o', repo: 'r' } } }],
      template: TEMPLATE('pr-{{.number}}-{{join "-" .labels}}'),
    }), { pullRequests: [{ number: 7, branch: 'b', headSha: 'abc', labels: ['preview', 'x'] }] });
    expect(app.metadata.name).toBe('pr-7-preview-x');
  });

  it('fails on a manifest that is not an ApplicationSet', () => {
    expectPreviewError(() => ApplicationSetPreview.expand({ kind: 'Application' }),
      'manifest kind "Application" is not ApplicationSet; pass an ApplicationSet manifest');
  });
});
