import { Testing } from 'cdk8s';
import { describe, expect, test } from 'vitest';
import { seed02ApplicationSetListSelfHealInDev } from '../../examples/seeds/application-sets';
import { schemaProblems } from '../support/crds';

// Seeds 02 and 09 themselves are compared in seeds.test.ts, with the others.
describe('ApplicationSet seeds', () => {
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
