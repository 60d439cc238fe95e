// Git pathspec matching as `git ls-files --full-name -z -- <pattern>` applies it, reimplemented
// because Argo CD's git files generator selects files that way by default ("legacy" globbing) and
// which files it selects must be matched exactly: a pathspec matches a path that equals it, a path
// under it when it names a directory, or a path its wildmatch pattern matches WITHOUT
// WM_PATHNAME, so `*`, `?` and `[...]` all cross `/`. Internal: not exported from the package.
import { utf8 } from './_path-match';

const isWild = (c: number) => c === 0x2a || c === 0x3f || c === 0x5b || c === 0x5c;

/** Whether the file `name` is selected by the pathspec `pattern` (git's default pathspec magic). */
export function gitPathspecMatch(pattern: string, name: string): boolean {
  let spec = pattern;
  while (spec.startsWith('./')) spec = spec.slice(2);
  if (spec === '.' || spec === '') return true;
  const p = utf8(spec);
  const n = utf8(name);
  // literal match, exact or as a leading directory
  if (p.length <= n.length && p.every((c, i) => c === n[i])) {
    if (p.length === n.length) return true;
    if (p[p.length - 1] === 0x2f || n[p.length] === 0x2f) return true;
  }
  if (!p.some(isWild)) return false;
  return wildmatch(p, 0, n, 0) === MATCH;
}

const MATCH = 0;
const NOMATCH = 1;
const ABORT_ALL = -1;

const CLASSES: Record<string, (c: number) => boolean> = {
  alnum: (c) => /[A-Za-z0-9]/.test(String.fromCharCode(c)),
  alpha: (c) => /[A-Za-z]/.test(String.fromCharCode(c)),
  blank: (c) => c === 0x20 || c === 0x09,
  cntrl: (c) => c < 0x20 || c === 0x7f,
  digit: (c) => c >= 0x30 && c <= 0x39,
  graph: (c) => c > 0x20 && c < 0x7f,
  lower: (c) => c >= 0x61 && c <= 0x7a,
  print: (c) => c >= 0x20 && c < 0x7f,
  punct: (c) => c > 0x20 && c < 0x7f && !/[A-Za-z0-9]/.test(String.fromCharCode(c)),
  space: (c) => c === 0x20 || (c >= 0x09 && c <= 0x0d),
  upper: (c) => c >= 0x41 && c <= 0x5a,
  xdigit: (c) => /[0-9A-Fa-f]/.test(String.fromCharCode(c)),
};

/** git's `dowild` with flags = 0 (no WM_PATHNAME, case-sensitive), over bytes. */
function wildmatch(p: Uint8Array, pi: number, t: Uint8Array, ti: number): number {
  for (; pi < p.length; pi++, ti++) {
    let pc = p[pi];
    if (ti >= t.length && pc !== 0x2a) return ABORT_ALL;
    const tc = t[ti];
    switch (pc) {
      case 0x5c: // '\\' literal match with the following character
        pi++;
        pc = p[pi];
        if (pc !== tc) return NOMATCH;
        continue;
      case 0x3f: // '?' matches any character (also '/', without WM_PATHNAME)
        continue;
      case 0x2a: { // '*' matches anything (also '/', without WM_PATHNAME)
        while (pi + 1 < p.length && p[pi + 1] === 0x2a) pi++;
        if (pi + 1 >= p.length) return MATCH;
        for (let k = ti; k <= t.length; k++) {
          const r = wildmatch(p, pi + 1, t, k);
          if (r !== NOMATCH) return r;
        }
        return ABORT_ALL;
      }
      case 0x5b: { // '['
        pi++;
        if (pi >= p.length) return ABORT_ALL;
        pc = p[pi];
        let negated = false;
        if (pc === 0x5e || pc === 0x21) { // '^' or '!'
          negated = true;
          pi++;
          pc = p[pi];
        }
        let prev = -1;
        let matched = false;
        do {
          if (pi >= p.length) return ABORT_ALL;
          pc = p[pi];
          if (pc === 0x5c) {
            pi++;
            if (pi >= p.length) return ABORT_ALL;
            pc = p[pi];
            if (tc === pc) matched = true;
          } else if (pc === 0x2d && prev >= 0 && pi + 1 < p.length && p[pi + 1] !== 0x5d) {
            pi++;
            pc = p[pi];
            if (pc === 0x5c) {
              pi++;
              if (pi >= p.length) return ABORT_ALL;
              pc = p[pi];
            }
            if (tc <= pc && tc >= prev) matched = true;
            pc = -1;
          } else if (pc === 0x5b && p[pi + 1] === 0x3a) { // '[:class:]'
            const end = findClassEnd(p, pi + 2);
            if (end < 0) {
              // not a class: treat '[' literally
              if (tc === 0x5b) matched = true;
            } else {
              const cls = Buffer.from(p.subarray(pi + 2, end)).toString('latin1');
              const fn = CLASSES[cls];
              if (!fn) return ABORT_ALL; // malformed [:class:]
              if (fn(tc)) matched = true;
              pi = end + 1; // on the ']' of ':]'
              pc = -1;
            }
          } else if (tc === pc) {
            matched = true;
          }
          prev = pc;
          pi++;
        } while (pi < p.length && p[pi] !== 0x5d);
        if (pi >= p.length) return ABORT_ALL;
        if (matched === negated) return NOMATCH;
        continue;
      }
      default:
        if (tc !== pc) return NOMATCH;
    }
  }
  return ti >= t.length ? MATCH : NOMATCH;
}

function findClassEnd(p: Uint8Array, from: number): number {
  for (let i = from; i + 1 < p.length; i++) {
    if (p[i] === 0x3a && p[i + 1] === 0x5d) return i + 1;
    if (p[i] === 0x5d) return -1;
  }
  return -1;
}
