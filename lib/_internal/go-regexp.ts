// Go's regular expressions, as Argo CD evaluates them: AppProject `sourceNamespaces` entries
// written `/.../`, the SCM provider and pull request generators' filters, and sprig's regex
// functions in Go templates.
//
// JavaScript's RegExp reads another dialect: it rejects valid Go expressions (`(?i)abc`,
// `[[:alpha:]]` means something else, `\pL`, `\z`) and accepts ones Go rejects (lookarounds,
// backreferences), so a check built on it reports mistakes that are none and misses real ones.
// RE2JS is a JavaScript port of RE2, the engine and syntax Go's regexp implements; its parse
// errors are Go's (`error parsing regexp: invalid or unsupported Perl syntax: `(?=``). What this
// file adds is the iteration Go's `FindAll`, `ReplaceAll` and `Split` do over successive matches
// (regexp.go's allMatches and replaceAll), written to match them exactly.
import { RE2JS } from 're2js';

/** One match: positions in UTF-16 code units, and its groups. */
export interface GoMatch {
  /** Start of the whole match. */
  readonly index: number;
  /** End of the whole match. */
  readonly end: number;
  /** The text of the whole match. */
  readonly text: string;
  /** Group `n` (0: the whole match), or undefined when it took no part in the match. */
  group(n: number): string | undefined;
}

/** A compiled Go regular expression. */
export class GoRegexp {
  /**
   * Compiles `expr` with Go's syntax.
   *
   * @throws Error with Go's message, e.g. "error parsing regexp: missing closing ]: `[a`"; every
   * caller wraps it into a message naming the field (the preview's PreviewError, sprig's errors)
   */
  public static compile(expr: string): GoRegexp {
    try {
      return new GoRegexp(expr, RE2JS.compile(expr));
    } catch (e) {
      throw new Error((e as Error).message);
    }
  }

  /** Go's parse error for `expr`, or undefined when Go accepts it. */
  public static problem(expr: string): string | undefined {
    try {
      RE2JS.compile(expr);
      return undefined;
    } catch (e) {
      return (e as Error).message;
    }
  }

  /** Go's `regexp.QuoteMeta`. */
  public static quoteMeta(s: string): string {
    return s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
  }

  private constructor(public readonly expr: string, private readonly re: RE2JS) {}

  /** Go's `MatchString`: whether `s` contains a match. */
  public test(s: string): boolean {
    return this.re.matcher(s).find();
  }

  /** Go's `FindStringSubmatchIndex` from position `from` (0: the start). */
  public find(s: string, from = 0): GoMatch | undefined {
    const m = this.re.matcher(s);
    if (!m.find(from)) return undefined;
    const groups: Array<string | undefined> = [];
    for (let i = 0; i <= m.groupCount(); i++) groups.push(m.group(i) ?? undefined);
    return { index: m.start(), end: m.end(), text: groups[0]!, group: (n) => groups[n] };
  }

  /** The index of the group named `name`, or -1 (Go's `SubexpIndex`). */
  public groupIndex(name: string): number {
    return this.re.namedGroups()[name] ?? -1;
  }

  /** The number of groups (Go's `NumSubexp`). */
  public get groupCount(): number {
    return this.re.groupCount();
  }

  /**
   * Go's `FindAllStringSubmatchIndex(s, n)`: successive non-overlapping matches, at most `n`
   * (all when negative); an empty match right after a previous match is skipped.
   */
  public findAll(s: string, n = -1): GoMatch[] {
    const out: GoMatch[] = [];
    let prevMatchEnd = -1;
    for (let pos = 0; (n < 0 || out.length < n) && pos <= s.length;) {
      const m = this.find(s, pos);
      if (!m) break;
      let accept = true;
      if (m.end === pos) {
        if (m.index === prevMatchEnd) accept = false;
        pos += pos < s.length ? runeWidth(s, pos) : 1;
      } else {
        pos = m.end;
      }
      prevMatchEnd = m.end;
      if (accept) out.push(m);
    }
    return out;
  }

  /**
   * Go's `ReplaceAllString` (`$1`, `${name}` expanded) or, with `literal`, `ReplaceAllLiteralString`.
   */
  public replaceAll(s: string, repl: string, literal = false): string {
    let out = '';
    let lastMatchEnd = 0;
    for (let searchPos = 0; searchPos <= s.length;) {
      const m = this.find(s, searchPos);
      if (!m) break;
      out += s.slice(lastMatchEnd, m.index);
      // no replacement for an empty match right after another match
      if (m.end > lastMatchEnd || m.index === 0) out += literal ? repl : this.expand(repl, m);
      lastMatchEnd = m.end;
      const width = searchPos < s.length ? runeWidth(s, searchPos) : 0;
      if (searchPos + width > m.end) searchPos += width;
      else if (searchPos + 1 > m.end) searchPos++;
      else searchPos = m.end;
    }
    return out + s.slice(lastMatchEnd);
  }

  /** Go's `Split(s, n)`. Null for n = 0 (Go's nil). */
  public split(s: string, n: number): string[] | null {
    if (n === 0) return null;
    if (this.expr.length > 0 && s.length === 0) return [''];
    const out: string[] = [];
    let beg = 0;
    let end = 0;
    for (const m of this.findAll(s)) {
      if (n > 0 && out.length === n - 1) break;
      end = m.index;
      if (m.end !== 0) out.push(s.slice(beg, end));
      beg = m.end;
    }
    if (end !== s.length) out.push(s.slice(beg));
    return out;
  }

  /** Go's `Regexp.Expand`: `$1`, `${1}`, `$name`, `${name}` and `$$` in `template`. */
  public expand(template: string, m: GoMatch): string {
    let out = '';
    for (let i = 0; i < template.length; i++) {
      const c = template[i];
      if (c !== '$') {
        out += c;
        continue;
      }
      const rest = template.slice(i + 1);
      if (rest.startsWith('$')) {
        out += '$';
        i++;
        continue;
      }
      const ref = /^\{([\p{L}\p{N}_]+)\}/u.exec(rest) ?? /^()([\p{L}\p{N}_]+)/u.exec(rest);
      if (!ref) {
        out += '$';
        continue;
      }
      const name = ref[1] || ref[2];
      i += ref[0].length;
      // a number without leading zeros (and below 1e8) is a group number; anything else a name
      const index = /^(0|[1-9]\d{0,7})$/.test(name) ? parseInt(name, 10) : this.groupIndex(name);
      if (index >= 0 && index <= this.groupCount) out += m.group(index) ?? '';
    }
    return out;
  }
}

/** UTF-16 code units of the code point at `pos`. */
function runeWidth(s: string, pos: number): number {
  return s.codePointAt(pos)! > 0xffff ? 2 : 1;
}
