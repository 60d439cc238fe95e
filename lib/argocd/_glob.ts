// Argo CD's glob matching, written here because Argo CD's Go behaviour must be matched exactly and
// no npm package reproduces it: util/glob (github.com/gobwas/glob, with and without separators),
// the `!` deny rules of AppProject.IsSourcePermitted / isDestinationMatched, the `/regexp/` or glob
// rule of util/glob.MatchStringInList (sourceNamespaces), and Go's path.Match (filepath.Match on
// Linux), used for the group, kind and name of the resource allow/deny lists.
//
// gobwas/glob syntax: `*` any run of non-separator characters, `**` any run, `?` one
// non-separator character, `[abc]` / `[!abc]` one character in / not in the list, `[a-z]` /
// `[!a-z]` one character in / not in the range, `{a,b}` alternatives (nestable), `\` escapes the
// next character. A `{` left open is closed at the end; `}` and `,` outside braces are literal;
// an unterminated `[` is a compile error, and Argo CD treats a pattern that fails to compile as
// matching nothing. The glob itself is gobwas/glob's compiler and matchers as written in
// ./_gobwas.ts, whose rewrites change what some patterns match.
import { goUrlRoundTrip } from '../_internal/go-url';
import { compileGlob, Glob, GlobError, GobwasPanic, panicWitness } from './_gobwas';
import { IN_CLUSTER_NAME, IN_CLUSTER_SERVER } from './destination';

const cache = new Map<string, Glob | GlobError>();

/**
 * Where gobwas's matcher panics, Argo CD's request fails. Internal: callers that know the construct
 * and the field (the project check, a project's sync windows) turn it into a ValidationError or a
 * finding naming them.
 */
export class GlobPanicError extends Error {
  constructor(public readonly pattern: string, public readonly text: string, detail: string) {
    super(`glob pattern ${JSON.stringify(pattern)} against ${JSON.stringify(text)}: Argo CD's matcher (gobwas/glob) panics (${detail}); write the pattern without empty alternatives`);
    this.name = 'GlobPanicError';
  }
}

/** gobwas/glob's compile of a pattern with the given separators (kept), or its compile error. */
function compile(pattern: string, separators: string): Glob | GlobError {
  const key = `${separators}\u0000${pattern}`;
  let hit = cache.get(key);
  if (!hit) {
    try {
      hit = compileGlob(pattern, separators);
    } catch (e) {
      if (!(e instanceof GlobError)) throw e;
      hit = e;
    }
    cache.set(key, hit);
  }
  return hit;
}

function escapeRegex(ch: string): string {
  return /[\\^$.*+?()[\]{}|]/.test(ch) ? `\\${ch}` : ch;
}

function classEscape(ch: string): string {
  return /[\\\]\[^-]/.test(ch) ? `\\${ch}` : ch;
}

/**
 * Argo CD's `glob.Match(pattern, text, separators...)`: false when the pattern does not compile.
 * Where gobwas's matcher panics (its Row matcher slices past the end of the text for some
 * patterns with empty alternatives, such as `a{,}`), Argo CD's request fails: this throws a
 * GlobPanicError, naming the pattern and the text.
 */
export function globMatch(pattern: string, text: string, separators: string = ''): boolean {
  const c = compile(pattern, separators);
  if (c instanceof GlobError) return false;
  try {
    return c.match(text);
  } catch (e) {
    if (e instanceof GobwasPanic) {
      throw new GlobPanicError(pattern, text, e.message);
    }
    throw e;
  }
}

/**
 * The compile error of a gobwas/glob pattern, or undefined when it compiles.
 */
export function globError(pattern: string): string | undefined {
  const c = compile(pattern, '');
  return c instanceof GlobError ? c.message : undefined;
}

/**
 * A text on which Argo CD's matcher (gobwas/glob), compiled from `pattern` with `separators`,
 * panics, and the panic; undefined when none is found (or the pattern does not compile). Where
 * it panics, the Argo CD request that matches the pattern fails (the API server and the
 * controllers recover the panic and return it as the request's error).
 */
export function globPanic(pattern: string, separators: string = ''): { readonly text: string; readonly panic: string } | undefined {
  return panicWitness(pattern, separators);
}

/** Whether a pattern is a deny pattern (`!` prefix). */
export function isDenyPattern(pattern: string): boolean {
  return pattern.startsWith('!');
}

