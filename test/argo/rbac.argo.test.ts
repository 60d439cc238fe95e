// rbac: the library's project role rules (lib/argocd/_project-rules.ts, lib/argocd/rbac.ts) against
// Argo CD v3.5.1: validatePolicy, validateRoleName and validateGroupName of
// pkg/apis/application/v1alpha1 (written after v3.5.1 in the oracle), and what Argo CD's own
// util/rbac Enforcer grants for the policy lines and groups the library writes.
import { Testing } from 'cdk8s';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppProject } from '../../lib/argocd/app-project';
import { globMatch } from '../../lib/argocd/_glob';
import { PolicyAction, PolicyResource, RolePolicy } from '../../lib/argocd/rbac';
import { argoRbacVerdict, libraryRbacVerdict, RbacProjectInput } from '../support/oracle-compare';
import { argoRuns, oracle, recordCases } from './support/oracle';

const oneOf = (valid: string[], odd: string[]) => fc.oneof({ weight: 14, arbitrary: fc.constantFrom(...valid) }, { weight: 1, arbitrary: fc.constantFrom(...odd) });
const pad = fc.oneof({ weight: 8, arbitrary: fc.constantFrom('', ' ') }, { weight: 1, arbitrary: fc.constantFrom('  ', '\t', '\u00a0', '\u3000') });
const projectName = fc.constantFrom('team-a', 'p', 'my.proj', 'a1');
const roleName = oneOf(['r', 'deployer', 'read-only', 'a_b'], ['-r', 'r-', '', 'r r', 'é', 'R1']);

function policyLine(project: string, role: string) {
  return fc.record({
    p: oneOf(['p'], ['P', 'g', '']),
    sub: oneOf([`proj:${project}:${role}`], [`proj:${project}:other`, `proj:x:${role}`, `proj:${project}`, `${project}:${role}`]),
    res: oneOf(['applications', 'applicationsets', 'logs', 'exec', 'clusters', 'repositories'], ['projects', 'Applications', 'certificates', '*', '']),
    act: oneOf(['get', 'create', 'update', 'delete', 'sync', 'override', '*', 'action/apps/Deployment/restart', 'action/*', 'update/*/Pod/*/*', 'delete//Pod/ns/x'],
      ['action/restart', 'invoke', 'actions', 'Get', 'x/action/y', 'action', '']),
    obj: oneOf([`${project}/*`, `${project}/web`, `${project}/ns/web`, `${project}/web-*`, `${project}/a.b_c`, `${project}/*/*`],
      [`${project}/ns/web/x`, `x/*`, project, `${project}/é`, `${project}/web app`, `${project}/`, `${project}x/web`, `${project}/ns/`]),
    eft: oneOf(['allow', 'deny'], ['Allow', 'deny!', '']),
    pads: fc.array(fc.tuple(pad, pad), { minLength: 6, maxLength: 6 }),
    extra: fc.constantFrom('', '', '', '', ', allow', ','),
  }).map((x) => [x.p, x.sub, x.res, x.act, x.obj, x.eft].map((v, i) => `${x.pads[i][0]}${v}${x.pads[i][1]}`).join(',') + x.extra);
}

const group = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('team-a', 'a b', 'org:team', 'é', '"a,b"', 'CN=x,OU=y', '"', '""', '" "', 'a"b', 'a\tb') },
  { weight: 3, arbitrary: fc.tuple(fc.constantFrom('', ' ', '  ', '\t', '\u00a0', '\u2003', '\ufeff', '\n'), fc.constantFrom('team', 'a', '', '"x,y"', 'x'), fc.constantFrom('', ' ', '\u00a0', '\t', '\ufeff', '\r'))
    .map(([a, b, c]) => `${a}${b}${c}`) },
);

const projectInput: fc.Arbitrary<RbacProjectInput> = fc.tuple(projectName, fc.array(roleName, { minLength: 1, maxLength: 3 })).chain(([project, roles]) =>
  fc.tuple(...roles.map((role) => fc.record({
    name: fc.constant(role),
    policies: fc.array(policyLine(project, role), { maxLength: 4 }),
    groups: fc.array(group, { maxLength: 3 }),
  }))).map((rs) => ({ project: { name: project, roles: rs } })));

