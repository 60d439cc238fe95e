// github.com/gobwas/glob v0.2.3, as Argo CD v3.5.1's util/glob calls it (glob.Compile(pattern,
// separators...) then Match). Written here, step for step after the Go module's lexer, parser,
// compiler and matchers, because Argo CD's Go behaviour must be matched exactly and no npm package
// reproduces it: the compiler's rewrites (minimizeTreeAnyOf, minimizeMatchers, glueMatchersAsEvery,
// glueMatchersAsRow, optimizeMatcher) change what some patterns match (`***` with separators does
// not match '', `team-*team-b` matches 'team-b', `{a,ab}` alternatives are factored), and the
// matchers work on the bytes of the UTF-8 text, sometimes mixing counts of runes and bytes. Texts
// and patterns are therefore handled here as UTF-8 bytes, runes decoded as Go decodes them.

const RUNE_ERROR = 0xfffd;
const EOF = 0;

/** Thrown where the Go matcher panics (a slice past the end of the text). */
export class GobwasPanic extends Error {}

// ---------------------------------------------------------------------------------------------
// UTF-8, as Go's unicode/utf8 and strings packages

type Bytes = Uint8Array;

const encoder = new TextEncoder();

/** The UTF-8 bytes of a JS string; a lone surrogate becomes U+FFFD, as Go's JSON decoder reads it. */
export function utf8(s: string): Bytes {
  return encoder.encode(s);
}

/** utf8.DecodeRune: [rune, width]; RuneError with width 1 for an invalid byte, width 0 at the end. */
function decodeRune(s: Bytes, i: number): [number, number] {
  const n = s.length - i;
  if (n <= 0) return [RUNE_ERROR, 0];
  const b0 = s[i];
  if (b0 < 0x80) return [b0, 1];
  const cont = (k: number, lo = 0x80, hi = 0xbf) => k < s.length && s[k] >= lo && s[k] <= hi;
  if (b0 >= 0xc2 && b0 <= 0xdf) {
    if (cont(i + 1)) return [((b0 & 0x1f) << 6) | (s[i + 1] & 0x3f), 2];
  } else if (b0 >= 0xe0 && b0 <= 0xef) {
    const lo = b0 === 0xe0 ? 0xa0 : 0x80;
    const hi = b0 === 0xed ? 0x9f : 0xbf;
    if (cont(i + 1, lo, hi) && cont(i + 2)) return [((b0 & 0x0f) << 12) | ((s[i + 1] & 0x3f) << 6) | (s[i + 2] & 0x3f), 3];
  } else if (b0 >= 0xf0 && b0 <= 0xf4) {
    const lo = b0 === 0xf0 ? 0x90 : 0x80;
    const hi = b0 === 0xf4 ? 0x8f : 0xbf;
    if (cont(i + 1, lo, hi) && cont(i + 2) && cont(i + 3)) {
      return [((b0 & 0x07) << 18) | ((s[i + 1] & 0x3f) << 12) | ((s[i + 2] & 0x3f) << 6) | (s[i + 3] & 0x3f), 4];
    }
  }
  return [RUNE_ERROR, 1];
}

/** `for i, r := range s`: the byte offset and rune of each rune. */
function* runesOf(s: Bytes): Generator<[number, number]> {
  let i = 0;
  while (i < s.length) {
    const [r, w] = decodeRune(s, i);
    yield [i, r];
    i += w;
  }
}

/** utf8.RuneLen */
function runeLen(r: number): number {
  if (r < 0) return -1;
  if (r < 0x80) return 1;
  if (r < 0x800) return 2;
  if (r >= 0xd800 && r <= 0xdfff) return -1;
  if (r < 0x10000) return 3;
  if (r <= 0x10ffff) return 4;
  return -1;
}

function encodeRune(r: number): Bytes {
  return utf8(String.fromCodePoint(r));
}

function bytesEqual(a: Bytes, b: Bytes): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** strings.Index */
function index(s: Bytes, needle: Bytes): number {
  const n = needle.length;
  if (n === 0) return 0;
  outer: for (let i = 0; i + n <= s.length; i++) {
    for (let k = 0; k < n; k++) if (s[i + k] !== needle[k]) continue outer;
    return i;
  }
  return -1;
}

/** strings.LastIndex */
function lastIndex(s: Bytes, needle: Bytes): number {
  const n = needle.length;
  if (n === 0) return s.length;
  outer: for (let i = s.length - n; i >= 0; i--) {
    for (let k = 0; k < n; k++) if (s[i + k] !== needle[k]) continue outer;
    return i;
  }
  return -1;
}

function hasPrefix(s: Bytes, p: Bytes): boolean {
  return s.length >= p.length && bytesEqual(s.subarray(0, p.length), p);
}

function hasSuffix(s: Bytes, p: Bytes): boolean {
  return s.length >= p.length && bytesEqual(s.subarray(s.length - p.length), p);
}

/** strings.IndexRune */
function indexRune(s: Bytes, r: number): number {
  if (r >= 0 && r < 0x80) return s.indexOf(r);
  if (r === RUNE_ERROR) {
    for (const [i, c] of runesOf(s)) if (c === RUNE_ERROR) return i;
    return -1;
  }
  if (runeLen(r) < 0) return -1;
  return index(s, encodeRune(r));
}

/** util/strings.IndexAnyRunes: the index of the first of the runes, in their order, that s has. */
function indexAnyRunes(s: Bytes, rs: readonly number[]): number {
  for (const r of rs) {
    const i = indexRune(s, r);
    if (i !== -1) return i;
  }
  return -1;
}