/**
 * Argo CD's project `globMatch(pattern, val, allowNegation, separators...)`: `!p` matches what `p`
 * does not (when negation is allowed); `*` matches everything.
 */
export function projectGlobMatch(pattern: string, value: string, allowNegation: boolean, separators: string = ''): boolean {
  if (allowNegation && isDenyPattern(pattern)) {
    return !globMatch(pattern.slice(1), value, separators);
  }
  if (pattern === '*') return true;
  return globMatch(pattern, value, separators);
}

/**
 * Argo CD's `git.NormalizeGitURL` (util/git/git.go): trimmed, lowercased, SCP-style SSH URLs
 * (`git@host:org/repo`) rewritten to `ssh://git@host/org/repo`, `.git` suffix removed, then put
 * through Go's `url.Parse` and `String()` (empty when Go refuses the URL), `ssh://` removed.
 */
export function normalizeGitUrl(repo: string): string {
  let r = repo.trim().toLowerCase();
  if (/^(ssh:\/\/)?([^/:]*?)@[^@]+$/.test(r) && !r.startsWith('ssh://')) {
    r = `ssh://${r.replace(':', '/')}`;
  }
  if (r.endsWith('.git')) r = r.slice(0, -4);
  const written = goUrlRoundTrip(r);
  if (written === undefined) return '';
  return written.startsWith('ssh://') ? written.slice('ssh://'.length) : written;
}

/**
 * Argo CD's `AppProject.IsSourcePermitted` for one repo URL: at least one pattern matches (with
 * `/` as separator, after URL normalization), and no `!` pattern excludes it.
 */
export function isSourcePermitted(sourceRepos: readonly string[], repoUrl: string): boolean {
  const src = normalizeGitUrl(repoUrl);
  let any = false;
  for (const repo of sourceRepos) {
    const normalized = isDenyPattern(repo) ? `!${normalizeGitUrl(repo.slice(1))}` : normalizeGitUrl(repo);
    const matched = projectGlobMatch(normalized, src, true, '/');
    if (matched) any = true;
    else if (isDenyPattern(normalized)) return false;
  }
  return any;
}

/** A project destination entry (`spec.destinations[]`). */
export interface DestinationPattern {
  readonly server?: string;
  readonly name?: string;
  readonly namespace?: string;
}

/**
 * Argo CD's `AppProject.isDestinationMatched` (v3.5.1, app_project_types.go): some entry matches
 * (server or name, and namespace), and no earlier entry vetoes the destination. An entry that
 * does not match vetoes when
 * - its name is a `!` pattern the destination's name does not match (whatever the namespace: Go's
 *   `&&` binds the namespace condition to the server clause only), or
 * - its server is a `!` pattern the destination's server does not match, and its namespace
 *   matches, or
 * - its namespace is a `!` pattern the destination's namespace does not match, and its server
 *   matches.
 * Entries are read in order: a veto after a match still vetoes, a match after a veto is not seen.
 */
export function isDestinationMatched(destinations: readonly DestinationPattern[], dst: DestinationPattern): boolean {
  let any = false;
  const dstName = dst.name ?? '';
  const dstServer = dst.server ?? '';
  for (const item of destinations) {
    const itemName = item.name ?? '';
    const itemServer = item.server ?? '';
    const itemNs = item.namespace ?? '';
    const nameMatched = dstName !== '' && projectGlobMatch(itemName, dstName, true);
    const serverMatched = dstServer !== '' && projectGlobMatch(itemServer, dstServer, true);
    const nsMatched = projectGlobMatch(itemNs, dst.namespace ?? '', true);
    if ((serverMatched || nameMatched) && nsMatched) {
      any = true;
    } else if ((!nameMatched && isDenyPattern(itemName)) || (!serverMatched && isDenyPattern(itemServer) && nsMatched)) {
      return false;
    } else if (!nsMatched && isDenyPattern(itemNs) && serverMatched) {
      return false;
    }
  }
  return any;
}

/** A registered cluster as its cluster Secret gives it: server, name, and the project it is scoped to. */
export interface KnownCluster {
  readonly server: string;
  readonly name: string;
  readonly project?: string;
}

/** The answer of `destinationPermitted()`. */
export interface DestinationAnswer {
  /** true or false, or undefined when it cannot be told from the clusters known here */
  readonly permitted: boolean | undefined;
  /** Argo CD's error resolving the destination (the Application is then refused) */
  readonly error?: string;
  /** the destination's cluster, as resolved (a side unknown here is undefined) */
  readonly cluster?: { readonly server?: string; readonly name?: string };
  /** the destination matched, but permitOnlyProjectScopedClusters refused its cluster */
  readonly notScoped?: boolean;
}

