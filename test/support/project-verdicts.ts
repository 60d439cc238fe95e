// The library's answers to the questions the oracle's `project` and `validateProject` ops answer
// (Argo CD v3.5.1 pkg/apis/application/v1alpha1 app_project_types.go and util/argo/argo.go), in the
// oracle's shape, for the differential tests (test/argo/project.argo.test.ts) and the replay of
// their stored cases (test/argocd/project-check.oracle-cases.test.ts).
import { expect } from 'vitest';
import { destinationPermitted, isAppNamespacePermitted, isSourcePermitted, normalizeGitUrl } from '../../lib/argocd/_glob';
import { permissionSources, projectSpecProblems, sourceNamespaceProblem } from '../../lib/argocd/_project-rules';
import { ProjectCheck } from '../../lib/argocd/project-check';

/** The input of the oracle's `project` op. */
export interface ProjectQuestion {
  readonly project: any;
  readonly application?: any;
  readonly clusters?: any[];
  readonly controllerNamespace?: string;
  readonly resources?: any[];
  readonly normalizeGitURL?: string[];
}

/** The library's answer, shaped as the oracle's (`appNamespacePermitted` undefined: not told). */
export function libraryProjectAnswer(q: ProjectQuestion): any {
  const name = q.project?.metadata?.name ?? '';
  const spec = q.project?.spec ?? {};
  const out: any = {};
  if (q.application) {
    const app = q.application;
    out.sources = permissionSources(app.spec).map((s) => ({ ...s, permitted: isSourcePermitted(spec.sourceRepos ?? [], s.repoURL) }));
    const d = destinationPermitted(name, spec, app.spec?.destination ?? {}, q.clusters ?? [], true);
    out.destination = d.error !== undefined ? { error: d.error, permitted: false } : { cluster: d.cluster, permitted: d.permitted };
    out.appNamespacePermitted = isAppNamespacePermitted(spec.sourceNamespaces ?? [], app.metadata?.namespace, q.controllerNamespace ?? 'argocd');
  }
  out.resources = (q.resources ?? []).map((r: any) => ({ ...r, permitted: ProjectCheck.kindPermitted(spec, r.group, r.kind, !r.namespaced, r.name) }));
  if (q.normalizeGitURL) out.normalizedGitURLs = q.normalizeGitURL.map(normalizeGitUrl);
  return out;
}

/**
 * Asserts the library's answer equals the oracle's. Returns true when the library left the source
 * namespace verdict undecided (.NET-only syntax it cannot evaluate) and only the rest was compared.
 */
export function expectProjectAnswer(q: ProjectQuestion, oracleResult: any): boolean {
  const lib = libraryProjectAnswer(q);
  const expected = { ...oracleResult };
  const oc = expected.destination?.cluster;
  if (oc) expected.destination = { ...expected.destination, cluster: { server: oc.server, name: oc.name } };
  let undecided = false;
  if (expected.appNamespacePanic !== undefined) {
    // Argo CD panics on a '/' entry: the library answers undefined, and its project rules refuse '/'
    expect(lib.appNamespacePermitted).toBeUndefined();
    expect((q.project?.spec?.sourceNamespaces ?? []).some((n: string) => n === '/' && sourceNamespaceProblem(n) !== undefined)).toBe(true);
    delete expected.appNamespacePanic;
    delete lib.appNamespacePermitted;
  } else if (q.application && lib.appNamespacePermitted === undefined) {
    undecided = true;
    lib.appNamespacePermitted = expected.appNamespacePermitted;
  }
  expect(lib).toEqual(expected);
  return undecided;
}

/** Library problems Argo CD's ValidateProject does not raise: deliberate, each names what Argo CD would do. */
export const DELIBERATE = [/is not a valid glob/, /is not a valid regular expression for Argo CD's regexp2/, /would make Argo CD fail/, /must be a non-empty string/, /makes Argo CD's glob matcher \(gobwas\/glob\) panic/];

/** The text of a ValidateProject error without its gRPC status prefix. */
export function statusText(error: string): string {
  return error.replace(/^rpc error: code = \w+ desc = /, '');
}

/**
 * Asserts the project check of a hand-written AppProject agrees with ValidateProject: no problem
 * (but the deliberate ones) where Argo CD accepts it, and Argo CD's reason first where it refuses.
 */
export function expectValidateProject(project: any, answer: { ok: boolean; error?: string }): void {
  const problems = projectSpecProblems(project?.metadata?.name ?? '', project?.spec).filter((p) => !DELIBERATE.some((d) => d.test(p)));
  if (answer.ok) {
    expect(problems).toEqual([]);
  } else {
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]).toContain(statusText(answer.error!));
  }
}