/**
 * util/strings.LastIndexAnyRunes: for an ASCII rune its last index; for another rune, the loop of
 * the Go code searches the whole string each time, so its first index.
 */
function lastIndexAnyRunes(s: Bytes, rs: readonly number[]): number {
  for (const r of rs) {
    let i = -1;
    if (r >= 0 && r < 0x80) {
      i = s.lastIndexOf(r);
    } else {
      let sub = s;
      while (sub.length > 0) {
        const j = indexRune(s, r);
        if (j === -1) break;
        i = j;
        sub = sub.subarray(Math.min(i + 1, sub.length));
      }
    }
    if (i !== -1) return i;
  }
  return -1;
}

/** s[from:to] with Go's bounds check. */
function slice(s: Bytes, from: number, to: number = s.length): Bytes {
  if (from < 0 || to > s.length || from > to) throw new GobwasPanic(`runtime error: slice bounds out of range [${from}:${to}] with length ${s.length}`);
  return s.subarray(from, to);
}

// ---------------------------------------------------------------------------------------------
// lexer (syntax/lexer)

const enum T { EOF, Error, Text, Char, Any, Super, Single, Not, Separator, RangeOpen, RangeClose, RangeLo, RangeHi, RangeBetween, TermsOpen, TermsClose }

interface Token {
  readonly type: T;
  readonly raw: string;
}

const TEXT_BREAKERS = [0x3f /* ? */, 0x2a /* * */, 0x5b /* [ */, 0x7b /* { */];
const TERMS_BREAKERS = [...TEXT_BREAKERS, 0x7d /* } */, 0x2c /* , */];

class Lexer {
  private pos = 0;
  private err: string | undefined;
  private readonly tokens: Token[] = [];
  private termsLevel = 0;
  private lastRune = 0;
  private lastRuneSize = 0;
  private hasRune = false;

  constructor(private readonly data: Bytes) {}

  next(): Token {
    for (;;) {
      if (this.err !== undefined) return { type: T.Error, raw: this.err };
      if (this.tokens.length > 0) return this.tokens.shift()!;
      this.fetchItem();
    }
  }

  private peek(): [number, number] {
    if (this.pos === this.data.length) return [EOF, 0];
    const [r, w] = decodeRune(this.data, this.pos);
    if (r === RUNE_ERROR) {
      this.err = 'could not read rune';
      return [EOF, 0];
    }
    return [r, w];
  }

  private read(): number {
    if (this.hasRune) {
      this.hasRune = false;
      this.pos += this.lastRuneSize;
      return this.lastRune;
    }
    const [r, s] = this.peek();
    this.pos += s;
    this.lastRune = r;
    this.lastRuneSize = s;
    return r;
  }

  private unread(): void {
    if (this.hasRune) {
      this.err = 'could not unread rune';
      return;
    }
    this.pos -= this.lastRuneSize;
    this.hasRune = true;
  }

  private push(type: T, raw: string): void {
    this.tokens.push({ type, raw });
  }

  private fetchItem(): void {
    const r = this.read();
    if (r === EOF) {
      this.push(T.EOF, '');
    } else if (r === 0x7b) {
      this.termsLevel++;
      this.push(T.TermsOpen, '{');
    } else if (r === 0x2c && this.termsLevel > 0) {
      this.push(T.Separator, ',');
    } else if (r === 0x7d && this.termsLevel > 0) {
      this.push(T.TermsClose, '}');
      this.termsLevel--;
    } else if (r === 0x5b) {
      this.push(T.RangeOpen, '[');
      this.fetchRange();
    } else if (r === 0x3f) {
      this.push(T.Single, '?');
    } else if (r === 0x2a) {
      if (this.read() === 0x2a) {
        this.push(T.Super, '**');
      } else {
        this.unread();
        this.push(T.Any, '*');
      }
    } else {
      this.unread();
      this.fetchText(this.termsLevel > 0 ? TERMS_BREAKERS : TEXT_BREAKERS);
    }
  }

  private fetchRange(): void {
    let wantHi = false;
    let wantClose = false;
    let seenNot = false;
    for (;;) {
      const r = this.read();
      if (r === EOF) {
        this.err = 'unexpected end of input';
        return;
      }
      if (wantClose) {
        if (r !== 0x5d) this.err = 'expected close range character';
        else this.push(T.RangeClose, ']');
        return;
      }
      if (wantHi) {
        this.push(T.RangeHi, String.fromCodePoint(r));
        wantClose = true;
        continue;
      }
      if (!seenNot && r === 0x21) {
        this.push(T.Not, '!');
        seenNot = true;
        continue;
      }
      const [n, w] = this.peek();
      if (n === 0x2d) {
        this.pos += w;
        this.push(T.RangeLo, String.fromCodePoint(r));
        this.push(T.RangeBetween, '-');
        wantHi = true;
        continue;
      }
      this.unread();
      this.fetchText([0x5d]);
      wantClose = true;
    }
  }

  private fetchText(breakers: readonly number[]): void {
    const data: number[] = [];
    let escaped = false;
    for (;;) {
      const r = this.read();
      if (r === EOF) break;
      if (!escaped) {
        if (r === 0x5c) {
          escaped = true;
          continue;
        }
        if (breakers.includes(r)) {
          this.unread();
          break;
        }
      }
      escaped = false;
      data.push(r);
    }
    if (data.length > 0) this.push(T.Text, String.fromCodePoint(...data));
  }
}