/**
 * Argo CD's verdict on an Application's destination: util/argo `GetDestinationCluster` (which
 * resolves a name into a server and a server into its cluster, from the cluster Secrets, the
 * in-cluster cluster being known without one), then `AppProject.IsDestinationPermitted`
 * (`isDestinationMatched` on the cluster's server and name, and with
 * `permitOnlyProjectScopedClusters` a cluster scoped to the project with the same name or
 * server).
 *
 * @param clusters the registered clusters known
 * @param complete whether they are all the clusters Argo CD knows; when not, what depends on
 * other clusters is answered undefined
 */
export function destinationPermitted(projectName: string, spec: any, dest: DestinationPattern, clusters: readonly KnownCluster[], complete: boolean): DestinationAnswer {
  const destinations: DestinationPattern[] = spec?.destinations ?? [];
  const name = dest.name ?? '';
  const rawServer = dest.server ?? '';
  if (name !== '' && rawServer !== '') return { permitted: false, error: `application destination can't have both name and server defined: ${name} ${rawServer}` };
  let server: string;
  if (rawServer !== '') {
    server = rawServer.replace(/\/+$/, '');
  } else if (name !== '') {
    let servers = clusters.filter((c) => c.name === name).map((c) => c.server);
    if (servers.length === 0 && name === IN_CLUSTER_NAME) servers = [IN_CLUSTER_SERVER];
    if (servers.length > 1) return { permitted: false, error: `there are ${servers.length} clusters with the same name: [${servers.join(' ')}]` };
    if (servers.length === 0) {
      if (complete) return { permitted: false, error: `there are no clusters with this name: ${name}` };
      return partial(spec, destinations, { name, namespace: dest.namespace }, 'server');
    }
    server = servers[0];
  } else {
    return { permitted: false, error: 'Destination server missing from app spec' };
  }
  let cluster: KnownCluster | undefined = clusters.find((c) => c.server === server);
  if (!cluster && server === IN_CLUSTER_SERVER) cluster = { server, name: IN_CLUSTER_NAME };
  if (!cluster) {
    if (complete) {
      const error = rawServer !== '' ? `error getting cluster by server "${rawServer}": cluster "${server}" not found` : `error getting cluster by URL: cluster "${server}" not found`;
      return { permitted: false, error };
    }
    return partial(spec, destinations, { server, namespace: dest.namespace }, 'name');
  }
  const resolved = { server: cluster.server, name: cluster.name };
  const matched = isDestinationMatched(destinations, { ...resolved, namespace: dest.namespace ?? '' });
  if (!matched || spec?.permitOnlyProjectScopedClusters !== true) return { permitted: matched, cluster: resolved };
  const scoped = clusters.some((c) => c.project === projectName && (c.name === resolved.name || c.server === resolved.server));
  if (scoped) return { permitted: true, cluster: resolved };
  // Known from its Secret, the cluster is not scoped to the project; that some Secret registered
  // elsewhere has its name (a second cluster of that name) and the project is not assumed. The
  // in-cluster cluster known without a Secret may still have one elsewhere: not told.
  const fromSecret = clusters.includes(cluster);
  return { permitted: complete || fromSecret ? false : undefined, cluster: resolved, notScoped: true };
}

/** The verdict when one side of the cluster (its server or its name) is unknown here. */
function partial(spec: any, destinations: readonly DestinationPattern[], dst: DestinationPattern, unknown: 'server' | 'name'): DestinationAnswer {
  const cluster = { server: dst.server, name: dst.name };
  // Patterns '' and '*' treat every non-empty value alike; any other pattern for the unknown side
  // could match or veto: not told here.
  if (destinations.some((d) => (d[unknown] ?? '') !== '' && d[unknown] !== '*')) return { permitted: undefined, cluster };
  const matched = isDestinationMatched(destinations, { ...dst, [unknown]: '\u0000unknown', namespace: dst.namespace ?? '' });
  // permitOnlyProjectScopedClusters needs the cluster's Secret, which is not known here
  if (matched && spec?.permitOnlyProjectScopedClusters === true) return { permitted: undefined, cluster };
  return { permitted: matched, cluster };
}

