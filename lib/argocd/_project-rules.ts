// Argo CD's AppProject validation (AppProject.ValidateProject, validatePolicy, validateRoleName,
// validateGroupName, SyncWindow.Validate in pkg/apis/application/v1alpha1), as checks that return
// the problem text (or undefined). Used eagerly by the AppProject construct and, over rendered
// manifests, by ProjectCheck. Each text names the Argo CD rule it mirrors.
import { CronExpressionParser } from 'cron-parser';
import { parseGoDuration } from '../_internal/go-duration';
import { problem } from '../_internal/values';
import { globError, goPathMatch, regexp2Compile } from './_glob';

/** Argo CD's role name rule. */
export const ROLE_NAME = /^[a-zA-Z0-9]([-_a-zA-Z0-9]*[a-zA-Z0-9])?$/;

/** Problem with a source repository pattern. */
export function sourceRepoProblem(repo: unknown): string | undefined {
  if (typeof repo !== 'string' || repo.trim() === '') return 'must be a non-empty string';
  if (repo === '!*') return 'is rejected by Argo CD (rule: source repository has an invalid format, \'!*\'); to permit no repository, leave sourceRepos empty';
  return globProblem(repo.startsWith('!') ? repo.slice(1) : repo);
}

/** Problem with a destination server, name or namespace pattern. */
export function destinationPartProblem(part: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') return 'must be a string';
  if (value === '!*') return `is rejected by Argo CD (rule: ${part} has an invalid format, '!*'); remove the destination instead`;
  return globProblem(value.startsWith('!') ? value.slice(1) : value);
}

/**
 * Problem with a source namespace pattern: a `/regexp/` (regexp2, the syntax of .NET: lookarounds
 * allowed) or a glob. Argo CD's ValidateProject accepts any entry; these are the entries with
 * which it would match nothing, or which break its matching.
 */
export function sourceNamespaceProblem(ns: unknown): string | undefined {
  if (typeof ns !== 'string' || ns.trim() === '') return 'must be a non-empty string';
  if (ns === '/') return 'would make Argo CD fail (util/glob MatchStringInList reads \'/\' as an empty regular expression and slices past its end); write a glob, or an expression between two slashes';
  if (ns.startsWith('/') && ns.endsWith('/')) {
    const re = regexp2Compile(ns.slice(1, -1));
    return re === null
      ? 'is not a valid regular expression for Argo CD\'s regexp2 (.NET syntax); Argo CD would match it as a glob only; fix the expression or use a glob'
      : undefined;
  }
  return globProblem(ns);
}

/**
 * Problem with a destination service account's server or namespace pattern (Argo CD's
 * ValidateProject: no `!` anywhere, and a glob that compiles).
 */
export function serviceAccountPartProblem(part: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') return 'must be a string';
  if (value.includes('!')) return `is rejected by Argo CD (rule: ${part} has an invalid format, '${value}'); a service account's ${part} is a glob without '!': list the destinations it applies to`;
  const err = globError(value);
  if (err) return `is rejected by Argo CD (rule: ${part} has an invalid format, '${value}'); it does not compile as a glob (${err}): close the '[' or escape it with '\\'`;
  return undefined;
}

/** Problem with a destination service account's defaultServiceAccount (Argo CD's ValidateProject). */
export function defaultServiceAccountProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'must be a string';
  if (value.replace(/^ +| +$/g, '') === '' || /[!*[\]{}\\/]/.test(value)) {
    return `is rejected by Argo CD (rule: defaultServiceAccount has an invalid format, '${value}'); use a service account name, or 'namespace:name', not blank and with none of !*[]{}\\/`;
  }
  return undefined;
}

/** Problem with a repository URL glob (no `!`): a source integrity policy's `repos[].url`. */
export function repoGlobProblem(pattern: string): string | undefined {
  return globProblem(pattern);
}

function globProblem(pattern: string): string | undefined {
  const err = globError(pattern);
  return err ? `is not a valid glob (${err}); Argo CD would match nothing with it; close the '[' or escape it with '\\'` : undefined;
}