// ---------------------------------------------------------------------------------------------
// parser (syntax/ast)

const enum K { Nothing, Pattern, List, Range, Text, Any, Super, Single, AnyOf }

interface Node {
  parent?: Node;
  readonly children: Node[];
  readonly kind: K;
  /** List: not and chars; Range: not, lo, hi; Text: text */
  readonly value?: { readonly not?: boolean; readonly chars?: string; readonly lo?: number; readonly hi?: number; readonly text?: string };
}

function newNode(kind: K, value: Node['value'], ...children: Node[]): Node {
  const n: Node = { kind, value, children: [] };
  insert(n, ...children);
  return n;
}

function insert(parent: Node, ...children: Node[]): void {
  parent.children.push(...children);
  for (const c of children) c.parent = parent;
}

/** ast.Node.Equal (and reflect.DeepEqual of the compiler's fresh nodes, which comes to the same) */
function nodeEqual(a: Node, b: Node): boolean {
  if (a.kind !== b.kind) return false;
  const va = a.value;
  const vb = b.value;
  if ((va === undefined) !== (vb === undefined)) return false;
  if (va && vb && (va.not !== vb.not || va.chars !== vb.chars || va.lo !== vb.lo || va.hi !== vb.hi || va.text !== vb.text)) return false;
  if (a.children.length !== b.children.length) return false;
  return a.children.every((c, i) => nodeEqual(c, b.children[i]));
}

function tokenString(t: Token): string {
  const names = ['eof', 'error', 'text', 'char', 'any', 'super', 'single', 'not', 'separator', 'range_open', 'range_close', 'range_lo', 'range_hi', 'range_between', 'terms_open', 'terms_close'];
  return `${names[t.type] ?? 'undef'}<${JSON.stringify(t.raw)}>`;
}

function parse(pattern: Bytes): Node {
  const lex = new Lexer(pattern);
  const root = newNode(K.Pattern, undefined);
  let tree = root;
  for (;;) {
    const token = lex.next();
    switch (token.type) {
      case T.EOF:
        return root;
      case T.Error:
        throw new GlobError(token.raw);
      case T.Text:
        insert(tree, newNode(K.Text, { text: token.raw }));
        break;
      case T.Any:
        insert(tree, newNode(K.Any, undefined));
        break;
      case T.Super:
        insert(tree, newNode(K.Super, undefined));
        break;
      case T.Single:
        insert(tree, newNode(K.Single, undefined));
        break;
      case T.RangeOpen:
        parseRange(tree, lex);
        break;
      case T.TermsOpen: {
        const a = newNode(K.AnyOf, undefined);
        insert(tree, a);
        const p = newNode(K.Pattern, undefined);
        insert(a, p);
        tree = p;
        break;
      }
      case T.Separator: {
        const p = newNode(K.Pattern, undefined);
        insert(tree.parent!, p);
        tree = p;
        break;
      }
      case T.TermsClose:
        tree = tree.parent!.parent!;
        break;
      default:
        throw new GlobError(`unexpected token: ${tokenString(token)}`);
    }
  }
}

function parseRange(tree: Node, lex: Lexer): void {
  let not = false;
  let lo = 0;
  let hi = 0;
  let chars = '';
  for (;;) {
    const token = lex.next();
    switch (token.type) {
      case T.EOF:
        throw new GlobError('unexpected end');
      case T.Error:
        throw new GlobError(token.raw);
      case T.Not:
        not = true;
        break;
      case T.RangeLo:
        lo = token.raw.codePointAt(0)!;
        break;
      case T.RangeHi:
        hi = token.raw.codePointAt(0)!;
        if (hi < lo) throw new GlobError(`hi character '${token.raw}' should be greater than lo '${String.fromCodePoint(lo)}'`);
        break;
      case T.Text:
        chars = token.raw;
        break;
      case T.RangeClose: {
        const isRange = lo !== 0 && hi !== 0;
        const isChars = chars !== '';
        if (isChars === isRange) throw new GlobError('could not parse range');
        if (isRange) insert(tree, newNode(K.Range, { lo, hi, not }));
        else insert(tree, newNode(K.List, { chars, not }));
        return;
      }
      default:
        break;
    }
  }
}

/** A pattern gobwas/glob refuses to compile, with its error text. */
export class GlobError extends Error {}

// ---------------------------------------------------------------------------------------------
// matchers (match/)

type Segments = number[];
type IndexResult = [number, Segments];
const NOT_FOUND: IndexResult = [-1, []];

abstract class Matcher {
  abstract match(s: Bytes): boolean;
  abstract index(s: Bytes): IndexResult;
  abstract len(): number;
}

const segmentsByRuneLength = (r: number): Segments => [runeLen(r)];

class Nothing extends Matcher {
  match(s: Bytes) { return s.length === 0; }
  index(): IndexResult { return [0, [0]]; }
  len() { return 0; }
}

class Super extends Matcher {
  match() { return true; }
  index(s: Bytes): IndexResult {
    const seg: Segments = [];
    for (const [i] of runesOf(s)) seg.push(i);
    seg.push(s.length);
    return [0, seg];
  }
  len() { return -1; }
}

class Any extends Matcher {
  constructor(readonly separators: readonly number[]) { super(); }
  match(s: Bytes) { return indexAnyRunes(s, this.separators) === -1; }
  index(s: Bytes): IndexResult {
    const found = indexAnyRunes(s, this.separators);
    if (found === 0) return [0, [0]];
    if (found > 0) s = s.subarray(0, found);
    const seg: Segments = [];
    for (const [i] of runesOf(s)) seg.push(i);
    seg.push(s.length);
    return [0, seg];
  }
  len() { return -1; }
}

