// Stored answers of Argo CD v3.5.1's project rules (test/fixtures/oracle/project.json, as the oracle
// gave them: oracle/op_project.go follows pkg/apis/application/v1alpha1 app_project_types.go
// IsSourcePermitted, isDestinationMatched, IsDestinationPermitted, IsAppNamespacePermitted,
// ValidateProject and util/argo/argo.go ValidatePermissions, GetDestinationCluster, on Argo CD's own
// util/glob), replayed against the library without Go.
import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, test } from 'vitest';
import { expectProjectAnswer, expectValidateProject } from '../support/project-verdicts';

const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'oracle', 'project.json'), 'utf8'));

describe('project rules: stored answers of Argo CD v3.5.1', () => {
  test('the fixture has cases of both ops', () => {
    expect(fixture.cases.filter((c: any) => c.op === 'project').length).toBeGreaterThan(10);
    expect(fixture.cases.filter((c: any) => c.op === 'validateProject').length).toBeGreaterThan(5);
  });

  for (const c of fixture.cases) {
    test(`${c.op}: ${c.name}`, () => {
      if (c.op === 'project') {
        expect(c.answer.ok).toBe(true);
        // every stored case is decided by the library (none left undecided)
        expect(expectProjectAnswer(c.input, c.answer.result)).toBe(false);
      } else {
        expectValidateProject(c.input, c.answer);
      }
    });
  }
});