/**
 * Argo CD's `util/regex.Match`: a regexp2 expression (the .NET syntax: lookarounds and
 * backreferences allowed), unanchored; false when it does not compile.
 *
 * regexp2 is not Go's regexp, so this is JavaScript's RegExp, whose syntax regexp2 shares for
 * classes, groups, lookarounds, backreferences and quantifiers, after rewriting what .NET reads
 * differently: `$` (end, or before a final line break), `\A`, `\z`, `\Z` and leading inline
 * options `(?imsx)`. Expressions with .NET-only constructs JavaScript refuses (atomic groups
 * `(?>...)`, class subtraction, `(?'name'...)`) are answered undefined: not known here.
 */
export function regexp2Match(pattern: string, text: string): boolean | undefined {
  const re = regexp2Compile(pattern);
  if (re === null) return false;
  if (re === undefined) return undefined;
  return re.test(text);
}

const regexp2Cache = new Map<string, RegExp | null | undefined>();

/**
 * The RegExp equivalent to a regexp2 expression; null when regexp2 refuses it, undefined when it
 * cannot be told here.
 */
export function regexp2Compile(pattern: string): RegExp | null | undefined {
  if (regexp2Cache.has(pattern)) return regexp2Cache.get(pattern);
  const result = regexp2Translate(pattern);
  regexp2Cache.set(pattern, result);
  return result;
}

// the letter and digit escapes regexp2 knows (RegexParser.ScanBackslash / ScanCharEscape)
const REGEXP2_ESCAPES = 'wWsSdDbBAzZGntrfvaexucpPk0123456789';