class Single extends Matcher {
  constructor(readonly separators: readonly number[]) { super(); }
  match(s: Bytes) {
    const [r, w] = decodeRune(s, 0);
    if (s.length > w) return false;
    return !this.separators.includes(r);
  }
  index(s: Bytes): IndexResult {
    for (const [i, r] of runesOf(s)) if (!this.separators.includes(r)) return [i, segmentsByRuneLength(r)];
    return NOT_FOUND;
  }
  len() { return 1; }
}

class List extends Matcher {
  constructor(readonly list: readonly number[], readonly not: boolean) { super(); }
  match(s: Bytes) {
    const [r, w] = decodeRune(s, 0);
    if (s.length > w) return false;
    return this.list.includes(r) === !this.not;
  }
  index(s: Bytes): IndexResult {
    for (const [i, r] of runesOf(s)) if (this.not === !this.list.includes(r)) return [i, segmentsByRuneLength(r)];
    return NOT_FOUND;
  }
  len() { return 1; }
}

class Range extends Matcher {
  constructor(readonly lo: number, readonly hi: number, readonly not: boolean) { super(); }
  match(s: Bytes) {
    const [r, w] = decodeRune(s, 0);
    if (s.length > w) return false;
    return (r >= this.lo && r <= this.hi) === !this.not;
  }
  index(s: Bytes): IndexResult {
    for (const [i, r] of runesOf(s)) if (this.not !== (r >= this.lo && r <= this.hi)) return [i, segmentsByRuneLength(r)];
    return NOT_FOUND;
  }
  len() { return 1; }
}

class Text extends Matcher {
  readonly runesLength: number;
  constructor(readonly str: Bytes) {
    super();
    let n = 0;
    for (const _ of runesOf(str)) n++;
    this.runesLength = n;
  }
  match(s: Bytes) { return bytesEqual(this.str, s); }
  index(s: Bytes): IndexResult {
    const i = index(s, this.str);
    return i === -1 ? NOT_FOUND : [i, [this.str.length]];
  }
  len() { return this.runesLength; }
}

class Contains extends Matcher {
  constructor(readonly needle: Bytes, readonly not: boolean) { super(); }
  match(s: Bytes) { return (index(s, this.needle) !== -1) !== this.not; }
  index(s: Bytes): IndexResult {
    let offset = 0;
    const idx = index(s, this.needle);
    if (!this.not) {
      if (idx === -1) return NOT_FOUND;
      offset = idx + this.needle.length;
      if (s.length <= offset) return [0, [offset]];
      s = s.subarray(offset);
    } else if (idx !== -1) {
      s = s.subarray(0, idx);
    }
    const seg: Segments = [];
    for (const [i] of runesOf(s)) seg.push(offset + i);
    seg.push(offset + s.length);
    return [0, seg];
  }
  len() { return -1; }
}

class Prefix extends Matcher {
  constructor(readonly prefix: Bytes) { super(); }
  match(s: Bytes) { return hasPrefix(s, this.prefix); }
  index(s: Bytes): IndexResult {
    const idx = index(s, this.prefix);
    if (idx === -1) return NOT_FOUND;
    const length = this.prefix.length;
    const sub = s.length > idx + length ? s.subarray(idx + length) : new Uint8Array(0);
    const seg: Segments = [length];
    for (const [i, r] of runesOf(sub)) seg.push(length + i + runeLen(r));
    return [idx, seg];
  }
  len() { return -1; }
}

class Suffix extends Matcher {
  constructor(readonly suffix: Bytes) { super(); }
  match(s: Bytes) { return hasSuffix(s, this.suffix); }
  index(s: Bytes): IndexResult {
    const idx = index(s, this.suffix);
    return idx === -1 ? NOT_FOUND : [0, [idx + this.suffix.length]];
  }
  len() { return -1; }
}

class PrefixAny extends Matcher {
  constructor(readonly prefix: Bytes, readonly separators: readonly number[]) { super(); }
  match(s: Bytes) {
    if (!hasPrefix(s, this.prefix)) return false;
    return indexAnyRunes(s.subarray(this.prefix.length), this.separators) === -1;
  }
  index(s: Bytes): IndexResult {
    const idx = index(s, this.prefix);
    if (idx === -1) return NOT_FOUND;
    const n = this.prefix.length;
    let sub = s.subarray(idx + n);
    const i = indexAnyRunes(sub, this.separators);
    if (i > -1) sub = sub.subarray(0, i);
    const seg: Segments = [n];
    for (const [k, r] of runesOf(sub)) seg.push(n + k + runeLen(r));
    return [idx, seg];
  }
  len() { return -1; }
}

class SuffixAny extends Matcher {
  constructor(readonly suffix: Bytes, readonly separators: readonly number[]) { super(); }
  match(s: Bytes) {
    if (!hasSuffix(s, this.suffix)) return false;
    return indexAnyRunes(s.subarray(0, s.length - this.suffix.length), this.separators) === -1;
  }
  index(s: Bytes): IndexResult {
    const idx = index(s, this.suffix);
    if (idx === -1) return NOT_FOUND;
    const i = lastIndexAnyRunes(s.subarray(0, idx), this.separators) + 1;
    return [i, [idx + this.suffix.length - i]];
  }
  len() { return -1; }
}