describe('rbac against Argo CD v3.5.1 (v1alpha1 project role validation, util/rbac)', () => {
  it('random role names, policy lines and groups get the same verdicts', async () => {
    let compared = 0;
    let agreed = 0;
    let invalid = 0;
    await fc.assert(fc.asyncProperty(projectInput, async (req) => {
      const a = await oracle().ask('rbac', req);
      expect(a.ok, a.error).toBe(true);
      const argo = argoRbacVerdict(a.result);
      const lib = libraryRbacVerdict(req);
      compared++;
      if (a.result.projectError !== '') invalid++;
      if (JSON.stringify(argo) === JSON.stringify(lib)) agreed++;
      else {
        const items: string[] = [];
        req.project.roles.forEach((r, i) => {
          if (argo.roles[i].name !== lib.roles[i].name) items.push(`role name ${JSON.stringify(r.name)}: argo ${a.result.roles[i].name || 'valid'}`);
          r.policies.forEach((p, j) => { if (argo.roles[i].policies[j] !== lib.roles[i].policies[j]) items.push(`policy ${JSON.stringify(p)} of ${req.project.name}/${r.name}: argo ${a.result.roles[i].policies[j] || 'valid'}`); });
          r.groups.forEach((g, j) => { if (argo.roles[i].groups[j] !== lib.roles[i].groups[j]) items.push(`group ${JSON.stringify(g)}: argo ${a.result.roles[i].groups[j] || 'valid'}`); });
        });
        console.log(`[divergence] ${items.join(' | ')}`); // eslint-disable-line no-console
      }
      expect(lib).toEqual(argo);
    }), argoRuns(20000, 'rbac validation'));
    console.log(`rbac validation: ${invalid} of ${compared} projects invalid`); // eslint-disable-line no-console
    recordCases('rbac', compared, agreed);
  });

  // What the lines the library writes grant, asked of Argo CD's own Enforcer (EnforceClaims' order:
  // the user, then each of the user's groups bound by a `g` line), against what the library's
  // policies say: an allow policy whose resource, action and object glob match, and no such deny.
  it('the policies and groups the library writes grant what they say', async () => {
    const resources = [PolicyResource.APPLICATIONS, PolicyResource.APPLICATION_SETS, PolicyResource.LOGS, PolicyResource.EXEC];
    const actions = [PolicyAction.GET, PolicyAction.SYNC, PolicyAction.ALL, PolicyAction.action('apps/Deployment/*'), PolicyAction.action('*'), PolicyAction.CREATE];
    const policy = fc.record({
      allow: fc.constantFrom(true, true, false),
      resource: fc.constantFrom(...resources),
      action: fc.constantFrom(...actions),
      object: fc.constantFrom('*', 'web', 'web-*', 'a*i', '*-prod', 'web.1'),
      appNamespace: fc.constantFrom(undefined, undefined, 'ns', 'team-*'),
    }).filter((p) => (p.action.value.includes('/') ? p.resource === PolicyResource.APPLICATIONS : p.resource.actions.includes(p.action.value)));
    type Policy = typeof policy extends fc.Arbitrary<infer P> ? P : never;
    const groupName = fc.constantFrom('team-a', 'team-b', '"a,b"', 'org:dev', 'é x');
    const claimOf = (g: string) => (g.startsWith('"') && g.endsWith('"') ? g.slice(1, -1) : g);
    const OTHER_GROUPS = ['team-a', 'team-b', 'a,b', '"a,b"', 'org:dev', 'é x', 'other'];
    const randomQuery = fc.record({
      groups: fc.oneof({ weight: 3, arbitrary: fc.constant<string[]>(['team-a', 'a,b', 'org:dev', 'é x']) }, { weight: 1, arbitrary: fc.subarray(OTHER_GROUPS) }),
      resource: fc.constantFrom('applications', 'applicationsets', 'logs', 'exec', 'projects'),
      action: fc.constantFrom('get', 'sync', 'create', 'action/apps/Deployment/restart', 'action//Pod/delete', 'update'),
      object: fc.constantFrom('web', 'web-1', 'api', 'x-prod', 'ns/web', 'team-1/web-1', 'ns/api'),
    });
    // what a `*` of a policy's glob stands for in a request made from that policy (no separators:
    // a `*` matches '/' too, and '')
    const starFill = fc.constantFrom('', 'x', '1', 'a-b', 'ns/x', 'web', '-prod');
    const instanceOf = (glob: string) => fc.array(starFill, { minLength: glob.split('*').length - 1, maxLength: glob.split('*').length - 1 })
      .map((fills) => glob.split('*').reduce((out, part, i) => out + (i > 0 ? fills[i - 1] : '') + part, ''));
    // a request made from one of the role's own policies: its resource, an action and an object its
    // globs match (now and then one changed), asked with the role's groups as claims, or some of them
    const queryFrom = (policies: readonly Policy[], groups: readonly string[]) => fc.constantFrom(...policies).chain((p) => fc.record({
      groups: fc.oneof(
        { weight: 6, arbitrary: fc.constant(groups.map(claimOf)) },
        { weight: 2, arbitrary: fc.subarray([...groups.map(claimOf), 'other']) },
        { weight: 1, arbitrary: fc.subarray(OTHER_GROUPS) },
      ),
      resource: fc.oneof({ weight: 12, arbitrary: fc.constant(p.resource.value) }, { weight: 1, arbitrary: fc.constantFrom(...resources.map((r) => r.value)) }),
      action: fc.oneof({ weight: 12, arbitrary: p.action.value === '*' ? fc.constantFrom('get', 'sync', 'create', 'action/apps/Deployment/restart') : instanceOf(p.action.value) },
        { weight: 1, arbitrary: fc.constantFrom(...actions.map((a) => a.value).filter((a) => a !== '*'), 'action/x/y') }),
      object: fc.oneof({ weight: 12, arbitrary: instanceOf(p.appNamespace !== undefined ? `${p.appNamespace}/${p.object}` : p.object) },
        { weight: 1, arbitrary: fc.constantFrom('web', 'api', 'ns/web', 'team-1/web-1') }),
    }));
    const requests = fc.tuple(
      fc.uniqueArray(policy, { maxLength: 4, selector: (p) => JSON.stringify({ ...p, resource: p.resource.value, action: p.action.value }) }),
      // a role without groups grants nothing to anyone: now and then
      fc.oneof({ weight: 6, arbitrary: fc.uniqueArray(groupName, { minLength: 1, maxLength: 2 }) }, { weight: 1, arbitrary: fc.constant<string[]>([]) }),
    ).chain(([policies, groups]) => fc.tuple(
      fc.constant(policies), fc.constant(groups),
      fc.array(policies.length > 0 ? fc.oneof({ weight: 3, arbitrary: queryFrom(policies, groups) }, { weight: 1, arbitrary: randomQuery }) : randomQuery, { minLength: 1, maxLength: 6 }),
    ));
    let compared = 0;
    let agreed = 0;
    let granted = 0;
    await fc.assert(fc.asyncProperty(
      requests,
      async ([policies, groups, queries]) => {
        const chart = Testing.chart();
        const project = new AppProject(chart, 'team-a');
        const role = project.addRole('r', { groups });
        for (const p of policies) {
          const options = { resource: p.resource, action: p.action, object: p.object, appNamespace: p.appNamespace };
          role.addPolicy(p.allow ? RolePolicy.allow(options) : RolePolicy.deny(options));
        }
        const spec = Testing.synth(chart)[0].spec;
        const a = await oracle().ask('rbac', {
          project: { name: 'team-a', roles: spec.roles.map((r: any) => ({ name: r.name, policies: r.policies ?? [], groups: r.groups ?? [] })) },
          queries: queries.map((q) => ({ subject: 'someone', groups: q.groups, resource: q.resource, action: q.action, object: `team-a/${q.object}` })),
        });
        expect(a.ok, a.error).toBe(true);
        expect(a.result.projectError).toBe('');
        const said = queries.map((q) => {
          if (!q.groups.some((g) => groups.map(claimOf).includes(g))) return false;
          const hits = policies.filter((p) => {
            const object = p.appNamespace !== undefined ? `team-a/${p.appNamespace}/${p.object}` : `team-a/${p.object}`;
            return globMatch(p.resource.value, q.resource) && globMatch(p.action.value, q.action) && globMatch(object, `team-a/${q.object}`);
          });
          return hits.some((p) => p.allow) && !hits.some((p) => !p.allow);
        });
        compared += queries.length;
        agreed += said.filter((s, i) => s === a.result.enforce[i]).length;
        granted += a.result.enforce.filter((x: boolean) => x).length;
        expect(said).toEqual(a.result.enforce);
      },
    ), argoRuns(3000, 'rbac enforcement'));
    console.log(`rbac enforcement: ${compared} requests, ${granted} allowed, ${compared - granted} denied`); // eslint-disable-line no-console
    // both outcomes are well covered: requests are made from the policies' own resources, actions and objects
    expect(granted, 'allowed requests').toBeGreaterThan(compared / 8);
    expect(compared - granted, 'denied requests').toBeGreaterThan(compared / 8);
    recordCases('rbac enforcement', compared, agreed);
  });
});