function regexp2Translate(pattern: string): RegExp | null | undefined {
  let i = 0;
  let flags = '';
  const lead = /^\(\?([imsx]+)\)/.exec(pattern);
  if (lead) {
    if (lead[1].includes('x')) return undefined;
    flags = [...new Set(lead[1])].join('');
    i = lead[0].length;
  }
  // .NET-only constructs: atomic groups, (?'name'), conditionals, inline options inside
  if (/\(\?(>|'|\(|[imnsx-]+[:)])/.test(pattern.slice(i).replace(/\\./g, ''))) return undefined;
  let out = '';
  let inClass = false;
  while (i < pattern.length) {
    const c = pattern[i];
    if (c === '\\') {
      const n = pattern[i + 1];
      if (n === undefined) return null;
      if (/[A-Za-z0-9]/.test(n) && !REGEXP2_ESCAPES.includes(n)) return null; // regexp2: unrecognized escape
      if (n === 'p' || n === 'P' || n === 'G') return undefined; // Unicode categories, \G: not told here
      if (!inClass && (n === 'b' || n === 'B')) out += `(?:\\${n})`; // .NET lets anchors be quantified
      else if (!inClass && n === 'A') out += '(?:^)';
      else if (!inClass && n === 'z') out += '$';
      else if (!inClass && n === 'Z') out += '(?=\\n?$)';
      else if (n === 'e') out += '\\x1b';
      else if (n === 'a') out += '\\x07';
      else out += c + n;
      i += 2;
      continue;
    }
    if (inClass) {
      if (c === '[' && pattern[i - 1] === '-') return undefined; // class subtraction
      if (c === ']') inClass = false;
      out += c;
    } else if (c === '[') {
      inClass = true;
      out += c;
      // a ']' first in a class is literal in both
      if (pattern[i + 1] === '^') {
        out += '^';
        i++;
      }
      if (pattern[i + 1] === ']') {
        out += '\\]';
        i++;
      }
    } else if (c === '$') {
      out += flags.includes('m') ? '(?:$)' : '(?=\\n?$)';
    } else if (c === '^') {
      out += '(?:^)';
    } else {
      out += c;
    }
    i++;
  }
  if (inClass) return null;
  try {
    return new RegExp(out, flags);
  } catch {
    // JavaScript refuses it: regexp2 does too when a group is left open or closed twice, or a
    // quantifier follows nothing; for anything else it is not told here
    return regexp2Refuses(pattern) ? null : undefined;
  }
}

function regexp2Refuses(pattern: string): boolean {
  let depth = 0;
  let prev = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      i++;
      prev = 'x';
      continue;
    }
    if (c === '[') {
      // classes were checked to be closed; skip to the end of this one
      i++;
      if (pattern[i] === '^') i++;
      if (pattern[i] === ']') i++;
      while (i < pattern.length && pattern[i] !== ']') i += pattern[i] === '\\' ? 2 : 1;
      prev = 'x';
      continue;
    }
    if ('*+?'.includes(c) && (prev === '' || prev === '(' || prev === '|')) return true;
    if (c === '(') depth++;
    if (c === ')' && --depth < 0) return true;
    prev = c === '(' && pattern[i + 1] === '?' ? 'x' : c;
  }
  return depth !== 0;
}

/**
 * Argo CD's `glob.MatchStringInList(list, item, glob.REGEXP)` (util/glob/list.go): an entry
 * wrapped in `/` is tried as a regexp2 expression (unanchored), and every entry, that one too, as
 * a glob without separators. There is no `!` negation. Undefined when an expression cannot be
 * evaluated here and no other entry matches.
 */
export function matchStringInList(list: readonly string[], item: string): boolean | undefined {
  let unknown = false;
  for (const entry of list) {
    if (entry.startsWith('/') && entry.endsWith('/')) {
      // Argo CD slices entry[1:len-1], which panics for '/' (refused by the project rules)
      if (entry.length < 2) return undefined;
      const m = regexp2Match(entry.slice(1, -1), item);
      if (m === true) return true;
      if (m === undefined) unknown = true;
    }
    if (globMatch(entry, item)) return true;
  }
  return unknown ? undefined : false;
}

/**
 * Argo CD's `AppProject.IsAppNamespacePermitted`: an Application in the control-plane namespace
 * (or with none) is always permitted; otherwise its namespace must match `sourceNamespaces`.
 * Undefined when that depends on an expression not evaluated here.
 */
export function isAppNamespacePermitted(sourceNamespaces: readonly string[], appNamespace: string | undefined, controllerNamespace: string): boolean | undefined {
  if (!appNamespace || appNamespace === controllerNamespace) return true;
  return matchStringInList(sourceNamespaces, appNamespace);
}

/**
 * Go's `path.Match` (filepath.Match on Linux): `*` any run of non-`/` characters, `?` one non-`/`
 * character, `[...]` classes with `^` negation and ranges, `\` escapes. Returns undefined for a
 * malformed pattern (Go's ErrBadPattern), which Argo CD treats as no match.
 */
export function goPathMatch(pattern: string, name: string): boolean | undefined {
  const re = goPathRegex(pattern);
  if (re === undefined) return undefined;
  return re.test(name);
}

const pathCache = new Map<string, RegExp | null>();

function goPathRegex(pattern: string): RegExp | undefined {
  const hit = pathCache.get(pattern);
  if (hit !== undefined) return hit ?? undefined;
  const runes = Array.from(pattern);
  let out = '';
  let i = 0;
  let bad = false;
  const readChar = (): string | undefined => {
    if (i >= runes.length) return undefined;
    let c = runes[i];
    if (c === '\\') {
      i++;
      if (i >= runes.length) return undefined;
      c = runes[i];
    } else if (c === '-' || c === ']') {
      return undefined;
    }
    i++;
    return c;
  };
  while (i < runes.length && !bad) {
    const c = runes[i];
    if (c === '*') {
      out += '[^/]*';
      i++;
    } else if (c === '?') {
      out += '[^/]';
      i++;
    } else if (c === '\\') {
      if (i + 1 >= runes.length) {
        bad = true;
        break;
      }
      out += escapeRegex(runes[i + 1]);
      i += 2;
    } else if (c === '[') {
      i++;
      let negated = false;
      if (runes[i] === '^') {
        negated = true;
        i++;
      }
      const parts: string[] = [];
      let first = true;
      for (;;) {
        if (i >= runes.length) {
          bad = true;
          break;
        }
        if (runes[i] === ']' && !first) {
          i++;
          break;
        }
        first = false;
        const lo = readChar();
        if (lo === undefined) {
          bad = true;
          break;
        }
        if (runes[i] === '-') {
          i++;
          const hi = readChar();
          if (hi === undefined || hi.codePointAt(0)! < lo.codePointAt(0)!) {
            bad = true;
            break;
          }
          parts.push(`${classEscape(lo)}-${classEscape(hi)}`);
        } else {
          parts.push(classEscape(lo));
        }
      }
      if (bad) break;
      out += `[${negated ? '^' : ''}${parts.join('')}]`;
    } else {
      out += escapeRegex(c);
      i++;
    }
  }
  const re = bad ? null : new RegExp(`^${out}$`, 'u');
  pathCache.set(pattern, re);
  return re ?? undefined;
}