class PrefixSuffix extends Matcher {
  constructor(readonly prefix: Bytes, readonly suffix: Bytes) { super(); }
  match(s: Bytes) { return hasPrefix(s, this.prefix) && hasSuffix(s, this.suffix); }
  index(s: Bytes): IndexResult {
    const prefixIdx = index(s, this.prefix);
    if (prefixIdx === -1) return NOT_FOUND;
    const suffixLen = this.suffix.length;
    if (suffixLen <= 0) return [prefixIdx, [s.length - prefixIdx]];
    if (s.length - prefixIdx <= 0) return NOT_FOUND;
    const seg: Segments = [];
    for (let sub = s.subarray(prefixIdx); ;) {
      const suffixIdx = lastIndex(sub, this.suffix);
      if (suffixIdx === -1) break;
      seg.push(suffixIdx + suffixLen);
      sub = sub.subarray(0, suffixIdx);
    }
    if (seg.length === 0) return NOT_FOUND;
    seg.reverse();
    return [prefixIdx, seg];
  }
  len() { return -1; }
}

class Min extends Matcher {
  constructor(readonly limit: number) { super(); }
  match(s: Bytes) {
    let l = 0;
    for (const _ of runesOf(s)) if (++l >= this.limit) return true;
    return false;
  }
  index(s: Bytes): IndexResult {
    let count = 0;
    if (s.length - this.limit + 1 <= 0) return NOT_FOUND;
    const seg: Segments = [];
    for (const [i, r] of runesOf(s)) if (++count >= this.limit) seg.push(i + runeLen(r));
    return seg.length === 0 ? NOT_FOUND : [0, seg];
  }
  len() { return -1; }
}

class Max extends Matcher {
  constructor(readonly limit: number) { super(); }
  match(s: Bytes) {
    let l = 0;
    for (const _ of runesOf(s)) if (++l > this.limit) return false;
    return true;
  }
  index(s: Bytes): IndexResult {
    const seg: Segments = [0];
    let count = 0;
    for (const [i, r] of runesOf(s)) {
      if (++count > this.limit) break;
      seg.push(i + runeLen(r));
    }
    return [0, seg];
  }
  len() { return -1; }
}

/** match.appendMerge: the sorted union of two sorted lists. */
function appendMerge(target: Segments, sub: Segments): Segments {
  const out: Segments = [];
  let x = 0;
  let y = 0;
  while (x < target.length || y < sub.length) {
    if (x >= target.length) {
      out.push(...sub.slice(y));
      break;
    }
    if (y >= sub.length) {
      out.push(...target.slice(x));
      break;
    }
    if (target[x] === sub[y]) {
      out.push(target[x]);
      x++;
      y++;
    } else if (target[x] < sub[y]) {
      out.push(target[x++]);
    } else {
      out.push(sub[y++]);
    }
  }
  return out;
}

class AnyOf extends Matcher {
  constructor(readonly matchers: Matcher[]) { super(); }
  match(s: Bytes) { return this.matchers.some((m) => m.match(s)); }
  index(s: Bytes): IndexResult {
    let idx = -1;
    let seg: Segments = [];
    for (const m of this.matchers) {
      const [i, sg] = m.index(s);
      if (i === -1) continue;
      if (idx === -1 || i < idx) {
        idx = i;
        seg = [...sg];
        continue;
      }
      if (i > idx) continue;
      seg = appendMerge(seg, sg);
    }
    return idx === -1 ? NOT_FOUND : [idx, seg];
  }
  len() {
    let l = -1;
    for (const m of this.matchers) {
      const ml = m.len();
      if (l === -1) {
        l = ml;
        continue;
      }
      if (ml === -1 || l !== ml) return -1;
    }
    return l;
  }
}

class EveryOf extends Matcher {
  readonly matchers: Matcher[] = [];
  add(m: Matcher) { this.matchers.push(m); }
  match(s: Bytes) { return this.matchers.every((m) => m.match(s)); }
  index(s: Bytes): IndexResult {
    let idx0 = 0;
    let offset = 0;
    let current: Segments = [];
    let sub = s;
    this.matchers.forEach((m, i) => {
      if (current === undefined) return;
      const [idx, seg] = m.index(sub);
      if (idx === -1) {
        current = undefined as any;
        return;
      }
      if (i === 0) {
        current = [...seg];
      } else {
        const next: Segments = [];
        const delta = idx0 - (idx + offset);
        for (const ex of current) for (const n of seg) if (ex + delta === n) next.push(n);
        if (next.length === 0) {
          current = undefined as any;
          return;
        }
        current = next;
      }
      idx0 = idx + offset;
      sub = slice(s, idx0);
      offset += idx;
    });
    return current === undefined ? NOT_FOUND : [idx0, current];
  }
  len() {
    // as written in Go: 0 for no matcher, -1 otherwise
    let l = 0;
    for (const m of this.matchers) {
      const ml = m.len();
      if (l > 0) l += ml;
      else return -1;
    }
    return l;
  }
}

class Row extends Matcher {
  constructor(readonly runesLength: number, readonly matchers: Matcher[]) { super(); }
  private matchAll(s: Bytes): boolean {
    let idx = 0;
    for (const m of this.matchers) {
      const length = m.len();
      let next = 0;
      let i = 0;
      for (const [k] of runesOf(slice(s, idx))) {
        next = k;
        i++;
        if (i === length) break;
      }
      if (i < length || !m.match(slice(s, idx, idx + next + 1))) return false;
      idx += next + 1;
    }
    return true;
  }
  private lenOk(s: Bytes): boolean {
    let i = 0;
    for (const _ of runesOf(s)) if (++i > this.runesLength) return false;
    return this.runesLength === i;
  }
  match(s: Bytes) { return this.lenOk(s) && this.matchAll(s); }
  index(s: Bytes): IndexResult {
    for (const [i] of runesOf(s)) {
      if (s.length - i < this.runesLength) break;
      if (this.matchAll(s.subarray(i))) return [i, [this.runesLength]];
    }
    return NOT_FOUND;
  }
  len() { return this.runesLength; }
}

