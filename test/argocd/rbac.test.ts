import { Testing } from 'cdk8s';
import { describe, expect, test } from 'vitest';
import { AppProject } from '../../lib/argocd/app-project';
import { PolicyAction, PolicyResource, RolePolicy } from '../../lib/argocd/rbac';
import { ValidationError } from '../../lib/errors';
import { schemaProblems } from '../support/crds';

function lineOf(policy: RolePolicy): string {
  const chart = Testing.chart();
  const p = new AppProject(chart, 'team-a');
  p.addRole('r').addPolicy(policy);
  const out = Testing.synth(chart);
  expect(schemaProblems(out)).toEqual([]);
  return out[0].spec.roles[0].policies[0];
}

function errorOf(run: () => void): string {
  try {
    run();
  } catch (e) {
    expect(ValidationError.isValidationError(e)).toBe(true);
    return (e as Error).message;
  }
  throw new Error('did not throw');
}

describe('RolePolicy', () => {
  test('writes the policy line with the project prefix and a default object of *', () => {
    expect(lineOf(RolePolicy.allow({ resource: PolicyResource.APPLICATIONS, action: PolicyAction.GET })))
      .toBe('p, proj:team-a:r, applications, get, team-a/*, allow');
  });

  test('writes an object and an app namespace', () => {
    expect(lineOf(RolePolicy.deny({ resource: PolicyResource.APPLICATIONS, action: PolicyAction.SYNC, object: 'api', appNamespace: 'team-a-dev' })))
      .toBe('p, proj:team-a:r, applications, sync, team-a/team-a-dev/api, deny');
  });

  test.each([
    [PolicyResource.APPLICATIONS, PolicyAction.OVERRIDE, 'applications, override'],
    [PolicyResource.APPLICATIONS, PolicyAction.action('apps/Deployment/restart'), 'applications, action/apps/Deployment/restart'],
    [PolicyResource.APPLICATIONS, PolicyAction.updateResource('apps/Deployment/*/*'), 'applications, update/apps/Deployment/*/*'],
    [PolicyResource.APPLICATIONS, PolicyAction.deleteResource('*/Pod/*/*'), 'applications, delete/*/Pod/*/*'],
    [PolicyResource.APPLICATION_SETS, PolicyAction.CREATE, 'applicationsets, create'],
    [PolicyResource.REPOSITORIES, PolicyAction.UPDATE, 'repositories, update'],
    [PolicyResource.CLUSTERS, PolicyAction.DELETE, 'clusters, delete'],
    [PolicyResource.LOGS, PolicyAction.GET, 'logs, get'],
    [PolicyResource.EXEC, PolicyAction.CREATE, 'exec, create'],
    [PolicyResource.EXEC, PolicyAction.ALL, 'exec, *'],
  ])('%s %s is accepted', (resource, action, text) => {
    expect(lineOf(RolePolicy.allow({ resource, action }))).toBe(`p, proj:team-a:r, ${text}, team-a/*, allow`);
  });

  test('lists the actions of a resource', () => {
    expect(PolicyResource.LOGS.actions).toEqual(['get', '*']);
    expect(PolicyResource.APPLICATIONS.actions).toContain('action/<group>/<kind>/<action>');
  });

  test('fails when the resource does not have the action', () => {
    expect(errorOf(() => lineOf(RolePolicy.allow({ resource: PolicyResource.LOGS, action: PolicyAction.SYNC }))))
      .toBe("[test/team-a] spec.roles[0].policies[0] action 'sync' is not an action of resource 'logs'; allowed: get, *");
  });

  test('fails when a sub-resource action is used on another resource than applications', () => {
    expect(errorOf(() => lineOf(RolePolicy.allow({ resource: PolicyResource.CLUSTERS, action: PolicyAction.action('*') }))))
      .toBe("[test/team-a] spec.roles[0].policies[0] action 'action/*' is not an action of resource 'clusters'; allowed: get, create, update, delete, *");
  });

  test('fails when exec is given get', () => {
    expect(errorOf(() => lineOf(RolePolicy.allow({ resource: PolicyResource.EXEC, action: PolicyAction.GET }))))
      .toBe("[test/team-a] spec.roles[0].policies[0] action 'get' is not an action of resource 'exec'; allowed: create, *");
  });

  test('fails when the object names another project', () => {
    expect(errorOf(() => lineOf(RolePolicy.allow({ resource: PolicyResource.APPLICATIONS, action: PolicyAction.GET, object: 'team-b/*' }))))
      .toBe("[test/team-a] spec.roles[0].policies[0] object 'team-b/*' is not a valid object; use a name or glob of letters, digits, '_', '-', '.' and '*' without the project prefix (the library writes '<project>/'); for another namespace set appNamespace, for another project add the role to that project");
  });

  test('fails when the app namespace is not a name or glob', () => {
    expect(errorOf(() => lineOf(RolePolicy.allow({ resource: PolicyResource.APPLICATIONS, action: PolicyAction.GET, appNamespace: 'a/b' }))))
      .toBe("[test/team-a] spec.roles[0].policies[0] appNamespace 'a/b' is not a valid namespace or glob; use letters, digits, '_', '-', '.' and '*'");
  });

  test('fails when the resource is not a PolicyResource', () => {
    expect(errorOf(() => lineOf(RolePolicy.allow({ resource: 'projects' as any, action: PolicyAction.GET }))))
      .toBe("[test/team-a] spec.roles[0].policies[0] resource 'projects' is not a PolicyResource; use PolicyResource.APPLICATIONS, APPLICATION_SETS, REPOSITORIES, CLUSTERS, LOGS or EXEC");
  });

  test('fails when the action is not a PolicyAction', () => {
    expect(errorOf(() => lineOf(RolePolicy.allow({ resource: PolicyResource.APPLICATIONS, action: 'get' as any }))))
      .toBe("[test/team-a] spec.roles[0].policies[0] action 'get' is not a PolicyAction; use PolicyAction.GET, SYNC, ALL, ... or PolicyAction.action()");
  });

  test('fails when a sub-resource action has a space', () => {
    expect(errorOf(() => PolicyAction.action('apps/Deployment/re start')))
      .toBe("policy action 'action/apps/Deployment/re start' is not valid; the part after 'action/' must be non-empty, without spaces or commas");
  });

  test('fails when a sub-resource action is empty', () => {
    expect(errorOf(() => PolicyAction.updateResource('')))
      .toBe("policy action 'update/' is not valid; the part after 'update/' must be non-empty, without spaces or commas");
  });
});
