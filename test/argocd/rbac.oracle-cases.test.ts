// Cases of the rbac differential tests (test/argo/rbac.argo.test.ts) stored with the oracle's
// answers (test/fixtures/oracle/rbac.json), replayed without Go: the verdicts are those of Argo CD
// v3.5.1's validateRoleName, validatePolicy and validateGroupName (pkg/apis/application/v1alpha1/types.go).
import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, test } from 'vitest';
import { argoRbacVerdict, libraryRbacVerdict } from '../support/oracle-compare';

const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'oracle', 'rbac.json'), 'utf8'));

describe('rbac: stored Argo CD v3.5.1 answers (validatePolicy, validateGroupName)', () => {
  test('the fixture has cases', () => {
    expect(fixture.cases.length).toBeGreaterThan(3);
  });
  for (const c of fixture.cases) {
    test(c.name, () => {
      expect(libraryRbacVerdict(c.input)).toEqual(argoRbacVerdict(c.argo));
    });
  }
});