class BTree extends Matcher {
  readonly valueLength: number;
  readonly leftLength: number;
  readonly rightLength: number;
  readonly length: number;
  constructor(readonly value: Matcher, public left: Matcher | undefined, public right: Matcher | undefined) {
    super();
    let ok = true;
    this.valueLength = value.len();
    if (this.valueLength === -1) ok = false;
    this.leftLength = 0;
    this.rightLength = 0;
    if (left) {
      this.leftLength = left.len();
      if (this.leftLength === -1) ok = false;
    }
    if (right) {
      this.rightLength = right.len();
      if (this.rightLength === -1) ok = false;
    }
    this.length = ok ? this.leftLength + this.valueLength + this.rightLength : -1;
  }
  len() { return this.length; }
  index(): IndexResult { return NOT_FOUND; }
  match(s: Bytes): boolean {
    const inputLen = s.length;
    if (this.length !== -1 && this.length > inputLen) return false;
    let offset = this.leftLength >= 0 ? this.leftLength : 0;
    const limit = this.rightLength >= 0 ? inputLen - this.rightLength : inputLen;
    while (offset < limit) {
      const [idx, segments] = this.value.index(slice(s, offset, limit));
      if (idx === -1) return false;
      const l = slice(s, 0, offset + idx);
      const left = this.left ? this.left.match(l) : l.length === 0;
      if (left) {
        for (let i = segments.length - 1; i >= 0; i--) {
          const length = segments[i];
          const r = inputLen <= offset + idx + length ? new Uint8Array(0) : slice(s, offset + idx + length);
          const right = this.right ? this.right.match(r) : r.length === 0;
          if (right) return true;
        }
      }
      const [, step] = decodeRune(s, offset + idx);
      offset += idx + step;
    }
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// compiler (compiler/compiler.go)

function runesEqual(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((r, i) => r === b[i]);
}

function optimizeMatcher(m: Matcher | undefined): Matcher | undefined {
  if (m instanceof Any) return m.separators.length === 0 ? new Super() : m;
  if (m instanceof AnyOf) return m.matchers.length === 1 ? m.matchers[0] : m;
  if (m instanceof List) return !m.not && m.list.length === 1 ? new Text(encodeRune(m.list[0])) : m;
  if (m instanceof BTree) {
    m.left = optimizeMatcher(m.left);
    m.right = optimizeMatcher(m.right);
    if (!(m.value instanceof Text)) return m;
    const r = m.value;
    const leftNil = m.left === undefined;
    const rightNil = m.right === undefined;
    if (leftNil && rightNil) return new Text(r.str);
    const leftSuper = m.left instanceof Super;
    const rightSuper = m.right instanceof Super;
    if (leftSuper && rightSuper) return new Contains(r.str, false);
    if (leftSuper && rightNil) return new Suffix(r.str);
    if (rightSuper && leftNil) return new Prefix(r.str);
    if (leftNil && m.right instanceof Suffix) return new PrefixSuffix(r.str, m.right.suffix);
    if (rightNil && m.left instanceof Prefix) return new PrefixSuffix(m.left.prefix, r.str);
    if (rightNil && m.left instanceof Any) return new SuffixAny(r.str, m.left.separators);
    if (leftNil && m.right instanceof Any) return new PrefixAny(r.str, m.right.separators);
    return m;
  }
  return m;
}

function compileMatchers(matchers: Matcher[]): Matcher {
  if (matchers.length === 0) throw new GlobError('compile error: need at least one matcher');
  if (matchers.length === 1) return matchers[0];
  const glued = glueMatchers(matchers);
  if (glued) return glued;
  let idx = -1;
  let maxLen = -1;
  let val: Matcher | undefined;
  matchers.forEach((m, i) => {
    const l = m.len();
    if (l !== -1 && l >= maxLen) {
      maxLen = l;
      idx = i;
      val = m;
    }
  });
  if (!val) return new BTree(matchers[0], undefined, compileMatchers(matchers.slice(1)));
  const left = matchers.slice(0, idx);
  const right = matchers.length > idx + 1 ? matchers.slice(idx + 1) : [];
  return new BTree(val, left.length > 0 ? compileMatchers(left) : undefined, right.length > 0 ? compileMatchers(right) : undefined);
}

function glueMatchers(matchers: Matcher[]): Matcher | undefined {
  return glueMatchersAsEvery(matchers) ?? glueMatchersAsRow(matchers);
}

function glueMatchersAsRow(matchers: Matcher[]): Matcher | undefined {
  if (matchers.length <= 1) return undefined;
  let l = 0;
  for (const m of matchers) {
    const ml = m.len();
    if (ml === -1) return undefined;
    l += ml;
  }
  return new Row(l, [...matchers]);
}

function glueMatchersAsEvery(matchers: Matcher[]): Matcher | undefined {
  if (matchers.length <= 1) return undefined;
  let hasAny = false;
  let hasSuper = false;
  let hasSingle = false;
  let min = 0;
  let separator: readonly number[] = [];
  for (let i = 0; i < matchers.length; i++) {
    const m = matchers[i];
    let sep: readonly number[];
    if (m instanceof Super) {
      sep = [];
      hasSuper = true;
    } else if (m instanceof Any) {
      sep = m.separators;
      hasAny = true;
    } else if (m instanceof Single) {
      sep = m.separators;
      hasSingle = true;
      min++;
    } else if (m instanceof List) {
      if (!m.not) return undefined;
      sep = m.list;
      hasSingle = true;
      min++;
    } else {
      return undefined;
    }
    if (i === 0) separator = sep;
    if (!runesEqual(sep, separator)) return undefined;
  }
  if (hasSuper && !hasAny && !hasSingle) return new Super();
  if (hasAny && !hasSuper && !hasSingle) return new Any(separator);
  if ((hasAny || hasSuper) && min > 0 && separator.length === 0) return new Min(min);
  const every = new EveryOf();
  if (min > 0) {
    every.add(new Min(min));
    if (!hasAny && !hasSuper) every.add(new Max(min));
  }
  if (separator.length > 0) every.add(new Contains(utf8(String.fromCodePoint(...separator)), true));
  return every;
}

function minimizeMatchers(matchers: Matcher[]): Matcher[] {
  let done: Matcher | undefined;
  let left = 0;
  let right = 0;
  let count = 0;
  for (let l = 0; l < matchers.length; l++) {
    for (let r = matchers.length; r > l; r--) {
      const glued = glueMatchers(matchers.slice(l, r));
      if (glued) {
        let swap: boolean;
        if (!done) {
          swap = true;
        } else {
          const cl = done.len();
          const gl = glued.len();
          swap = cl > -1 && gl > -1 && gl > cl;
          swap = swap || count < r - l;
        }
        if (swap) {
          done = glued;
          left = l;
          right = r;
          count = r - l;
        }
      }
    }
  }
  if (!done) return matchers;
  const next = [...matchers.slice(0, left), done, ...(right < matchers.length ? matchers.slice(right) : [])];
  if (next.length === matchers.length) return next;
  return minimizeMatchers(next);
}

function minimizeTreeAnyOf(tree: Node): Node | undefined {
  if (!tree.children.every((c) => c.kind === K.Pattern)) return undefined;
  const [commonLeft, commonRight] = commonChildren(tree.children);
  if (commonLeft.length === 0 && commonRight.length === 0) return undefined;
  const result: Node[] = [];
  if (commonLeft.length > 0) result.push(newNode(K.Pattern, undefined, ...commonLeft));
  const anyOf: Node[] = [];
  for (const child of tree.children) {
    const reuse = child.children.slice(commonLeft.length, child.children.length - commonRight.length);
    const node = reuse.length === 0 ? newNode(K.Nothing, undefined) : newNode(K.Pattern, undefined, ...reuse);
    if (!anyOf.some((n) => nodeEqual(n, node))) anyOf.push(node);
  }
  if (anyOf.length === 1 && anyOf[0].kind !== K.Nothing) result.push(anyOf[0]);
  else if (anyOf.length > 1) result.push(newNode(K.AnyOf, undefined, ...anyOf));
  if (commonRight.length > 0) result.push(newNode(K.Pattern, undefined, ...commonRight));
  return newNode(K.Pattern, undefined, ...result);
}

function commonChildren(nodes: Node[]): [Node[], Node[]] {
  const commonLeft: Node[] = [];
  if (nodes.length <= 1) return [[], []];
  let idx = -1;
  let min = -1;
  nodes.forEach((n, i) => {
    if (idx === -1 || n.children.length < min) {
      min = n.children.length;
      idx = i;
    }
  });
  if (idx === -1) return [[], []];
  const tree = nodes[idx];
  const treeLength = tree.children.length;
  const commonRight: (Node | undefined)[] = new Array(treeLength).fill(undefined);
  let lastRight = treeLength;
  let breakLeft = false;
  let breakRight = false;
  let commonTotal = 0;
  for (let i = 0, j = treeLength - 1; commonTotal < treeLength && j >= 0 && !(breakLeft && breakRight); i++, j--) {
    const treeLeft = tree.children[i];
    const treeRight = tree.children[j];
    for (let k = 0; k < nodes.length && !(breakLeft && breakRight); k++) {
      if (k === idx) continue;
      const restLeft = nodes[k].children[i];
      const restRight = nodes[k].children[j + nodes[k].children.length - treeLength];
      breakLeft = breakLeft || !nodeEqual(treeLeft, restLeft);
      breakRight = breakRight || (!breakLeft && j <= i);
      breakRight = breakRight || !nodeEqual(treeRight, restRight);
    }
    if (!breakLeft) {
      commonTotal++;
      commonLeft.push(treeLeft);
    }
    if (!breakRight) {
      commonTotal++;
      lastRight = j;
      commonRight[j] = treeRight;
    }
  }
  return [commonLeft, commonRight.slice(lastRight) as Node[]];
}

function compileTreeChildren(tree: Node, sep: readonly number[]): Matcher[] {
  return tree.children.map((d) => optimizeMatcher(compileTree(d, sep))!);
}

function compileTree(tree: Node, sep: readonly number[]): Matcher {
  let m: Matcher;
  switch (tree.kind) {
    case K.AnyOf: {
      const n = minimizeTreeAnyOf(tree);
      if (n) return compileTree(n, sep);
      return new AnyOf(compileTreeChildren(tree, sep));
    }
    case K.Pattern:
      if (tree.children.length === 0) return new Nothing();
      m = compileMatchers(minimizeMatchers(compileTreeChildren(tree, sep)));
      break;
    case K.Any:
      m = new Any(sep);
      break;
    case K.Super:
      m = new Super();
      break;
    case K.Single:
      m = new Single(sep);
      break;
    case K.Nothing:
      m = new Nothing();
      break;
    case K.List:
      m = new List(Array.from(tree.value!.chars!, (c) => c.codePointAt(0)!), tree.value!.not!);
      break;
    case K.Range:
      m = new Range(tree.value!.lo!, tree.value!.hi!, tree.value!.not!);
      break;
    case K.Text:
      m = new Text(utf8(tree.value!.text!));
      break;
    default:
      throw new GlobError('could not compile tree: unknown node type');
  }
  return optimizeMatcher(m)!;
}

/** A compiled gobwas glob. */
export interface Glob {
  /** Whether the text matches; throws GobwasPanic where the Go matcher panics. */
  match(text: string): boolean;
}

/** gobwas `glob.Compile(pattern, separators...)`; throws GlobError with Go's error text. */
export function compileGlob(pattern: string, separators: string = ''): Glob {
  const seps = Array.from(separators, (c) => c.codePointAt(0)!);
  const m = compileTree(parse(utf8(pattern)), seps);
  return { match: (text: string) => m.match(utf8(text)) };
}

// ---------------------------------------------------------------------------------------------
// patterns whose matcher panics

/** The characters written in a pattern's texts, lists and ranges (a few, for the wildcards to take). */
function literalChars(n: Node, out: Set<string>): Set<string> {
  if (n.kind === K.Text) for (const c of n.value!.text!) out.add(c);
  if (n.kind === K.List) for (const c of n.value!.chars!) out.add(c);
  if (n.kind === K.Range) out.add(String.fromCodePoint(n.value!.lo!)).add(String.fromCodePoint(n.value!.hi!));
  for (const c of n.children) literalChars(c, out);
  return out;
}

function hasEmptyAlternative(n: Node): boolean {
  if (n.kind === K.AnyOf && n.children.some((c) => c.children.length === 0)) return true;
  return n.children.some(hasEmptyAlternative);
}

/** Texts a node of the pattern spells, each wildcard, class and alternative given a few values. */
function spell(n: Node, chars: readonly string[], limit: number): string[] {
  switch (n.kind) {
    case K.Nothing: return [''];
    case K.Text: return [n.value!.text!];
    case K.Any: case K.Super: return ['', ...chars];
    case K.Single: return [...chars];
    case K.List: {
      const list = Array.from(n.value!.chars!);
      return n.value!.not ? chars.filter((c) => !list.includes(c)) : list.slice(0, 3);
    }
    case K.Range: {
      const { lo, hi, not } = n.value!;
      const inRange = (c: string) => c.codePointAt(0)! >= lo! && c.codePointAt(0)! <= hi!;
      return not ? chars.filter((c) => !inRange(c)) : [...new Set([String.fromCodePoint(lo!), String.fromCodePoint(hi!)])];
    }
    case K.AnyOf: return [...new Set(n.children.flatMap((c) => spell(c, chars, limit)))].slice(0, limit);
    default: {
      let texts = [''];
      for (const c of n.children) {
        const next = new Set<string>();
        for (const t of texts) for (const x of spell(c, chars, limit)) if (next.size < limit) next.add(t + x);
        texts = [...next];
      }
      return texts;
    }
  }
}

/**
 * A text on which gobwas's matcher, compiled from `pattern` with `separators`, panics (its Row
 * matcher slices past the end of the text for some patterns with empty alternatives, such as
 * `a{,}`), with the panic's message; undefined when the pattern does not compile or no such text
 * was found. The texts tried are the ones the pattern itself spells (each wildcard, class and
 * alternative given a few values), which reach every matcher of the compiled pattern; the panic is
 * the matcher's own (GobwasPanic), so what is found is what Go does.
 */
export function panicWitness(pattern: string, separators: string = ''): { readonly text: string; readonly panic: string } | undefined {
  let glob: Glob;
  let tree: Node;
  try {
    tree = parse(utf8(pattern));
    glob = compileGlob(pattern, separators);
  } catch (e) {
    if (e instanceof GlobError) return undefined;
    throw e;
  }
  // the matchers panic only past a part of length 0, which only an empty alternative makes
  if (!hasEmptyAlternative(tree)) return undefined;
  // the pattern's own characters (a few), a multi-byte one and the separators
  const chars = [...new Set([...[...literalChars(tree, new Set())].slice(0, 4), 'x', 'é', ...Array.from(separators)])];
  const spelled = spell(tree, chars, 256);
  // what the pattern spells, then with one character more at either end, then the pattern itself
  // (a Row found inside a longer text panics when its part ends the text: the spelled texts' prefixes
  // and suffixes, with a character before them, reach those)
  const parts = spelled.slice(0, 32).flatMap((t) => Array.from(t, (_, i) => [t.slice(0, i), t.slice(i)]).flat());
  const texts = new Set([...spelled, ...spelled.flatMap((t) => chars.flatMap((c) => [t + c, c + t])), pattern,
    ...parts, ...parts.flatMap((t) => chars.map((c) => c + t))]);
  for (const text of texts) {
    try {
      glob.match(text);
    } catch (e) {
      if (e instanceof GobwasPanic) return { text, panic: e.message };
      throw e;
    }
  }
  return undefined;
}
