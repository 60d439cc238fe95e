import * as os from 'os';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { describe, expect, test } from 'vitest';
import { APPLICATION_SET_SEEDS, seed02ApplicationSetListSelfHealInDev } from '../../examples/seeds/application-sets';
import { ArgoCdApp } from '../../lib/app/argocd-app';
import { schemaProblems } from '../support/crds';
import { byIdentity, identity, loadSeed } from '../support/seeds';

describe('ApplicationSet seed manifests reproduced with the typed API', () => {
  for (const [file, build] of Object.entries(APPLICATION_SET_SEEDS)) {
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

  test('seed 02\'s intent: selfHeal only in dev, with goTemplate and templatePatch', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    const appSet = seed02ApplicationSetListSelfHealInDev(chart);
    const [m] = Testing.synth(chart);
    // THEN
    expect(schemaProblems([m])).toEqual([]);
    expect(m.spec.goTemplate).toBe(true);
    expect(m.spec.goTemplateOptions).toEqual(['missingkey=error']);
    const apps = appSet.preview();
    expect(apps.map((a: any) => [a.metadata.name, a.spec.syncPolicy.automated])).toEqual([
      ['api-dev', { prune: true, selfHeal: true }],
      ['api-production', { prune: true, selfHeal: false }],
      ['api-staging', { prune: true, selfHeal: false }],
    ]);
  });
});