/** Problem with a group/kind/name pattern of the resource allow/deny lists (Go filepath.Match). */
export function resourcePatternProblem(value: unknown, required: boolean): string | undefined {
  if (value === undefined && !required) return undefined;
  if (typeof value !== 'string') return 'must be a string';
  if (goPathMatch(value, '') === undefined) return 'is not a valid pattern for Go\'s filepath.Match; Argo CD would match nothing with it';
  return undefined;
}

/** Argo CD's validateRoleName. */
export function roleNameProblem(name: unknown): string | undefined {
  if (typeof name !== 'string' || !ROLE_NAME.test(name)) {
    return 'is not a valid role name (Argo CD rule: must consist of alphanumeric characters, \'-\' or \'_\', and must start and end with an alphanumeric character)';
  }
  return undefined;
}

/** Argo CD's validateGroupName. */
export function groupNameProblem(group: unknown): string | undefined {
  if (typeof group !== 'string') return 'must be a string';
  let name = group.trim();
  if (name.length > 1 && name.startsWith('"') && name.endsWith('"')) {
    name = name.slice(1, -1);
  } else if (name.includes(',')) {
    return 'must be quoted (Argo CD rule: a group with a comma must be wrapped in double quotes)';
  }
  if (name === '') return 'is empty (Argo CD rule: group names must not be empty)';
  if (/["\n\r\t]/.test(name)) return 'contains invalid characters (Argo CD rule: no double quotes, tabs or line breaks)';
  return undefined;
}

const PROJECT_SCOPED = ['applications', 'applicationsets', 'repositories', 'clusters', 'logs', 'exec'];
const SIMPLE_ACTIONS = ['get', 'create', 'update', 'delete', 'sync', 'override', '*'];

function escapeRe(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
}

/** Argo CD's validatePolicy for one raw policy line of role `role` in project `project`. */
export function policyLineProblem(project: string, role: string, line: unknown): string | undefined {
  if (typeof line !== 'string') return 'must be a string';
  const parts = line.split(',');
  if (parts.length !== 6 || parts[0].trim() !== 'p') return 'is not a policy rule (Argo CD rule: must be of the form \'p, sub, res, act, obj, eft\')';
  const subject = parts[1].trim();
  const expected = `proj:${project}:${role}`;
  if (subject !== expected) return `has subject '${subject}' (Argo CD rule: policy subject must be '${expected}'); a role can only grant access in its own project`;
  const resource = parts[2].trim();
  if (!PROJECT_SCOPED.includes(resource)) return `has resource '${resource}' (Argo CD rule: project resource must be one of ${PROJECT_SCOPED.join(', ')})`;
  const action = parts[3].trim();
  if (!SIMPLE_ACTIONS.includes(action) && !/action\/.*|update\/.*|delete\/.*/.test(action)) {
    return `has action '${action}' (Argo CD rule: invalid action; use ${SIMPLE_ACTIONS.join(', ')}, action/..., update/... or delete/...)`;
  }
  const object = parts[4].trim();
  if (!new RegExp(`^${escapeRe(project)}(/[*A-Za-z0-9_.-]+){1,2}$`).test(object)) {
    return `has object '${object}' (Argo CD rule: object must be of form '${project}/*', '${project}/<APPNAME>' or '${project}/<NS>/<APPNAME>'); a role can only grant access in its own project`;
  }
  const effect = parts[5].trim();
  if (effect !== 'allow' && effect !== 'deny') return `has effect '${effect}' (Argo CD rule: effect must be 'allow' or 'deny')`;
  return undefined;
}

const DESCRIPTORS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];

/**
 * Problem with a sync window schedule. Argo CD parses it with robfig/cron (minute, hour, day of
 * month, month, day of week, and descriptors such as `@daily`); cron-parser checks the values.
 */
export function scheduleProblem(schedule: unknown): string | undefined {
  if (typeof schedule !== 'string' || schedule.trim() === '') return 'must be a non-empty cron expression';
  const s = schedule.trim();
  if (s.startsWith('@')) {
    return DESCRIPTORS.includes(s) ? undefined : `is not a supported descriptor; use a 5-field cron expression or one of ${DESCRIPTORS.join(', ')}`;
  }
  const fields = s.split(/\s+/);
  if (fields.length !== 5) {
    return `has ${fields.length} fields; Argo CD expects 5 (minute hour day-of-month month day-of-week), without seconds`;
  }
  if (/[LW#H]/.test(s.replace(/[A-Za-z]{3}/g, (m) => (/^(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|sun|mon|tue|wed|thu|fri|sat)$/i.test(m) ? '' : m)))) {
    return 'uses L, W, # or H, which Argo CD\'s cron parser does not support; use plain values, ranges, lists and steps';
  }
  try {
    CronExpressionParser.parse(s);
  } catch (e) {
    return `is not a valid cron expression (${(e as Error).message}); use minute hour day-of-month month day-of-week, e.g. '0 22 * * *'`;
  }
  return undefined;
}

/** Problem with an IANA time zone name. */
export function timeZoneProblem(tz: unknown): string | undefined {
  if (typeof tz !== 'string' || tz === '') return 'must be a non-empty IANA time zone name';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
  } catch {
    return 'is not a known IANA time zone; use a name like \'UTC\' or \'Europe/Berlin\'';
  }
  return undefined;
}

/** All of Argo CD's ValidateProject rules over a rendered AppProject spec, with wire paths. */
export function projectSpecProblems(projectName: string, spec: any): string[] {
  const out: string[] = [];
  if (!spec || typeof spec !== 'object') return out;
  const check = (field: string, value: unknown, p: string | undefined) => {
    if (p) out.push(problem(field, value, p));
  };

  const destKeys = new Set<string>();
  (spec.destinations ?? []).forEach((d: any, i: number) => {
    const f = `spec.destinations[${i}]`;
    // in the order of Argo CD's ValidateProject: name, server, namespace
    check(`${f}.name`, d?.name, destinationPartProblem('name', d?.name));
    check(`${f}.server`, d?.server, destinationPartProblem('server', d?.server));
    check(`${f}.namespace`, d?.namespace, destinationPartProblem('namespace', d?.namespace));
    const key = destinationKey(d ?? {});
    if (destKeys.has(key)) out.push(problem(f, key, `is listed twice (Argo CD rule: destination '${key}' already added); list it once`));
    destKeys.add(key);
  });

  const seenNs = new Set<string>();
  (spec.sourceNamespaces ?? []).forEach((ns: any, i: number) => {
    const f = `spec.sourceNamespaces[${i}]`;
    check(f, ns, sourceNamespaceProblem(ns));
    if (seenNs.has(ns)) out.push(problem(f, ns, `is listed twice (Argo CD rule: source namespace '${ns}' already added); list it once`));
    seenNs.add(ns);
  });

  const seenRepos = new Set<string>();
  (spec.sourceRepos ?? []).forEach((repo: any, i: number) => {
    const f = `spec.sourceRepos[${i}]`;
    check(f, repo, sourceRepoProblem(repo));
    if (seenRepos.has(repo)) out.push(problem(f, repo, `is listed twice (Argo CD rule: source repository '${repo}' already added); list it once`));
    seenRepos.add(repo);
  });

  const roleNames = new Set<string>();
  (spec.roles ?? []).forEach((role: any, i: number) => {
    const f = `spec.roles[${i}]`;
    const name = role?.name;
    if (roleNames.has(name)) out.push(problem(`${f}.name`, name, `is used twice (Argo CD rule: role '${name}' already exists); give each role its own name`));
    roleNames.add(name);
    check(`${f}.name`, name, roleNameProblem(name));
    const policies = new Set<string>();
    (role?.policies ?? []).forEach((line: any, j: number) => {
      const pf = `${f}.policies[${j}]`;
      if (policies.has(line)) out.push(problem(pf, line, `is listed twice (Argo CD rule: policy already exists for role '${name}'); list it once`));
      policies.add(line);
      check(pf, line, policyLineProblem(projectName, name, line));
    });
    const groups = new Set<string>();
    (role?.groups ?? []).forEach((g: any, j: number) => {
      const gf = `${f}.groups[${j}]`;
      if (groups.has(g)) out.push(problem(gf, g, `is listed twice (Argo CD rule: group already exists for role '${name}'); list it once`));
      groups.add(g);
      check(gf, g, groupNameProblem(g));
    });
  });

  const windows = new Set<string>();
  (spec.syncWindows ?? []).forEach((w: any, i: number) => {
    if (!w) return;
    const f = `spec.syncWindows[${i}]`;
    const key = `${w.kind}'${w.schedule}'${w.duration}`;
    if (windows.has(key)) {
      out.push(problem(f, `${w.kind} ${w.schedule} ${w.duration}`, `is listed twice (Argo CD rule: window '${w.kind}':'${w.schedule}':'${w.duration}' already exists); windows need a distinct kind, schedule or duration`));
    }
    windows.add(key);
    if (w.kind !== 'allow' && w.kind !== 'deny') out.push(problem(`${f}.kind`, w.kind, 'is not a window kind (Argo CD rule: can only be allow or deny)'));
    check(`${f}.schedule`, w.schedule, scheduleProblem(w.schedule));
    if (typeof w.duration !== 'string' || parseGoDuration(w.duration) === undefined) {
      out.push(problem(`${f}.duration`, w.duration, 'is not a Go duration (Argo CD rule: cannot parse duration); use e.g. \'1h\', \'30m\' or \'1h30m\''));
    }
    if (w.timeZone !== undefined) check(`${f}.timeZone`, w.timeZone, timeZoneProblem(w.timeZone));
    if (!(w.applications?.length) && !(w.namespaces?.length) && !(w.clusters?.length)) {
      out.push(problem(f, `${w.kind} ${w.schedule} ${w.duration}`, 'applies to nothing (Argo CD rule: window requires one of application, cluster or namespace); set applications, namespaces or clusters'));
    }
  });

  const saKeys = new Set<string>();
  (spec.destinationServiceAccounts ?? []).forEach((sa: any, i: number) => {
    const f = `spec.destinationServiceAccounts[${i}]`;
    // in the order of Argo CD's ValidateProject
    const server = sa?.server ?? '';
    const namespace = sa?.namespace ?? '';
    if (typeof server === 'string' && server.includes('!')) check(`${f}.server`, server, serviceAccountPartProblem('server', server));
    if (typeof namespace === 'string' && namespace.includes('!')) check(`${f}.namespace`, namespace, serviceAccountPartProblem('namespace', namespace));
    check(`${f}.defaultServiceAccount`, sa?.defaultServiceAccount ?? '', defaultServiceAccountProblem(sa?.defaultServiceAccount ?? ''));
    if (typeof server !== 'string' || !server.includes('!')) check(`${f}.server`, server, serviceAccountPartProblem('server', server));
    if (typeof namespace !== 'string' || !namespace.includes('!')) check(`${f}.namespace`, namespace, serviceAccountPartProblem('namespace', namespace));
    const key = `${server}/${namespace}`;
    if (saKeys.has(key)) out.push(problem(f, key, `is listed twice (Argo CD rule: destinationServiceAccount '${key}' already added); list it once`));
    saKeys.add(key);
  });
  return out;
}

/** Argo CD's duplicate-destination key: `<server>/<namespace>`, or `<name>/<namespace>` without a server. */
export function destinationKey(d: { server?: string; name?: string; namespace?: string }): string {
  const ns = d.namespace ?? '';
  if (!d.server && d.name) return `${d.name}/${ns}`;
  return `${d.server ?? ''}/${ns}`;
}

/**
 * The sources whose repository Argo CD's ValidatePermissions (util/argo/argo.go) asks the project
 * about: a hydrated Application's dry source, and its sync source when that names another
 * repository (spec.source is then ignored); else every spec.sources entry; else spec.source.
 */
export function permissionSources(appSpec: any): { field: string; repoURL: string }[] {
  const out: { field: string; repoURL: string }[] = [];
  const url = (s: any): string => (typeof s?.repoURL === 'string' ? s.repoURL : '');
  if (appSpec?.sourceHydrator) {
    const dry = url(appSpec.sourceHydrator.drySource);
    out.push({ field: 'spec.sourceHydrator.drySource.repoURL', repoURL: dry });
    const sync = url(appSpec.sourceHydrator.syncSource) || dry;
    if (sync !== dry) out.push({ field: 'spec.sourceHydrator.syncSource.repoURL', repoURL: sync });
  } else if (Array.isArray(appSpec?.sources) && appSpec.sources.length > 0) {
    appSpec.sources.forEach((s: any, i: number) => out.push({ field: `spec.sources[${i}].repoURL`, repoURL: url(s) }));
  } else if (appSpec?.source) {
    out.push({ field: 'spec.source.repoURL', repoURL: url(appSpec.source) });
  }
  return out;
}
