// Go's `path.Match`, reimplemented because Argo CD's git directory generator filters paths with it
// and its behaviour (ErrBadPattern, `*` not crossing `/`, `\` escapes, byte-wise matching of UTF-8)
// must be matched exactly. Written from the Go specification and its documented semantics.
// Internal: not exported from the package.

/** Go's `path.ErrBadPattern`. */
export class GoBadPatternError extends Error {
  constructor() {
    super('syntax error in pattern');
    this.name = 'GoBadPatternError';
  }
}

const RUNE_ERROR = 0xfffd;
const SLASH = 0x2f;
const BACKSLASH = 0x5c;
const STAR = 0x2a;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const QUESTION = 0x3f;
const CARET = 0x5e;
const DASH = 0x2d;

/** Go's `utf8.DecodeRune` over bytes: returns [rune, size]. */
export function decodeRune(b: Uint8Array, i: number): [number, number] {
  const n = b.length - i;
  if (n <= 0) return [RUNE_ERROR, 0];
  const c0 = b[i];
  if (c0 < 0x80) return [c0, 1];
  const cont = (k: number) => k < b.length && (b[k] & 0xc0) === 0x80;
  if (c0 >= 0xc2 && c0 <= 0xdf) {
    if (n >= 2 && cont(i + 1)) return [((c0 & 0x1f) << 6) | (b[i + 1] & 0x3f), 2];
    return [RUNE_ERROR, 1];
  }
  if (c0 >= 0xe0 && c0 <= 0xef) {
    if (n < 3 || !cont(i + 1) || !cont(i + 2)) return [RUNE_ERROR, 1];
    const b1 = b[i + 1];
    if (c0 === 0xe0 && b1 < 0xa0) return [RUNE_ERROR, 1];
    if (c0 === 0xed && b1 > 0x9f) return [RUNE_ERROR, 1];
    return [((c0 & 0x0f) << 12) | ((b1 & 0x3f) << 6) | (b[i + 2] & 0x3f), 3];
  }
  if (c0 >= 0xf0 && c0 <= 0xf4) {
    if (n < 4 || !cont(i + 1) || !cont(i + 2) || !cont(i + 3)) return [RUNE_ERROR, 1];
    const b1 = b[i + 1];
    if (c0 === 0xf0 && b1 < 0x90) return [RUNE_ERROR, 1];
    if (c0 === 0xf4 && b1 > 0x8f) return [RUNE_ERROR, 1];
    return [((c0 & 0x07) << 18) | ((b1 & 0x3f) << 12) | ((b[i + 2] & 0x3f) << 6) | (b[i + 3] & 0x3f), 4];
  }
  return [RUNE_ERROR, 1];
}

export function utf8(s: string): Uint8Array {
  return new Uint8Array(Buffer.from(s, 'utf8'));
}

/**
 * Reports whether `name` matches the shell pattern `pattern`, as Go's `path.Match` does.
 * Throws `GoBadPatternError` when the pattern is malformed (as Go returns `ErrBadPattern`).
 */
export function goPathMatch(pattern: string, name: string): boolean {
  let pat = utf8(pattern);
  let nm = utf8(name);
  Pattern: while (pat.length > 0) {
    const [star, chunk, rest] = scanChunk(pat);
    pat = rest;
    if (star && chunk.length === 0) {
      // Trailing * matches rest of string unless it has a /.
      return nm.indexOf(SLASH) < 0;
    }
    // Look for match at current position.
    const [t, ok] = matchChunk(chunk, nm);
    // If we're the last chunk, make sure we've exhausted the name,
    // otherwise we'll give a false result even if we could still match using the star.
    if (ok && (t.length === 0 || pat.length > 0)) {
      nm = t;
      continue;
    }
    if (star) {
      // Look for match skipping i+1 bytes. Cannot skip /.
      for (let i = 0; i < nm.length && nm[i] !== SLASH; i++) {
        const [t2, ok2] = matchChunk(chunk, nm.subarray(i + 1));
        if (ok2) {
          // If we're the last chunk, make sure we exhausted the name.
          if (pat.length === 0 && t2.length > 0) continue;
          nm = t2;
          continue Pattern;
        }
      }
    }
    // Before returning false with no error, check that the remainder of the pattern is valid.
    while (pat.length > 0) {
      const [, c2, r2] = scanChunk(pat);
      pat = r2;
      matchChunk(c2, new Uint8Array(0));
    }
    return false;
  }
  return nm.length === 0;
}

