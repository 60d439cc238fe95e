// bmatcuk/doublestar v4 `Match` (separator '/'), reimplemented because Argo CD's git files
// generator with `--enable-new-git-file-globbing` selects files with `doublestar.FilepathGlob`, and
// which files it selects must be matched exactly: `**` only as a whole path segment, `*` and `?`
// never crossing `/`, `[...]` classes negated by `!` or `^`, `{a,b}` alternatives, `\` escapes,
// ErrBadPattern for malformed patterns. Internal: not exported from the package.
import { decodeRune, utf8 } from './_path-match';

/** doublestar's `ErrBadPattern`. */
export class DoublestarBadPatternError extends Error {
  constructor() {
    super('syntax error in pattern');
    this.name = 'DoublestarBadPatternError';
  }
}

const SEP = 0x2f;
const MAX_RUNE = 0x10ffff;

/** Reports whether `name` matches `pattern` as `doublestar.Match` does; throws on a bad pattern. */
export function doublestarMatch(pattern: string, name: string): boolean {
  return doMatch(utf8(pattern), utf8(name), -1, -1, -1, -1, 0, 0);
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const len = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(len);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function doMatch(
  pattern: Uint8Array, name: Uint8Array,
  dsPatBack: number, dsNameBack: number, starPatBack: number, starNameBack: number,
  patIdx: number, nameIdx: number,
): boolean {
  const patLen = pattern.length;
  const nameLen = name.length;
  let startOfSegment = true;
  MATCH: while (nameIdx < nameLen) {
    if (patIdx < patLen) {
      switch (pattern[patIdx]) {
        case 0x2a: { // '*'
          patIdx++;
          if (patIdx < patLen && pattern[patIdx] === 0x2a) {
            patIdx++;
            if (startOfSegment) {
              if (patIdx >= patLen) return true; // pattern ends in `/**`
              const [patRune, patRuneLen] = decodeRune(pattern, patIdx);
              if (patRune === SEP) {
                patIdx += patRuneLen;
                dsPatBack = patIdx;
                dsNameBack = nameIdx;
                starPatBack = -1;
                starNameBack = -1;
                continue MATCH;
              }
            }
          }
          startOfSegment = false;
          starPatBack = patIdx;
          starNameBack = nameIdx;
          continue MATCH;
        }
        case 0x3f: { // '?'
          startOfSegment = false;
          const [nameRune, nameRuneLen] = decodeRune(name, nameIdx);
          if (nameRune === SEP) break; // `?` cannot match the separator
          patIdx++;
          nameIdx += nameRuneLen;
          continue MATCH;
        }
        case 0x5b: { // '['
          startOfSegment = false;
          patIdx++;
          if (patIdx >= patLen) throw new DoublestarBadPatternError();
          const [nameRune, nameRuneLen] = decodeRune(name, nameIdx);
          let matched = false;
          const negate = pattern[patIdx] === 0x21 || pattern[patIdx] === 0x5e;
          if (negate) patIdx++;
          if (patIdx >= patLen || pattern[patIdx] === 0x5d) throw new DoublestarBadPatternError();
          let last = MAX_RUNE;
          while (patIdx < patLen && pattern[patIdx] !== 0x5d) {
            let [patRune, patRuneLen] = decodeRune(pattern, patIdx);
            patIdx += patRuneLen;
            if (last < MAX_RUNE && patRune === 0x2d && patIdx < patLen && pattern[patIdx] !== 0x5d) {
              if (pattern[patIdx] === 0x5c) patIdx++;
              [patRune, patRuneLen] = decodeRune(pattern, patIdx);
              patIdx += patRuneLen;
              if (last <= nameRune && nameRune <= patRune) {
                matched = true;
                break;
              }
              last = MAX_RUNE;
              continue;
            }
            if (patRune === 0x5c) {
              [patRune, patRuneLen] = decodeRune(pattern, patIdx);
              patIdx += patRuneLen;
            }
            if (patRune === nameRune) {
              matched = true;
              break;
            }
            last = patRune;
          }
          if (matched === negate) {
            if (patIdx >= patLen) throw new DoublestarBadPatternError();
            break;
          }
          const closingIdx = indexUnescapedByte(pattern.subarray(patIdx), 0x5d, true);
          if (closingIdx === -1) throw new DoublestarBadPatternError();
          patIdx += closingIdx + 1;
          nameIdx += nameRuneLen;
          continue MATCH;
        }
        case 0x7b: { // '{'
          startOfSegment = false;
          const beforeIdx = patIdx;
          patIdx++;
          let closingIdx = indexMatchedClosingAlt(pattern.subarray(patIdx), true);
          if (closingIdx === -1) throw new DoublestarBadPatternError();
          closingIdx += patIdx;
          for (;;) {
            let commaIdx = indexNextAlt(pattern.subarray(patIdx, closingIdx), true);
            if (commaIdx === -1) break;
            commaIdx += patIdx;
            const alt = concat(pattern.subarray(0, beforeIdx), pattern.subarray(patIdx, commaIdx), pattern.subarray(closingIdx + 1));
            if (doMatch(alt, name, dsPatBack, dsNameBack, starPatBack, starNameBack, beforeIdx, nameIdx)) return true;
            patIdx = commaIdx + 1;
          }
          const lastAlt = concat(pattern.subarray(0, beforeIdx), pattern.subarray(patIdx, closingIdx), pattern.subarray(closingIdx + 1));
          return doMatch(lastAlt, name, dsPatBack, dsNameBack, starPatBack, starNameBack, beforeIdx, nameIdx);
        }
        default: {
          if (pattern[patIdx] === 0x5c) { // '\\': the next rune is escaped - literal match
            patIdx++;
            if (patIdx >= patLen) throw new DoublestarBadPatternError();
          }
          const [patRune, patRuneLen] = decodeRune(pattern, patIdx);
          const [nameRune, nameRuneLen] = decodeRune(name, nameIdx);
          if (patRune !== nameRune) {
            if (patIdx > 0 && pattern[patIdx - 1] === 0x5c) patIdx--;
            break;
          }
          patIdx += patRuneLen;
          nameIdx += nameRuneLen;
          startOfSegment = patRune === SEP;
          continue MATCH;
        }
      }
    }

    if (starPatBack >= 0) {
      // `*` backtrack, but only if the `name` rune isn't the separator
      const [nameRune, nameRuneLen] = decodeRune(name, starNameBack);
      if (nameRune !== SEP) {
        starNameBack += nameRuneLen;
        patIdx = starPatBack;
        nameIdx = starNameBack;
        startOfSegment = false;
        continue;
      }
    }

    if (dsPatBack >= 0) {
      // `**` backtrack, advance `name` past next separator
      nameIdx = dsNameBack;
      while (nameIdx < nameLen) {
        const [nameRune, nameRuneLen] = decodeRune(name, nameIdx);
        nameIdx += nameRuneLen;
        if (nameRune === SEP) {
          dsNameBack = nameIdx;
          patIdx = dsPatBack;
          startOfSegment = true;
          continue MATCH;
        }
      }
    }

    if (patIdx < patLen && !validatePattern(pattern.subarray(patIdx))) throw new DoublestarBadPatternError();
    return false;
  }
  return isZeroLengthPattern(pattern.subarray(patIdx));
}

function bytesEqual(a: Uint8Array, s: string): boolean {
  if (a.length !== s.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== s.charCodeAt(i)) return false;
  return true;
}

function isZeroLengthPattern(pattern: Uint8Array): boolean {
  // `/**`, `**/` and `/**/` are special cases: `path/to/a/**` matches `path/to/a`.
  if (['', '*', '**', '/**', '**/', '/**/'].some((p) => bytesEqual(pattern, p))) return true;
  if (pattern[0] === 0x7b) {
    let closingIdx = indexMatchedClosingAlt(pattern.subarray(1), true);
    if (closingIdx === -1) throw new DoublestarBadPatternError();
    closingIdx += 1;
    let patIdx = 1;
    for (;;) {
      let commaIdx = indexNextAlt(pattern.subarray(patIdx, closingIdx), true);
      if (commaIdx === -1) break;
      commaIdx += patIdx;
      if (isZeroLengthPattern(concat(pattern.subarray(patIdx, commaIdx), pattern.subarray(closingIdx + 1)))) return true;
      patIdx = commaIdx + 1;
    }
    return isZeroLengthPattern(concat(pattern.subarray(patIdx, closingIdx), pattern.subarray(closingIdx + 1)));
  }
  if (!validatePattern(pattern)) throw new DoublestarBadPatternError();
  return false;
}

function indexUnescapedByte(s: Uint8Array, c: number, allowEscaping: boolean): number {
  for (let i = 0; i < s.length; i++) {
    if (allowEscaping && s[i] === 0x5c) i++;
    else if (s[i] === c) return i;
  }
  return -1;
}

function indexMatchedClosingAlt(s: Uint8Array, allowEscaping: boolean): number {
  let alts = 1;
  for (let i = 0; i < s.length; i++) {
    if (allowEscaping && s[i] === 0x5c) i++;
    else if (s[i] === 0x7b) alts++;
    else if (s[i] === 0x7d) {
      alts--;
      if (alts === 0) return i;
    }
  }
  return -1;
}

function indexNextAlt(s: Uint8Array, allowEscaping: boolean): number {
  let alts = 1;
  for (let i = 0; i < s.length; i++) {
    if (allowEscaping && s[i] === 0x5c) i++;
    else if (s[i] === 0x7b) alts++;
    else if (s[i] === 0x7d) alts--;
    else if (s[i] === 0x2c && alts === 1) return i;
  }
  return -1;
}

/** doublestar's `ValidatePattern` with separator '/'. */
export function validatePattern(s: Uint8Array): boolean {
  let altDepth = 0;
  const l = s.length;
  VALIDATE: for (let i = 0; i < l; i++) {
    switch (s[i]) {
      case 0x5c:
        i++;
        if (i >= l) return false;
        continue;
      case 0x5b:
        i++;
        if (i >= l) return false;
        if (s[i] === 0x5e || s[i] === 0x21) i++;
        if (i >= l || s[i] === 0x5d) return false;
        for (; i < l; i++) {
          if (s[i] === 0x5c) i++;
          else if (s[i] === 0x5d) continue VALIDATE;
        }
        return false;
      case 0x7b:
        altDepth++;
        continue;
      case 0x7d:
        if (altDepth === 0) return false;
        altDepth--;
        continue;
    }
  }
  return altDepth === 0;
}
