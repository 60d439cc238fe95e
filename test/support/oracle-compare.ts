// The library's answers in the shape of the oracle's (oracle/op_syncwindows.go, oracle/op_rbac.go),
// and the oracle's answers reduced to what the library answers, so that the differential tests
// (test/argo/) and the replay of their stored cases (test/fixtures/oracle/, plain `npm test`)
// compare the same things.
import { groupNameProblem, policyLineProblem, projectSpecProblems, roleNameProblem } from '../../lib/argocd/_project-rules';
import { goKnowsTimeZone } from '../../lib/argocd/_time-zone';
import { SyncWindows } from '../../lib/argocd/sync-windows';

/** A syncWindows request: windows as written in spec.syncWindows, an RFC 3339 time, an Application. */
export interface SyncWindowsInput {
  windows: any[];
  time: string;
  app: { name: string; destination: { server?: string; name?: string; namespace?: string } };
}

/** What both sides are compared on. */
export interface SyncWindowsVerdict {
  valid: boolean[];
  timeZoneKnown: boolean[];
  active: number[] | 'error';
  matches: number[];
  automatic: boolean | 'error';
  manual: boolean | 'error';
  matchedActive: number[] | 'error';
}

/** The oracle's answer (the result of op syncWindows) reduced to a verdict. */
export function argoSyncWindowsVerdict(input: SyncWindowsInput, result: any): SyncWindowsVerdict {
  const orError = (x: any) => (x.error ? 'error' : x.value);
  return {
    valid: result.validate.map((e: string) => e === ''),
    timeZoneKnown: input.windows.map((w, i) => result.timeZones[i] === (w.timeZone || 'UTC')),
    active: result.active.error ? 'error' : result.active.windows,
    matches: result.matches,
    automatic: orError(result.canSyncAuto),
    manual: orError(result.canSyncManual),
    matchedActive: result.matchedActive.error ? 'error' : result.matchedActive.windows,
  };
}

/** The library's verdict on the same input. */
export function librarySyncWindowsVerdict(input: SyncWindowsInput): SyncWindowsVerdict {
  const at = SyncWindows.fromAppProjectManifest({ spec: { syncWindows: input.windows } }).at(new Date(input.time));
  const broken = at.windows.some((w) => w.problem?.startsWith('cannot'));
  const d = at.decide({
    application: input.app.name,
    namespace: input.app.destination.namespace,
    server: input.app.destination.server,
    clusterName: input.app.destination.name,
  });
  return {
    valid: input.windows.map((w) => projectSpecProblems('p', { syncWindows: [w] }).filter((p) => !p.includes('.timeZone')).length === 0),
    timeZoneKnown: input.windows.map((w) => (w.timeZone ? goKnowsTimeZone(w.timeZone) : true)),
    active: broken ? 'error' : at.activeWindows.map((w) => w.index),
    matches: d.matchingWindows,
    automatic: d.error !== undefined ? 'error' : d.automatic,
    manual: d.error !== undefined ? 'error' : d.manual,
    matchedActive: d.error !== undefined ? 'error' : d.activeWindows,
  };
}

/** An rbac request about one project's roles (raw policy lines and groups, as in spec.roles). */
export interface RbacProjectInput {
  project: { name: string; roles: Array<{ name: string; policies: string[]; groups: string[] }> };
}

/** Which role names, policy lines and groups are valid, per role. */
export interface RbacVerdict {
  roles: Array<{ name: boolean; policies: boolean[]; groups: boolean[] }>;
}

/** The oracle's answer (op rbac, with `project`) reduced to a verdict. */
export function argoRbacVerdict(result: any): RbacVerdict {
  return {
    roles: result.roles.map((r: any) => ({
      name: r.name === '',
      policies: r.policies.map((e: string) => e === ''),
      groups: r.groups.map((e: string) => e === ''),
    })),
  };
}

/** The library's verdict (lib/argocd/_project-rules.ts, the rules AppProject applies). */
export function libraryRbacVerdict(input: RbacProjectInput): RbacVerdict {
  return {
    roles: input.project.roles.map((r) => ({
      name: roleNameProblem(r.name) === undefined,
      policies: r.policies.map((p) => policyLineProblem(input.project.name, r.name, p) === undefined),
      groups: r.groups.map((g) => groupNameProblem(g) === undefined),
    })),
  };
}
