// validate: the oracle's API-server verdict (apiextensions-apiserver v0.36.1 over the CRDs folder)
// answers as the server does for a create: pruning lists what a strict decoder calls unknown,
// defaults are applied, the OpenAPI schema and CEL rules are checked, kinds without a CRD are said
// to be unserved. These pin what the differential tests rely on.
import { describe, expect, it } from 'vitest';
import { CRDS_DIR } from '../support/crds';
import { oracle } from './support/oracle';

const app = (spec: unknown, metadata: unknown = { name: 'a', namespace: 'argocd' }) => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata, spec });
const base = { project: 'default', destination: { server: 'https://kubernetes.default.svc' }, source: { repoURL: 'https://example.com/r.git', path: 'p' } };

describe('oracle validate', () => {
  it('accepts a valid Application with nothing pruned', async () => {
    const a = await oracle().ask('validate', { crds: CRDS_DIR, object: app(base) });
    expect(a.result).toMatchObject({ served: true, errors: [], pruned: [] });
    expect(a.result.object.metadata.generation).toBe(1);
  });

  it('lists the fields pruning drops, at any depth and in metadata', async () => {
    const a = await oracle().ask('validate', {
      crds: CRDS_DIR,
      object: app({ ...base, destination: { ...base.destination, nmespace: 'x' } }, { name: 'a', namespace: 'argocd', lables: { a: 'b' } }),
    });
    expect(a.result.errors).toEqual([]);
    expect(a.result.pruned.sort()).toEqual(['metadata.lables', 'spec.destination.nmespace']);
    expect(a.result.object.spec.destination).toEqual({ server: 'https://kubernetes.default.svc' });
  });

  it('answers the schema errors of the server: types, required fields, names', async () => {
    const a = await oracle().ask('validate', {
      crds: CRDS_DIR,
      objects: [
        app({ ...base, syncPolicy: { retry: { limit: '3' } } }),
        app({ project: 'default', source: base.source }),
        app(base, { name: 'Bad_Name', namespace: 'argocd' }),
      ],
    });
    const [type, required, name] = a.result.results;
    expect(type.errors).toEqual([expect.stringMatching(/^spec\.syncPolicy\.retry\.limit: Invalid value: "string": .*must be of type integer/)]);
    expect(required.errors).toEqual([expect.stringMatching(/^spec\.destination: Required value/)]);
    expect(name.errors).toEqual([expect.stringMatching(/^metadata\.name: Invalid value: "Bad_Name"/)]);
  });

  it('evaluates x-kubernetes-validations CEL rules and applies defaults (ESO v2.9.0 CRDs)', async () => {
    const a = await oracle().ask('validate', {
      crds: CRDS_DIR,
      objects: [
        { apiVersion: 'external-secrets.io/v1', kind: 'SecretStore', metadata: { name: 's', namespace: 'x' }, spec: { provider: { aws: { service: 'SecretsManager', region: 'eu-west-1', customSessionTags: { esoNamespace: 'a' } } } } },
        { apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: 'e', namespace: 'x' }, spec: { secretStoreRef: { name: 's' }, data: [{ secretKey: 'k', remoteRef: { key: 'r' } }] } },
      ],
    });
    const [cel, defaults] = a.result.results;
    expect(cel.errors).toEqual([expect.stringContaining('customSessionTags cannot contain automatically injected reserved keys')]);
    expect(defaults.errors).toEqual([]);
    expect(defaults.defaulted).toEqual(expect.arrayContaining(['spec.refreshInterval']));
    expect(defaults.object.spec.refreshInterval).toBe('1h0m0s');
  });

  it('decodes built-in kinds strictly into their k8s.io/api types', async () => {
    const a = await oracle().ask('validate', {
      crds: CRDS_DIR,
      objects: [
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 'b' }, bogus: 1 },
        { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { replicas: '3' } },
        { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { a: 'b' } },
      ],
    });
    expect(a.result.results.map((r: any) => [r.builtIn, r.pruned, r.errors])).toEqual([
      [true, ['bogus'], []],
      [true, [], [expect.stringContaining('cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32')]],
      [true, [], []],
    ]);
  });

  it('refuses a core object with a typo: an unknown field at any depth, a duplicate field, a wrong type', async () => {
    const deployment = {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' },
      spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'x', imagePullPolicyy: 'Always' }] } } },
    };
    const a = await oracle().ask('validate', {
      crds: CRDS_DIR,
      objects: [
        deployment,
        // as a file's document: the text as written, with its duplicate key
        '{"apiVersion":"v1","kind":"Service","metadata":{"name":"s"},"spec":{"type":"ClusterIP","type":"NodePort"}}',
        { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, spec: { backoffLimit: '3', template: { spec: { containers: [] } } } },
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ok' }, data: { a: 'b' } },
      ],
    });
    expect(a.result.results.map((r: any) => [r.builtIn, r.pruned, r.errors])).toEqual([
      [true, ['spec.template.spec.containers[0].imagePullPolicyy'], []],
      [true, [], ['duplicate field "spec.type"']],
      [true, [], [expect.stringContaining('cannot unmarshal string into Go struct field JobSpec.spec.backoffLimit of type int32')]],
      [true, [], []],
    ]);
  });

  it('says which kinds and versions no CRD serves', async () => {
    const a = await oracle().ask('validate', {
      crds: CRDS_DIR,
      objects: [{ apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', metadata: { name: 'c' } }, { apiVersion: 'argoproj.io/v1beta1', kind: 'Application', metadata: { name: 'a' } }],
    });
    expect(a.result.results.map((r: any) => [r.served, r.reason])).toEqual([
      [false, 'no CRD in the folder serves kind "ClusterPolicy" of group "kyverno.io"; not validated by this op'],
      [false, expect.stringContaining('does not serve version "v1beta1"')],
    ]);
  });
});
