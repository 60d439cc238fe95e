import * as os from 'os';
import * as path from 'path';
import { Chart } from 'cdk8s';
import { describe, expect, test } from 'vitest';
import { APPLICATION_SET_SEEDS } from '../../examples/seeds/application-sets';
import { SEEDS } from '../../examples/seeds/seeds';
import { ArgoCdApp } from '../../lib';
import { schemaProblems } from '../support/crds';
import { byIdentity, identity, loadSeed } from '../support/seeds';

describe('seed manifests reproduced with the typed API', () => {
  for (const [file, build] of Object.entries({ ...SEEDS, ...APPLICATION_SET_SEEDS })) {
    test(`${file} is reproduced document by document`, () => {
      // GIVEN
      const app = new ArgoCdApp({ outdir: path.join(os.tmpdir(), 'unused') });
      const chart = new Chart(app, 'seed');
      // WHEN
      build(chart);
      const actual = byIdentity(app.synthFiles().map((f) => f.manifest));
      // THEN
      const expected = byIdentity(loadSeed(file));
      expect(actual.map(identity)).toEqual(expected.map(identity));
      actual.forEach((doc, i) => expect(doc).toEqual(expected[i]));
      expect(schemaProblems(actual)).toEqual([]);
    });
  }
});