function scanChunk(pattern: Uint8Array): [boolean, Uint8Array, Uint8Array] {
  let star = false;
  while (pattern.length > 0 && pattern[0] === STAR) {
    pattern = pattern.subarray(1);
    star = true;
  }
  let inrange = false;
  let i = 0;
  scan: for (i = 0; i < pattern.length; i++) {
    switch (pattern[i]) {
      case BACKSLASH:
        // error check handled in matchChunk: bad pattern.
        if (i + 1 < pattern.length) i++;
        break;
      case LBRACKET:
        inrange = true;
        break;
      case RBRACKET:
        inrange = false;
        break;
      case STAR:
        if (!inrange) break scan;
        break;
    }
  }
  return [star, pattern.subarray(0, i), pattern.subarray(i)];
}

/**
 * Checks whether chunk matches the beginning of s. If so, returns the remainder of s.
 * Throws on a malformed chunk (it keeps validating the chunk after a failed match).
 */
function matchChunk(chunk: Uint8Array, s: Uint8Array): [Uint8Array, boolean] {
  let failed = false;
  while (chunk.length > 0) {
    if (!failed && s.length === 0) failed = true;
    switch (chunk[0]) {
      case LBRACKET: {
        let r = 0;
        if (!failed) {
          const [rr, n] = decodeRune(s, 0);
          r = rr;
          s = s.subarray(n);
        }
        chunk = chunk.subarray(1);
        let negated = false;
        if (chunk.length > 0 && chunk[0] === CARET) {
          negated = true;
          chunk = chunk.subarray(1);
        }
        let match = false;
        let nrange = 0;
        for (;;) {
          if (chunk.length > 0 && chunk[0] === RBRACKET && nrange > 0) {
            chunk = chunk.subarray(1);
            break;
          }
          let lo: number;
          let hi: number;
          [lo, chunk] = getEsc(chunk);
          hi = lo;
          if (chunk[0] === DASH) {
            [hi, chunk] = getEsc(chunk.subarray(1));
          }
          if (lo <= r && r <= hi) match = true;
          nrange++;
        }
        if (match === negated) failed = true;
        break;
      }
      case QUESTION:
        if (!failed) {
          if (s[0] === SLASH) failed = true;
          const [, n] = decodeRune(s, 0);
          s = s.subarray(n);
        }
        chunk = chunk.subarray(1);
        break;
      case BACKSLASH:
        chunk = chunk.subarray(1);
        if (chunk.length === 0) throw new GoBadPatternError();
        if (!failed) {
          if (chunk[0] !== s[0]) failed = true;
          s = s.subarray(1);
        }
        chunk = chunk.subarray(1);
        break;
      default:
        if (!failed) {
          if (chunk[0] !== s[0]) failed = true;
          s = s.subarray(1);
        }
        chunk = chunk.subarray(1);
    }
  }
  if (failed) return [new Uint8Array(0), false];
  return [s, true];
}

function getEsc(chunk: Uint8Array): [number, Uint8Array] {
  if (chunk.length === 0 || chunk[0] === DASH || chunk[0] === RBRACKET) throw new GoBadPatternError();
  if (chunk[0] === BACKSLASH) {
    chunk = chunk.subarray(1);
    if (chunk.length === 0) throw new GoBadPatternError();
  }
  const [r, n] = decodeRune(chunk, 0);
  if (r === RUNE_ERROR && n === 1) throw new GoBadPatternError();
  const nchunk = chunk.subarray(n);
  if (nchunk.length === 0) throw new GoBadPatternError();
  return [r, nchunk];
}
