import { describe, expect, it } from 'vitest';
import { TemplateError, applyTemplatePatch, renderTemplate } from '../../../lib/argocd/preview/_render';

const FAST = { goTemplate: false, goTemplateOptions: [] };
const GO = { goTemplate: true, goTemplateOptions: [] };
const GO_STRICT = { goTemplate: true, goTemplateOptions: ['missingkey=error'] };

const TEMPLATE = {
  metadata: {
    name: '{{path.basename}}-{{ env }}',
    labels: { 'team-{{env}}': '{{ team }}' },
  },
  spec: {
    project: 'default',
    source: { repoURL: 'https://git.example.com/r.git', path: '{{path}}', targetRevision: 'HEAD', helm: { valuesObject: { replicas: 2, name: '{{ path.basename }}', unset: null } } },
    destination: { server: 'https://kubernetes.default.svc', namespace: '{{unknown}}' },
    ignoreDifferences: [{ group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/{{env}}'] }],
  },
};

describe('renderTemplate (fasttemplate)', () => {
  it('replaces every string and map key, leaving unknown tags, dropping null map values', () => {
    const out = renderTemplate(TEMPLATE, { 'path': 'apps/guestbook', 'path.basename': 'guestbook', 'env': 'prod', 'team': 'a' }, FAST);
    expect(out).toEqual({
      metadata: { name: 'guestbook-prod', labels: { 'team-prod': 'a' } },
      spec: {
        project: 'default',
        source: { repoURL: 'https://git.example.com/r.git', path: 'apps/guestbook', targetRevision: 'HEAD', helm: { valuesObject: { replicas: 2, name: 'guestbook' } } },
        destination: { server: 'https://kubernetes.default.svc', namespace: '{{unknown}}' },
        ignoreDifferences: [{ group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/prod'] }],
      },
    });
  });

  it('returns a copy of the template untouched when there are no params', () => {
    const out = renderTemplate(TEMPLATE, {}, GO_STRICT);
    expect(out).toEqual(TEMPLATE);
    expect(out).not.toBe(TEMPLATE);
  });

  it('does not substitute non-string params', () => {
    expect(renderTemplate({ a: '{{n}}' }, { n: 1 }, FAST)).toEqual({ a: '{{n}}' });
  });
});

describe('renderTemplate (goTemplate)', () => {
  const params = { path: { path: 'apps/guestbook', basename: 'guestbook' }, env: 'prod', team: 'a', replicas: 1000000 };
  const tmpl = {
    metadata: { name: '{{ .path.basename }}-{{ .env }}', labels: { 'team-{{ .env }}': '{{ .team | upper }}' } },
    spec: { source: { path: '{{ .path.path }}', helm: { values: 'replicas: {{ .replicas }}' } }, destination: { namespace: '{{ .missing }}' } },
  };

  it('executes every string and key as a Go template with the nested params', () => {
    expect(renderTemplate(tmpl, params, GO)).toEqual({
      metadata: { name: 'guestbook-prod', labels: { 'team-prod': 'A' } },
      spec: { source: { path: 'apps/guestbook', helm: { values: 'replicas: 1e+06' } }, destination: { namespace: '<no value>' } },
    });
  });

  it('fails when a key is missing under missingkey=error, worded as Argo CD', () => {
    expect(() => renderTemplate(tmpl, params, GO_STRICT)).toThrow(TemplateError);
    expect(() => renderTemplate(tmpl, params, GO_STRICT)).toThrow(
      'failed to execute go template {{ .missing }}: template: base:1:3: executing "base" at <.missing>: map has no entry for key "missing"',
    );
  });

  it('fails when a template does not parse, worded as Argo CD', () => {
    expect(() => renderTemplate({ a: '{{ nope }}' }, { x: 1 }, GO)).toThrow('failed to parse template {{ nope }}: template: base:1: function "nope" not defined');
  });

  it('fails when a goTemplateOption is unknown', () => {
    expect(() => renderTemplate({ a: 'x' }, { x: 1 }, { goTemplate: true, goTemplateOptions: ['bogus'] })).toThrow('unrecognized option: bogus');
  });
});

describe('applyTemplatePatch', () => {
  const app = {
    metadata: { name: 'guestbook', labels: { a: '1' }, finalizers: ['resources-finalizer.argocd.argoproj.io'] },
    spec: { project: 'default', syncPolicy: { syncOptions: ['CreateNamespace=true'] }, source: { path: 'p' } },
  };

  it('renders the patch (YAML) and merges it: maps merge, lists replace, null deletes', () => {
    const patch = [
      'metadata:',
      '  labels:',
      '    env: "{{ .env }}"',
      'spec:',
      '  source: null',
      '  syncPolicy:',
      '    syncOptions: [ServerSideApply=true]',
      '{{- if eq .env "dev" }}',
      '    automated:',
      '      selfHeal: true',
      '      prune: false',
      '{{- end }}',
    ].join('\n');
    expect(applyTemplatePatch(app, patch, { env: 'dev' }, GO)).toEqual({
      metadata: { name: 'guestbook', labels: { a: '1', env: 'dev' }, finalizers: ['resources-finalizer.argocd.argoproj.io'] },
      spec: { project: 'default', syncPolicy: { syncOptions: ['ServerSideApply=true'], automated: { selfHeal: true, prune: false } } },
    });
    expect(applyTemplatePatch(app, patch, { env: 'prod' }, GO).spec.syncPolicy).toEqual({ syncOptions: ['ServerSideApply=true'] });
  });

  // k8s.io/apimachinery strategicpatch (mergeSlice of primitives, as Argo CD v3.5.1's
  // applyTemplatePatch calls it): the patch's items first, then the original's others
  it('merges metadata.finalizers (patchStrategy merge) instead of replacing them, the patch\'s items first', () => {
    const out = applyTemplatePatch(app, '{"metadata": {"finalizers": ["x", "resources-finalizer.argocd.argoproj.io"]}}', { a: 'b' }, GO);
    expect(out.metadata.finalizers).toEqual(['x', 'resources-finalizer.argocd.argoproj.io']);
  });

  it('renders a fasttemplate patch', () => {
    const out = applyTemplatePatch(app, 'spec:\n  project: "{{project}}"', { project: 'team-a' }, FAST);
    expect(out.spec.project).toBe('team-a');
  });

  it('fails when the patch does not render, worded as Argo CD', () => {
    expect(() => applyTemplatePatch(app, 'spec: {{ .x }}', { y: 1 }, GO_STRICT)).toThrow(
      'error replacing values in templatePatch: failed to execute go template spec: {{ .x }}: template: base:1:9: executing "base" at <.x>: map has no entry for key "x"',
    );
  });

  it('fails when the patch is not YAML or JSON', () => {
    expect(() => applyTemplatePatch(app, '{ not json', {}, GO)).toThrow('invalid templatePatch "{ not json"');
    expect(() => applyTemplatePatch(app, 'a: [', {}, GO)).toThrow('error while converting template to json "a: ["');
    expect(() => applyTemplatePatch(app, '- a', {}, GO)).toThrow('json: cannot unmarshal array into Go value of type v1alpha1.Application');
  });
});
