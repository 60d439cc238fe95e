// render-args: what `cdk8s-argocd diff` passes to helm and kustomize when it renders a source of
// this repository: `${VAR}` substituted as Argo CD v3.5.1's Env.Envsubst substitutes it (Go's
// os.Expand), and a Kubernetes version normalized as reposerver's parseKubeVersion normalizes it
// (apimachinery's ParseGeneric), compared with the oracle's answers on random texts.
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { envsubst, parseKubeVersion } from '../../lib/cli/_diff-render';
import { argoRuns, oracle, recordCases } from './support/oracle';

describe('render-args: the diff renders with the arguments Argo CD computes', () => {
  it('envsubst replaces $NAME, ${NAME}, $$ and the special names as os.Expand with Argo CD\'s mapping does (property)', async () => {
    const names = ['A', 'a_1', 'ARGOCD_APP_NAME', '1', '*', 'B2'];
    const piece = fc.oneof(
      fc.constantFrom('$', '{', '}', '$$', '${', '${}', '$}', ' ', '-', '_', 'x', '9', '*', '#', '@', '!', '?', 'é', '\n'),
      fc.constantFrom(...names).map((n) => `$${n}`),
      fc.constantFrom(...names).map((n) => `\${${n}}`),
    );
    const text = fc.array(piece, { maxLength: 12 }).map((p) => p.join(''));
    const env = fc.dictionary(fc.constantFrom(...names), fc.constantFrom('', 'v', '$A', 'a b'), { maxKeys: 4 });
    let compared = 0;
    let agreed = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(text, { minLength: 1, maxLength: 30 }), env, async (texts, vars) => {
        const a = await oracle().ask<string[]>('envsubst', { texts, env: vars });
        texts.forEach((t, i) => {
          compared++;
          expect(envsubst(t, vars), JSON.stringify({ t, vars })).toBe(a.result![i]);
          agreed++;
        });
      }),
      argoRuns(1500, 'envsubst'),
    );
    recordCases('envsubst', compared, agreed);
  });

  it('a Kubernetes version is passed, or refused, as parseKubeVersion does (property)', async () => {
    const piece = fc.oneof(
      fc.constantFrom('v', '1', '0', '01', '29', '.', '-', '+', 'gke', 'rc.1', ' ', '\t', '\n', 'x', '18446744073709551615', '18446744073709551616'),
      fc.nat({ max: 200 }).map(String),
    );
    const version = fc.array(piece, { minLength: 1, maxLength: 8 }).map((p) => p.join(''));
    const fixed = ['v1.29.3-gke.1', '1.29', '1', 'v1.29.0+k3s1', ' v1.30.1', '01.2', '1.02.3', '1.2.3.4', 'v1.29\n', 'v1.29\nx', '1.2\u2028'];
    let compared = 0;
    let agreed = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(version, { minLength: 1, maxLength: 30 }), async (generated) => {
        const versions = [...fixed, ...generated];
        const a = await oracle().ask<Array<{ version?: string; error?: string }>>('kubeVersion', { versions });
        versions.forEach((v, i) => {
          compared++;
          expect(parseKubeVersion(v), JSON.stringify(v)).toBe(a.result![i].version);
          agreed++;
        });
      }),
      argoRuns(500, 'kubeVersion'),
    );
    recordCases('kubeVersion', compared, agreed);
  });
});
