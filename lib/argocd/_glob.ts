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
// matching nothing.
import { GoRegexp } from '../_internal/go-regexp';

/** A compiled glob: a JS RegExp equivalent to the gobwas pattern, or the compile error. */
interface Compiled {
  readonly regex?: RegExp;
  readonly error?: string;
}

const cache = new Map<string, Compiled>();

function escapeRegex(ch: string): string {
  return /[\\^$.*+?()[\]{}|]/.test(ch) ? `\\${ch}` : ch;
}

function classEscape(ch: string): string {
  return /[\\\]\[^-]/.test(ch) ? `\\${ch}` : ch;
}

/** Compiles a gobwas/glob pattern with the given separators into an anchored RegExp. */
function compile(pattern: string, separators: string): Compiled {
  const key = `${separators}\u0000${pattern}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const result = compileUncached(pattern, separators);
  cache.set(key, result);
  return result;
}

function compileUncached(pattern: string, separators: string): Compiled {
  const runes = Array.from(pattern);
  const seps = Array.from(separators);
  const notSep = seps.length === 0 ? '[\\s\\S]' : `[^${seps.map(classEscape).join('')}]`;
  let i = 0;
  let out = '';
  // Each open brace pushes the output position of its group; alternatives are joined with '|'.
  let depth = 0;

  const readText = (breakers: string[]): string => {
    let data = '';
    let escaped = false;
    while (i < runes.length) {
      const r = runes[i];
      if (!escaped) {
        if (r === '\\') {
          escaped = true;
          i++;
          continue;
        }
        if (breakers.includes(r)) break;
      }
      escaped = false;
      data += r;
      i++;
    }
    return data;
  };

  while (i < runes.length) {
    const r = runes[i];
    if (r === '{') {
      depth++;
      out += '(?:';
      i++;
    } else if (r === ',' && depth > 0) {
      out += '|';
      i++;
    } else if (r === '}' && depth > 0) {
      depth--;
      out += ')';
      i++;
    } else if (r === '[') {
      i++;
      let not = false;
      let lo: string | undefined;
      let hi: string | undefined;
      let text: string | undefined;
      // mirror of the lexer's fetchRange
      let wantHi = false;
      let wantClose = false;
      let seenNot = false;
      for (;;) {
        if (i >= runes.length) return { error: 'unexpected end of input' };
        const c = runes[i];
        if (wantClose) {
          if (c !== ']') return { error: 'expected close range character' };
          i++;
          break;
        }
        if (wantHi) {
          hi = c;
          i++;
          wantClose = true;
          continue;
        }
        if (!seenNot && c === '!') {
          not = true;
          seenNot = true;
          i++;
          continue;
        }
        if (runes[i + 1] === '-') {
          lo = c;
          i += 2;
          wantHi = true;
          continue;
        }
        text = readText([']']);
        wantClose = true;
      }
      if (lo !== undefined && hi !== undefined) {
        const loCp = lo.codePointAt(0)!;
        const hiCp = hi.codePointAt(0)!;
        if (loCp > hiCp) out += not ? '[\\s\\S]' : '(?!)';
        else out += `[${not ? '^' : ''}${classEscape(lo)}-${classEscape(hi)}]`;
      } else {
        const chars = Array.from(text ?? '');
        if (chars.length === 0) out += not ? '[\\s\\S]' : '(?!)';
        else out += `[${not ? '^' : ''}${chars.map(classEscape).join('')}]`;
      }
    } else if (r === '?') {
      out += notSep;
      i++;
    } else if (r === '*') {
      if (runes[i + 1] === '*') {
        out += '[\\s\\S]*';
        i += 2;
      } else {
        out += `${notSep}*`;
        i++;
      }
    } else {
      const breakers = depth > 0 ? ['?', '*', '[', '{', '}', ','] : ['?', '*', '[', '{'];
      const text = readText(breakers);
      out += Array.from(text).map(escapeRegex).join('');
    }
  }
  // braces left open are closed at the end of the pattern
  out += ')'.repeat(depth);
  return { regex: new RegExp(`^(?:${out})$`, 'u') };
}

/**
 * Argo CD's `glob.Match(pattern, text, separators...)`: false when the pattern does not compile.
 */
export function globMatch(pattern: string, text: string, separators: string = ''): boolean {
  const c = compile(pattern, separators);
  return c.regex ? c.regex.test(text) : false;
}

/**
 * The compile error of a gobwas/glob pattern, or undefined when it compiles.
 */
export function globError(pattern: string): string | undefined {
  return compile(pattern, '').error;
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
 * A simplified `git.NormalizeGitURL`: trimmed, lowercased, SCP-style and `ssh://` URLs reduced to
 * `user@host/path`, `.git` suffix removed. (Argo CD also round-trips the URL through Go's
 * net/url, which can re-encode unusual characters; that step is not reproduced.)
 */
export function normalizeGitUrl(repo: string): string {
  let r = repo.trim().toLowerCase();
  const ssh = r.startsWith('ssh://') || r.startsWith('git@') || /^(ssh:\/\/)?([^/:]*?)@[^@]+$/.test(r);
  if (ssh && !r.startsWith('ssh://')) {
    r = `ssh://${r.replace(':', '/')}`;
  }
  if (r.endsWith('.git')) r = r.slice(0, -4);
  if (r.startsWith('ssh://')) r = r.slice('ssh://'.length);
  return r;
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
 * Argo CD's `AppProject.isDestinationMatched`: some entry matches (server or name, and namespace)
 * and no entry's `!` pattern excludes the destination.
 */
export function isDestinationMatched(destinations: readonly DestinationPattern[], dst: DestinationPattern): boolean {
  let any = false;
  let noDeny = true;
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
    } else if ((!nameMatched && isDenyPattern(itemName)) || (!serverMatched && isDenyPattern(itemServer)) || (!nsMatched && isDenyPattern(itemNs))) {
      noDeny = false;
    }
  }
  return any && noDeny;
}

/**
 * Argo CD's `glob.MatchStringInList(list, item, glob.REGEXP)`: an entry wrapped in `/` is a
 * regular expression (Go's regexp, unanchored), any other entry a glob without separators. There
 * is no `!` negation.
 */
export function matchStringInList(list: readonly string[], item: string): boolean {
  for (const entry of list) {
    if (entry.length > 1 && entry.startsWith('/') && entry.endsWith('/')) {
      try {
        if (GoRegexp.compile(entry.slice(1, -1)).test(item)) return true;
      } catch {
        // Argo CD logs and treats a bad expression as no match
      }
    }
    if (globMatch(entry, item)) return true;
  }
  return false;
}

/**
 * Argo CD's `AppProject.IsAppNamespacePermitted`: an Application in the control-plane namespace
 * (or with none) is always permitted; otherwise its namespace must match `sourceNamespaces`.
 */
export function isAppNamespacePermitted(sourceNamespaces: readonly string[], appNamespace: string | undefined, controllerNamespace: string): boolean {
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
