// yaml: every string the library's YAML writer (lib/_internal/yaml.ts) writes is read back by Go's
// reader (sigs.k8s.io/yaml over go-yaml v2, what Argo CD and kubectl use; the oracle's `parse`) as
// the same string, in every place a manifest holds one: label and annotation values, ConfigMap data,
// map keys, list items, Helm parameters. And the writer's own classifier, `goResolvesNonString`, is
// never narrower than go-yaml v2's resolve(): a plain scalar Go reads as something else than the
// string is always quoted.
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dumpYaml, goResolvesNonString } from '../../lib/_internal/yaml';
import { argoRuns, oracle, recordCases } from './support/oracle';

// pieces biased to what go-yaml v2 resolves: signs, bases, exponents, underscores, dots, YAML 1.1
// words, timestamps, and the characters that make a scalar need quotes or a block
const NUMBERISH = ['0', '1', '7', '8', '9', '_', '+', '-', '.', 'e', 'E', 'x', 'X', 'o', 'O', 'b', 'B', 'a', 'F', 'p', 'inf', 'Inf', 'nan', 'NaN'];
const WORDS = ['y', 'Y', 'n', 'N', 'yes', 'No', 'on', 'Off', 'ON', 'true', 'False', 'null', 'Null', 'NULL', '~', '<<', '=', ''];
const SHAPES = ['2024-01-02', '2001-12-14t21:59:43.10-05:00', '2024-1-2 3:4:5', '1:20', '190:20:30', '12:30:45.5', '0x', '0b', '0o', '1e', '.5', '5.', '-.inf', '+.INF', '.NaN'];
const ODD = [' ', '  ', '\t', '\n', ':', ': ', ' #', '#', '"', "'", '\\', '{', '}', '[', ']', ',', '&', '*', '!', '|', '>', '%', '@', '`', '?', '-', '- ', 'é', 'ß', '\u00a0', '\u0085', '\u2028', '\u2029', '\ufeff', '😀', '\u0000', '\u0007', '\u001b', '\u007f', '\r', '\r\n'];

const digits = (alphabet: string, max: number) => fc.array(fc.constantFrom(...alphabet), { maxLength: max }).map((a) => a.join(''));
/** Number shapes: sign, base prefix, digits, fraction, exponent, each with underscores anywhere. */
const numberShape = fc.tuple(
  fc.constantFrom('', '', '+', '-', '_', '+_', '-_'),
  fc.constantFrom('', '', '', '0', '0x', '0X', '0b', '0B', '0o', '0O', '0_x', '0_X', '0x_', '0b-', '0b+', '-0b'),
  digits('0123456789_abcdefABCDEF', 5),
  fc.constantFrom('', '', '.', '._'),
  digits('0123456789_', 3),
  fc.oneof(fc.constant(''), fc.tuple(fc.constantFrom('e', 'E', '_e', 'e_'), fc.constantFrom('', '+', '-', '_', '+_', '-_'), digits('0123456789_', 3)).map((t) => t.join(''))),
).map((t) => t.join('')).filter((x) => x.length > 0);
const numberish = fc.oneof(
  { weight: 3, arbitrary: numberShape },
  { weight: 1, arbitrary: fc.array(fc.constantFrom(...NUMBERISH), { minLength: 1, maxLength: 7 }).map((a) => a.join('')) },
  { weight: 1, arbitrary: fc.constantFrom('0X1F', '+0X1', '0B11', '0O17', '0O_7', '+_1', '0_8', '0_x10', '1e_5', '1e+_5', '1_e_5', '1e1_0') },
);
const biased = fc.oneof(
  { weight: 5, arbitrary: numberish },
  { weight: 2, arbitrary: fc.constantFrom(...WORDS, ...SHAPES) },
  { weight: 2, arbitrary: fc.array(fc.constantFrom(...NUMBERISH, ...WORDS, ...SHAPES, ...ODD), { maxLength: 5 }).map((a) => a.join('')) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
);

/** A manifest holding `s` wherever manifests hold strings. */
function manifest(strings: readonly string[]): unknown {
  const map = (prefix: string) => Object.fromEntries(strings.map((s, i) => [`${prefix}${i}`, s]));
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'strings', labels: map('l'), annotations: map('a') },
    data: { ...map('d'), ...Object.fromEntries(strings.map((s, i) => [s, `key${i}`])) },
    helm: { parameters: strings.map((s) => ({ name: s, value: s })) },
    list: [...strings],
  };
}

describe('yaml: what Go reads is what the library wrote', () => {
  it('every string written by dumpYaml is read back by sigs.k8s.io/yaml as the same string (property)', async () => {
    let compared = 0;
    let agreed = 0;
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(biased, { minLength: 1, maxLength: 40 }), async (strings) => {
        const doc = manifest(strings);
        const text = dumpYaml(doc);
        const a = await oracle().ask('parse', { yaml: text });
        compared += strings.length;
        expect(a.error, text).toBeUndefined();
        expect(a.result.documents.map((d: string) => JSON.parse(d)), text).toEqual([doc]);
        agreed += strings.length;
      }),
      argoRuns(30000, 'yaml round trip'),
    );
    recordCases('yaml', compared, agreed);
  });

  it('a plain scalar go-yaml v2 reads as something else than the string is one goResolvesNonString quotes (property)', async () => {
    // only strings that are one plain scalar whatever they resolve to (no indicators, no spaces)
    const plainOnly = fc.oneof(numberish, fc.constantFrom(...WORDS.filter((w) => w !== '' && w !== '<<' && w !== '='), ...SHAPES.filter((s) => !/[ :]/.test(s))));
    let compared = 0;
    let agreed = 0;
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(plainOnly, { minLength: 1, maxLength: 50 }), async (strings) => {
        const answers = await oracle().askAll('parse', strings.map((s) => ({ yaml: `v: ${s}\n` })));
        for (let i = 0; i < strings.length; i++) {
          const s = strings[i];
          const a = answers[i];
          compared++;
          if (!a.ok && !/unsupported value/.test(a.error!)) {
            // not a plain scalar at all (`-`, `-.`): the writer must not write it plain either
            expect(dumpYaml({ v: s }), `Go refuses plain ${JSON.stringify(s)}: ${a.error}`).not.toBe(`v: ${s}\n`);
          } else {
            // `v: .inf` and the like are floats JSON cannot carry: Go's answer is an error, not a string
            const readAsString = a.ok && JSON.parse(a.result.documents[0]).v === s;
            if (!readAsString) expect(goResolvesNonString(s), `Go reads plain ${JSON.stringify(s)} as ${a.ok ? a.result.documents[0] : a.error}`).toBe(true);
          }
          agreed++;
        }
      }),
      argoRuns(15000, 'yaml plain scalars'),
    );
    recordCases('yaml-plain', compared, agreed);
  });
});
