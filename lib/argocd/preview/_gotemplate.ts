// Go text/template, reimplemented for the offline ApplicationSet preview.
//
// Argo CD renders `goTemplate: true` ApplicationSets with Go's text/template plus sprig; the
// preview must produce exactly what Argo CD produces (including `<no value>`, trim markers,
// sorted map ranges, Go's comparison and type errors, and Go's error wording), so this is an own
// implementation of the lexer, parser and executor of text/template (Go 1.24), restricted to what
// can appear in an ApplicationSet (no methods, no channels, no `call`).
// The plain Errors thrown here are Go's execution errors in Go's wording; they never reach a user
// as they are: _render.ts wraps every one into a TemplateError naming the template.
import {
  GoInt64, GoMap, GoValue, TemplateError, byteLength, formatValue, goQuote, goSprint, goSprintf, goSprintln,
  goTypeName, intValue, isInt, isMap, isTrue, sortedKeys,
} from './_go-fmt';
import { ArgType, GoFunc, SPRIG_FUNCS, UNSUPPORTED_SPRIG } from './_sprig';

export { formatGoFloat } from './_go-fmt';

// ---------------------------------------------------------------------------------------------
// Lexer

type TokType =
  | 'text' | 'left' | 'right' | 'space' | 'field' | 'variable' | 'identifier' | 'keyword' | 'bool'
  | 'number' | 'char' | 'charConstant' | 'string' | 'rawString' | 'leftParen' | 'rightParen' | 'pipe'
  | 'declare' | 'assign' | 'dot' | 'nil' | 'comment' | 'eof' | 'error';

interface Token { type: TokType; val: string; pos: number; line: number }

const KEYWORDS = new Set(['block', 'break', 'continue', 'define', 'else', 'end', 'if', 'range', 'template', 'with']);
const SPACE = /[ \t\r\n]/;

function isSpaceCh(c: string | undefined): boolean {
  return c !== undefined && SPACE.test(c);
}

function isAlphaNumeric(c: string | undefined): boolean {
  return c !== undefined && /^[\p{L}\p{Nd}_]$/u.test(c);
}

function lex(input: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  let start = 0;
  let line = 1;
  let startLine = 1;
  let parenDepth = 0;
  const emit = (type: TokType) => {
    tokens.push({ type, val: input.slice(start, pos), pos: start, line: startLine });
    start = pos;
    startLine = line;
  };
  const ignore = () => {
    line += countNewlines(input.slice(start, pos));
    start = pos;
    startLine = line;
  };
  const advance = (n: number) => {
    line += countNewlines(input.slice(pos, pos + n));
    pos += n;
  };
  const error = (msg: string): Token[] => {
    tokens.push({ type: 'error', val: msg, pos: start, line: startLine });
    return tokens;
  };
  const hasLeftTrim = (p: number) => input[p] === '-' && isSpaceCh(input[p + 1]);
  const atRightDelim = (): { delim: boolean; trim: boolean } => {
    if (isSpaceCh(input[pos]) && input[pos + 1] === '-' && input.startsWith('}}', pos + 2)) return { delim: true, trim: true };
    if (input.startsWith('}}', pos)) return { delim: true, trim: false };
    return { delim: false, trim: false };
  };
  const accept = (valid: string): boolean => {
    if (pos < input.length && valid.includes(input[pos])) { pos++; return true; }
    return false;
  };
  const acceptRun = (valid: string): void => { while (accept(valid)) { /* consumed */ } };
  /** text/template/parse scanNumber (reading ASCII only, as every accepted character is). */
  const scanNumber = (): boolean => {
    accept('+-');
    let digits = '0123456789_';
    if (accept('0')) {
      if (accept('xX')) digits = '0123456789abcdefABCDEF_';
      else if (accept('oO')) digits = '01234567_';
      else if (accept('bB')) digits = '01_';
    }
    acceptRun(digits);
    if (accept('.')) acceptRun(digits);
    if (digits.length === 11 && accept('eE')) {
      accept('+-');
      acceptRun('0123456789_');
    }
    if (digits.length === 23 && accept('pP')) {
      accept('+-');
      acceptRun('0123456789_');
    }
    accept('i');
    if (isAlphaNumeric(input[pos])) {
      pos += input.codePointAt(pos)! > 0xffff ? 2 : 1;
      return false;
    }
    return true;
  };
  const atTerminator = () => {
    const c = input[pos];
    if (c === undefined || isSpaceCh(c)) return true;
    if ('.,|:()'.includes(c)) return true;
    return input.startsWith('}}', pos);
  };

  for (;;) {
    // text
    const x = input.indexOf('{{', pos);
    if (x < 0) {
      advance(input.length - pos);
      if (pos > start) emit('text');
      tokens.push({ type: 'eof', val: '', pos, line });
      return tokens;
    }
    let textEnd = x;
    if (hasLeftTrim(x + 2)) {
      while (textEnd > start && isSpaceCh(input[textEnd - 1])) textEnd--;
    }
    advance(textEnd - pos);
    if (pos > start) emit('text');
    advance(x - pos);
    ignore();
    // left delimiter
    advance(2);
    const trimLeft = hasLeftTrim(pos);
    const afterMarker = trimLeft ? 2 : 0;
    if (input.startsWith('/*', pos + afterMarker)) {
      advance(afterMarker);
      ignore();
      const end = input.indexOf('*/', pos + 2);
      if (end < 0) return error('unclosed comment');
      advance(end + 2 - pos);
      const rd = atRightDelim();
      if (!rd.delim) return error('comment ends before closing delimiter');
      advance(rd.trim ? 4 : 2);
      if (rd.trim) {
        while (isSpaceCh(input[pos])) advance(1);
      }
      ignore();
      continue;
    }
    emit('left');
    if (trimLeft) {
      advance(2);
      ignore();
    }
    // inside action
    let closed = false;
    while (!closed) {
      const rd = atRightDelim();
      if (rd.delim) {
        if (parenDepth !== 0) return error('unclosed left paren');
        if (rd.trim) {
          advance(2);
          ignore();
        }
        advance(2);
        emit('right');
        if (rd.trim) {
          while (isSpaceCh(input[pos])) advance(1);
          ignore();
        }
        closed = true;
        break;
      }
      const r = input[pos];
      if (r === undefined) return error('unclosed action');
      if (isSpaceCh(r)) {
        let n = 0;
        while (isSpaceCh(input[pos])) { advance(1); n++; }
        if (input[pos] === '-' && input.startsWith('}}', pos + 1)) {
          pos--; // before the space of a trim marker
          if (input[pos] === '\n') line--;
          if (n === 1) { start = pos; continue; }
        }
        emit('space');
        continue;
      }
      advance(1);
      switch (true) {
        case r === '=': emit('assign'); break;
        case r === ':':
          if (input[pos] !== '=') return error('expected :=');
          advance(1);
          emit('declare');
          break;
        case r === '|': emit('pipe'); break;
        case r === '"': {
          for (;;) {
            const c = input[pos];
            if (c === '\\') {
              const n = input[pos + 1];
              if (n !== undefined && n !== '\n') { advance(2); continue; }
              return error('unterminated quoted string');
            }
            if (c === undefined || c === '\n') return error('unterminated quoted string');
            advance(1);
            if (c === '"') break;
          }
          emit('string');
          break;
        }
        case r === '`': {
          const end = input.indexOf('`', pos);
          if (end < 0) return error('unterminated raw quoted string');
          advance(end + 1 - pos);
          emit('rawString');
          break;
        }
        case r === '\'': {
          for (;;) {
            const c = input[pos];
            if (c === '\\') { advance(2); continue; }
            if (c === undefined || c === '\n') return error('unterminated character constant');
            advance(1);
            if (c === '\'') break;
          }
          emit('charConstant');
          break;
        }
        case r === '$' || (r === '.' && pos < input.length && !(input[pos] >= '0' && input[pos] <= '9')): {
          if (atTerminator()) {
            emit(r === '$' ? 'variable' : 'dot');
            break;
          }
          while (isAlphaNumeric(input[pos])) advance(1);
          if (!atTerminator()) return error(`bad character ${goRuneName(input[pos])}`);
          emit(r === '$' ? 'variable' : 'field');
          break;
        }
        case r === '.' || r === '+' || r === '-' || (r >= '0' && r <= '9'): {
          // text/template/parse lexNumber and scanNumber, step by step: the scan is permissive
          // (`1e`, `-` and `0x` are numbers to the lexer; the parser refuses them), and a sign right
          // after a number continues it as a complex number that must end in `i`
          pos--;
          if (!scanNumber()) return error(`bad number syntax: ${goQuote(input.slice(start, pos))}`);
          if (input[pos] === '+' || input[pos] === '-') {
            if (!scanNumber() || input[pos - 1] !== 'i') return error(`bad number syntax: ${goQuote(input.slice(start, pos))}`);
          }
          emit('number');
          break;
        }
        case isAlphaNumeric(r): {
          while (isAlphaNumeric(input[pos])) advance(1);
          const word = input.slice(start, pos);
          if (!atTerminator()) return error(`bad character ${goRuneName(input[pos])}`);
          if (KEYWORDS.has(word)) emit('keyword');
          else if (word === 'nil') emit('nil');
          else if (word === 'true' || word === 'false') emit('bool');
          else emit('identifier');
          break;
        }
        case r === '(': emit('leftParen'); parenDepth++; break;
        case r === ')':
          emit('rightParen');
          parenDepth--;
          if (parenDepth < 0) return error('unexpected right paren');
          break;
        case r.charCodeAt(0) < 0x7f && r.charCodeAt(0) >= 0x20: emit('char'); break;
        default: return error(`unrecognized character in action: ${goRuneName(r)}`);
      }
    }
  }
}

function countNewlines(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === 10) n++;
  return n;
}

function goRuneName(c: string | undefined): string {
  if (c === undefined) return 'U+FFFFFFFF';
  const cp = c.codePointAt(0)!;
  const hex = cp.toString(16).toUpperCase().padStart(4, '0');
  return cp >= 0x20 && cp !== 0x7f ? `U+${hex} '${c}'` : `U+${hex}`;
}

// ---------------------------------------------------------------------------------------------
// Parse tree

interface FieldNode { kind: 'field'; pos: number; ident: string[] }
interface VariableNode { kind: 'variable'; pos: number; ident: string[] }
interface ChainNode { kind: 'chain'; pos: number; node: ArgNode; field: string[] }
interface IdentifierNode { kind: 'identifier'; pos: number; name: string }
interface DotNode { kind: 'dot'; pos: number }
interface NilNode { kind: 'nil'; pos: number }
interface BoolNode { kind: 'bool'; pos: number; val: boolean }
interface NumberNode {
  kind: 'number'; pos: number; text: string;
  isInt: boolean; isFloat: boolean; int: bigint; float: number;
}
interface StringNode { kind: 'string'; pos: number; quoted: string; text: string }
interface PipeNode { kind: 'pipe'; pos: number; line: number; isAssign: boolean; decl: VariableNode[]; cmds: CommandNode[] }
interface CommandNode { kind: 'command'; pos: number; args: ArgNode[] }
type ArgNode = FieldNode | VariableNode | ChainNode | IdentifierNode | DotNode | NilNode | BoolNode | NumberNode | StringNode | PipeNode;

interface TextNode { kind: 'text'; pos: number; text: string }
interface ActionNode { kind: 'action'; pos: number; pipe: PipeNode }
interface BranchNode { kind: 'if' | 'with' | 'range'; pos: number; pipe: PipeNode; list: ListNode; elseList?: ListNode }
interface TemplateNode { kind: 'template'; pos: number; name: string; pipe?: PipeNode }
interface LoopControlNode { kind: 'break' | 'continue'; pos: number }
type ListNode = TreeNode[];
type TreeNode = TextNode | ActionNode | BranchNode | TemplateNode | LoopControlNode;

function nodeString(n: ArgNode | CommandNode | ActionNode | BranchNode | TemplateNode | LoopControlNode | TextNode): string {
  switch (n.kind) {
    case 'field': return '.' + n.ident.join('.');
    case 'variable': return n.ident.join('.');
    case 'chain': return (n.node.kind === 'pipe' ? `(${nodeString(n.node)})` : nodeString(n.node)) + n.field.map((f) => '.' + f).join('');
    case 'identifier': return n.name;
    case 'dot': return '.';
    case 'nil': return 'nil';
    case 'bool': return n.val ? 'true' : 'false';
    case 'number': return n.text;
    case 'string': return n.quoted;
    case 'pipe': {
      let s = '';
      if (n.decl.length > 0) s = n.decl.map(nodeString).join(', ') + (n.isAssign ? ' = ' : ' := ');
      return s + n.cmds.map(nodeString).join(' | ');
    }
    case 'command': return n.args.map((a) => (a.kind === 'pipe' ? `(${nodeString(a)})` : nodeString(a))).join(' ');
    case 'action': return `{{${nodeString(n.pipe)}}}`;
    case 'if': case 'with': case 'range': return `{{${n.kind} ${nodeString(n.pipe)}}}`;
    case 'template': return n.pipe ? `{{template ${goQuote(n.name)} ${nodeString(n.pipe)}}}` : `{{template ${goQuote(n.name)}}}`;
    case 'break': case 'continue': return `{{${n.kind}}}`;
    case 'text': return n.text;
  }
}

/**
 * The name Argo CD gives every template it parses (`template.New("base")` in
 * applicationset/utils/utils.go): Go's errors carry it, `template: base:1:3: executing "base" at ...`.
 */
const PARSE_NAME = 'base';

/** A parsed template: the main tree and the templates it defines. */
export interface ParsedTemplate {
  readonly text: string;
  readonly root: ListNode;
  readonly defines: Map<string, ListNode>;
}

/** Names the parser accepts as functions: sprig (minus Argo CD's removals), Argo CD's and Go's builtins. */
function hasFunction(name: string): boolean {
  return Object.hasOwn(SPRIG_FUNCS, name) || UNSUPPORTED_SPRIG.has(name) || Object.hasOwn(BUILTINS, name);
}

class Parser {
  private i = 0;
  private vars: string[] = ['$'];
  private rangeDepth = 0;
  private actionLine = 0;
  readonly defines = new Map<string, ListNode>();

  constructor(private readonly tokens: Token[]) {}

  private errorAt(line: number, msg: string): never {
    throw new TemplateError(`template: ${PARSE_NAME}:${line}: ${msg}`);
  }
  private error(msg: string): never {
    const t = this.tokens[Math.max(0, Math.min(this.i - 1, this.tokens.length - 1))];
    return this.errorAt(t.line, msg);
  }
  private next(): Token { return this.tokens[this.i++] ?? this.tokens[this.tokens.length - 1]; }
  private backup(n = 1) { this.i -= n; }
  private peek(): Token { return this.tokens[this.i] ?? this.tokens[this.tokens.length - 1]; }
  private nextNonSpace(): Token {
    let t = this.next();
    while (t.type === 'space') t = this.next();
    return t;
  }
  private peekNonSpace(): Token {
    const t = this.nextNonSpace();
    this.backup();
    return t;
  }
  private tokenString(t: Token): string {
    switch (t.type) {
      case 'eof': return 'EOF';
      case 'error': return t.val;
      case 'keyword': return `<${t.val}>`;
      default: return t.val.length > 10 ? `${goQuote(t.val).slice(0, 11)}...` : goQuote(t.val);
    }
  }
  private unexpected(t: Token, context: string): never {
    if (t.type === 'error') {
      let extra = '';
      if (this.actionLine !== 0 && this.actionLine !== t.line) {
        extra = ` in ${context}`;
        if (t.val.endsWith(' action')) extra = extra.slice(' in action'.length);
      }
      this.errorAt(t.line, `${t.val}${extra}`);
    }
    this.errorAt(t.line, `unexpected ${this.tokenString(t)} in ${context}`);
  }
  private expect(type: TokType, context: string): Token {
    const t = this.nextNonSpace();
    if (t.type !== type) this.unexpected(t, context);
    return t;
  }

  parse(): ListNode {
    const root: ListNode = [];
    while (this.peek().type !== 'eof') {
      if (this.peek().type === 'left') {
        const save = this.i;
        this.next();
        const t = this.nextNonSpace();
        if (t.type === 'keyword' && t.val === 'define') {
          this.parseDefinition();
          continue;
        }
        this.i = save;
      }
      const n = this.textOrAction();
      if (n.kind === 'end' || n.kind === 'else') this.errorAt(n.line, `unexpected {{${n.kind}}}`);
      root.push(n as TreeNode);
    }
    return root;
  }

  private parseDefinition() {
    const nameTok = this.nextNonSpace();
    if (nameTok.type !== 'string' && nameTok.type !== 'rawString') this.unexpected(nameTok, 'define clause');
    const name = unquote(nameTok.val);
    this.expect('right', 'define clause');
    const saved = this.vars;
    this.vars = ['$'];
    const [list, end] = this.itemList();
    if (end.kind !== 'end') this.errorAt(end.line, `unexpected {{else}} in define clause`);
    this.vars = saved;
    this.defines.set(name, list);
  }

  private textOrAction(): TreeNode | { kind: 'end' | 'else'; pos: number; line: number; elseIf?: 'if' | 'with' } {
    const t = this.nextNonSpace();
    switch (t.type) {
      case 'text': return { kind: 'text', pos: t.pos, text: t.val };
      case 'left':
        this.actionLine = t.line;
        try {
          return this.action();
        } finally {
          this.actionLine = 0;
        }
      case 'error': return this.unexpected(t, 'input');
      default: return this.unexpected(t, 'input');
    }
  }

  private itemList(): [ListNode, { kind: 'end' | 'else'; pos: number; line: number; elseIf?: 'if' | 'with' }] {
    const list: ListNode = [];
    while (this.peekNonSpace().type !== 'eof') {
      const n = this.textOrAction();
      if (n.kind === 'end' || n.kind === 'else') return [list, n as any];
      list.push(n as TreeNode);
    }
    return this.error('unexpected EOF');
  }

  private action(): TreeNode | { kind: 'end' | 'else'; pos: number; line: number; elseIf?: 'if' | 'with' } {
    const t = this.nextNonSpace();
    if (t.type === 'keyword') {
      switch (t.val) {
        case 'block': return this.blockControl(t);
        case 'break': case 'continue': {
          if (this.rangeDepth === 0) this.errorAt(t.line, `{{${t.val}}} outside {{range}}`);
          const r = this.nextNonSpace();
          if (r.type !== 'right') this.unexpected(r, `{{${t.val}}}`);
          return { kind: t.val, pos: t.pos };
        }
        case 'else': {
          const p = this.peekNonSpace();
          if (p.type === 'keyword' && (p.val === 'if' || p.val === 'with')) {
            return { kind: 'else', pos: p.pos, line: p.line, elseIf: p.val };
          }
          const r = this.expect('right', 'else');
          return { kind: 'else', pos: r.pos, line: r.line };
        }
        case 'end': {
          const r = this.expect('right', 'end');
          return { kind: 'end', pos: r.pos, line: r.line };
        }
        case 'if': return this.control('if', t);
        case 'range': return this.control('range', t);
        case 'with': return this.control('with', t);
        case 'template': return this.templateControl(t);
        case 'define': return this.errorAt(t.line, 'unexpected <define> in command');
      }
    }
    this.backup();
    const p = this.peekNonSpace();
    return { kind: 'action', pos: p.pos, pipe: this.pipeline('command', 'right') };
  }

  private control(kind: 'if' | 'with' | 'range', t: Token): BranchNode {
    const mark = this.vars.length;
    try {
      const pipe = this.pipeline(kind, 'right');
      if (kind === 'range') this.rangeDepth++;
      let [list, next] = this.itemList();
      if (kind === 'range') this.rangeDepth--;
      let elseList: ListNode | undefined;
      if (next.kind === 'else') {
        if (next.elseIf && kind !== 'range' && next.elseIf === kind) {
          // {{else if ...}} / {{else with ...}}: a nested control that consumes the {{end}}.
          const kw = this.nextNonSpace();
          elseList = [this.control(kind, kw)];
        } else {
          if (next.elseIf) {
            this.expect('right', 'else');
          }
          [elseList, next] = this.itemList();
          if (next.kind !== 'end') this.errorAt(next.line, `expected end; found {{else}}`);
        }
      }
      return { kind, pos: t.pos, pipe, list, elseList };
    } finally {
      this.vars.length = mark;
    }
  }

  private templateControl(t: Token): TemplateNode {
    const nameTok = this.nextNonSpace();
    if (nameTok.type !== 'string' && nameTok.type !== 'rawString') this.unexpected(nameTok, 'template clause');
    const name = unquote(nameTok.val);
    let pipe: PipeNode | undefined;
    if (this.nextNonSpace().type !== 'right') {
      this.backup();
      pipe = this.pipeline('template clause', 'right');
    }
    return { kind: 'template', pos: t.pos, name, pipe };
  }

  private blockControl(t: Token): TemplateNode {
    const nameTok = this.nextNonSpace();
    if (nameTok.type !== 'string' && nameTok.type !== 'rawString') this.unexpected(nameTok, 'block clause');
    const name = unquote(nameTok.val);
    let pipe: PipeNode | undefined;
    if (this.nextNonSpace().type !== 'right') {
      this.backup();
      pipe = this.pipeline('block clause', 'right');
    }
    const saved = this.vars;
    this.vars = ['$'];
    const [list, end] = this.itemList();
    if (end.kind !== 'end') this.errorAt(end.line, 'unexpected {{else}} in block clause');
    this.vars = saved;
    this.defines.set(name, list);
    return { kind: 'template', pos: t.pos, name, pipe };
  }

  private pipeline(context: string, end: 'right' | 'rightParen'): PipeNode {
    const first = this.peekNonSpace();
    const pipe: PipeNode = { kind: 'pipe', pos: first.pos, line: first.line, isAssign: false, decl: [], cmds: [] };
    const v = this.peekNonSpace();
    if (v.type === 'variable') {
      this.nextNonSpace();
      const afterVar = this.peek();
      const nxt = this.peekNonSpace();
      if (nxt.type === 'assign' || nxt.type === 'declare') {
        pipe.isAssign = nxt.type === 'assign';
        this.nextNonSpace();
        pipe.decl.push({ kind: 'variable', pos: v.pos, ident: [v.val] });
        this.vars.push(v.val);
      } else if (nxt.type === 'char' && nxt.val === ',') {
        this.nextNonSpace();
        pipe.decl.push({ kind: 'variable', pos: v.pos, ident: [v.val] });
        this.vars.push(v.val);
        if (context === 'range') {
          const v2 = this.peekNonSpace();
          if (v2.type === 'variable') {
            this.nextNonSpace();
            const op = this.nextNonSpace();
            if (op.type !== 'assign' && op.type !== 'declare') this.errorAt(op.line, 'range can only initialize variables');
            pipe.isAssign = op.type === 'assign';
            pipe.decl.push({ kind: 'variable', pos: v2.pos, ident: [v2.val] });
            this.vars.push(v2.val);
          } else {
            this.errorAt(v2.line, 'range can only initialize variables');
          }
        } else {
          this.errorAt(nxt.line, `too many declarations in ${context}`);
        }
      } else if (afterVar.type === 'space') {
        this.backup(2);
      } else {
        this.backup();
      }
    }
    for (;;) {
      const t = this.nextNonSpace();
      if (t.type === end) {
        if (pipe.cmds.length === 0) this.errorAt(t.line, `missing value for ${context}`);
        for (let i = 1; i < pipe.cmds.length; i++) {
          const a = pipe.cmds[i].args[0];
          if (['bool', 'dot', 'nil', 'number', 'string'].includes(a.kind)) {
            this.errorAt(t.line, `non executable command in pipeline stage ${i + 1}`);
          }
        }
        return pipe;
      }
      switch (t.type) {
        case 'bool': case 'charConstant': case 'dot': case 'field': case 'identifier': case 'number': case 'nil':
        case 'rawString': case 'string': case 'variable': case 'leftParen':
          this.backup();
          pipe.cmds.push(this.command());
          break;
        default:
          this.unexpected(t, context);
      }
    }
  }

  private command(): CommandNode {
    const cmd: CommandNode = { kind: 'command', pos: this.peekNonSpace().pos, args: [] };
    for (;;) {
      this.peekNonSpace();
      const operand = this.operand();
      if (operand) cmd.args.push(operand);
      const t = this.next();
      if (t.type === 'space') continue;
      if (t.type === 'right' || t.type === 'rightParen') this.backup();
      else if (t.type !== 'pipe') this.unexpected(t, 'operand');
      break;
    }
    if (cmd.args.length === 0) this.error('empty command');
    return cmd;
  }

  private operand(): ArgNode | undefined {
    let node = this.term();
    if (!node) return undefined;
    if (this.peek().type === 'field') {
      const chainPos = this.peek().pos;
      const fields: string[] = [];
      while (this.peek().type === 'field') fields.push(this.next().val.slice(1));
      switch (node.kind) {
        case 'field': node = { kind: 'field', pos: chainPos, ident: [...node.ident, ...fields] }; break;
        case 'variable': node = { kind: 'variable', pos: chainPos, ident: [...node.ident, ...fields] }; break;
        case 'bool': case 'string': case 'number': case 'nil': case 'dot':
          this.error(`unexpected . after term ${goQuote(nodeString(node))}`);
          break;
        default: node = { kind: 'chain', pos: chainPos, node, field: fields };
      }
    }
    return node;
  }

  private term(): ArgNode | undefined {
    const t = this.nextNonSpace();
    switch (t.type) {
      case 'identifier':
        if (!hasFunction(t.val)) this.errorAt(t.line, `function ${goQuote(t.val)} not defined`);
        return { kind: 'identifier', pos: t.pos, name: t.val };
      case 'dot': return { kind: 'dot', pos: t.pos };
      case 'nil': return { kind: 'nil', pos: t.pos };
      case 'variable': {
        if (!this.vars.includes(t.val)) this.errorAt(t.line, `undefined variable ${goQuote(t.val)}`);
        return { kind: 'variable', pos: t.pos, ident: [t.val] };
      }
      case 'field': return { kind: 'field', pos: t.pos, ident: [t.val.slice(1)] };
      case 'bool': return { kind: 'bool', pos: t.pos, val: t.val === 'true' };
      case 'charConstant': case 'number': return parseNumber(t, (m) => this.errorAt(t.line, m));
      case 'leftParen': return this.pipeline('parenthesized pipeline', 'rightParen');
      case 'string': case 'rawString': {
        let text: string;
        try {
          text = unquote(t.val);
        } catch {
          return this.errorAt(t.line, `invalid syntax`);
        }
        return { kind: 'string', pos: t.pos, quoted: t.val, text };
      }
    }
    this.backup();
    return undefined;
  }
}

function unquote(q: string): string {
  if (q.startsWith('`')) return q.slice(1, -1);
  const body = q.slice(1, -1);
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\') { out += c; continue; }
    const n = body[++i];
    switch (n) {
      case 'a': out += '\x07'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'v': out += '\v'; break;
      case '\\': out += '\\'; break;
      case '"': out += '"'; break;
      case '\'': out += '\''; break;
      case 'x': out += String.fromCharCode(parseInt(body.slice(i + 1, i + 3), 16)); i += 2; break;
      case 'u': out += String.fromCodePoint(parseInt(body.slice(i + 1, i + 5), 16)); i += 4; break;
      case 'U': out += String.fromCodePoint(parseInt(body.slice(i + 1, i + 9), 16)); i += 8; break;
      default:
        if (n >= '0' && n <= '7') { out += String.fromCharCode(parseInt(body.slice(i, i + 3), 8)); i += 2; break; }
        throw new Error('invalid syntax');
    }
  }
  return out;
}

function parseNumber(t: Token, fail: (m: string) => never): NumberNode {
  const text = t.val;
  const node: NumberNode = { kind: 'number', pos: t.pos, text, isInt: false, isFloat: false, int: 0n, float: 0 };
  if (t.type === 'charConstant') {
    let s: string;
    try {
      s = unquote('"' + text.slice(1, -1).replace(/"/g, '\\"') + '"');
    } catch {
      return fail(`malformed character constant: ${text}`);
    }
    const cp = s.codePointAt(0) ?? 0;
    node.isInt = true; node.isFloat = true; node.int = BigInt(cp); node.float = cp;
    return node;
  }
  if (text.endsWith('i')) return fail(`complex numbers are not supported by the offline preview: ${text}`);
  const clean = text.replace(/_/g, '');
  const intMatch = /^([+-]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(clean);
  if (intMatch) {
    let digits = intMatch[2];
    let v: bigint;
    if (/^0[0-7]+$/.test(digits)) v = BigInt('0o' + digits.slice(1));
    else { if (/^0[oO]/.test(digits)) digits = '0o' + digits.slice(2); v = BigInt(digits); }
    if (intMatch[1] === '-') v = -v;
    if (v >= -(2n ** 63n) && v < 2n ** 63n) { node.isInt = true; node.int = v; }
    node.isFloat = true; node.float = Number(v);
    return node;
  }
  const f = Number(clean);
  if (clean === '' || Number.isNaN(f) || /^[+-]?0[xX]/.test(clean)) return fail(`illegal number syntax: ${goQuote(text)}`);
  node.isFloat = true;
  node.float = f;
  if (Number.isInteger(f) && Math.abs(f) < 2 ** 63) { node.isInt = true; node.int = BigInt(f); }
  return node;
}

/** Parses a Go template (Go's parse errors, e.g. `template: base:1: function "foo" not defined`). */
export function parseGoTemplate(text: string): ParsedTemplate {
  const parser = new Parser(lex(text));
  const root = parser.parse();
  return { text, root, defines: parser.defines };
}

// ---------------------------------------------------------------------------------------------
// Execution

/** Options of a Go template execution (Argo CD's `goTemplateOptions`). */
export interface GoTemplateOptions {
  /** `missingkey=...` from goTemplateOptions: `default`/`invalid`, `zero` or `error`. */
  readonly missingKey?: 'default' | 'zero' | 'error';
}

/** Parses Argo CD's goTemplateOptions (text/template's Option) into GoTemplateOptions. */
export function parseGoTemplateOptions(options: readonly string[]): GoTemplateOptions {
  let missingKey: GoTemplateOptions['missingKey'] = 'default';
  for (const opt of options) {
    const eq = opt.indexOf('=');
    if (eq >= 0 && opt.slice(0, eq) === 'missingkey') {
      const v = opt.slice(eq + 1);
      if (v === 'invalid' || v === 'default') { missingKey = 'default'; continue; }
      if (v === 'zero') { missingKey = 'zero'; continue; }
      if (v === 'error') { missingKey = 'error'; continue; }
    }
    throw new TemplateError(`unrecognized option: ${opt}`);
  }
  return { missingKey };
}

const MISSING: unique symbol = Symbol('missing');
type Final = GoValue | typeof MISSING;

/** A value with its static type being interface{} (a map or slice element). */
interface Ref { v: GoValue; iface: boolean }

class BreakSignal { }
class ContinueSignal { }

interface Var { name: string; v: GoValue; iface: boolean }

class ExecState {
  out = '';
  vars: Var[] = [];
  node: { pos: number; str: string } | undefined;
  depth = 0;

  constructor(
    readonly tmpl: ParsedTemplate,
    readonly name: string,
    readonly missingKey: 'default' | 'zero' | 'error',
  ) {}

  at(node: ArgNode | CommandNode | TreeNode): void {
    this.node = { pos: node.pos, str: nodeString(node) };
  }

  errorf(msg: string): never {
    if (!this.node) throw new TemplateError(`template: ${this.name}: ${msg}`);
    const before = this.tmpl.text.slice(0, this.node.pos);
    const nl = before.lastIndexOf('\n');
    const line = 1 + countNewlines(before);
    const col = nl < 0 ? byteLength(before) : byteLength(before.slice(nl + 1));
    // the node's whole text: Go's text/template (Go 1.26, which Argo CD v3.5.1 is built with) no
    // longer shortens it to 20 characters (parse.Tree.ErrorContext)
    const ctx = this.node.str;
    throw new TemplateError(`template: ${PARSE_NAME}:${line}:${col}: executing ${goQuote(this.name)} at <${ctx}>: ${msg}`);
  }

  mark(): number { return this.vars.length; }
  pop(mark: number) { this.vars.length = mark; }
  push(name: string, v: GoValue, iface = false) { this.vars.push({ name, v, iface }); }
  setVar(name: string, v: GoValue, iface = false) {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i].name === name) { this.vars[i] = { name, v, iface }; return; }
    }
    this.errorf(`undefined variable: ${name}`);
  }
  setTopVar(n: number, v: GoValue, iface: boolean) {
    const e = this.vars[this.vars.length - n];
    this.vars[this.vars.length - n] = { name: e.name, v, iface };
  }
  varValue(name: string): Var {
    for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i].name === name) return this.vars[i];
    return this.errorf(`undefined variable: ${name}`);
  }

  walk(dot: Ref, list: ListNode): void {
    for (const node of list) this.walkNode(dot, node);
  }

  walkNode(dot: Ref, node: TreeNode): void {
    switch (node.kind) {
      case 'text': this.out += node.text; return;
      case 'action': {
        const v = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) {
          this.at(node);
          this.out += formatValue(v);
        }
        return;
      }
      case 'if': case 'with': {
        const mark = this.mark();
        const v = this.evalPipeline(dot, node.pipe);
        if (isTrue(v)) this.walk(node.kind === 'with' ? { v, iface: false } : dot, node.list);
        else if (node.elseList) this.walk(dot, node.elseList);
        this.pop(mark);
        return;
      }
      case 'range': return this.walkRange(dot, node);
      case 'break': throw new BreakSignal();
      case 'continue': throw new ContinueSignal();
      case 'template': {
        this.at(node);
        const t = this.tmpl.defines.get(node.name);
        if (!t) this.errorf(`template ${goQuote(node.name)} not defined`);
        if (this.depth >= 100000) this.errorf('exceeded maximum template depth (100000)');
        const v = node.pipe ? this.evalPipeline(dot, node.pipe) : undefined;
        const sub = new ExecState(this.tmpl, node.name, this.missingKey);
        sub.depth = this.depth + 1;
        sub.push('$', v);
        sub.walk({ v, iface: false }, t);
        this.out += sub.out;
        return;
      }
    }
  }

  walkRange(dot: Ref, r: BranchNode): void {
    this.at(r);
    const outerMark = this.mark();
    try {
      const val = this.evalPipeline(dot, r.pipe);
      const mark = this.mark();
      const decl = r.pipe.decl;
      const one = (index: GoValue, elem: GoValue, iface: boolean): boolean => {
        if (decl.length > 0) {
          if (r.pipe.isAssign) {
            if (decl.length > 1) this.setVar(decl[0].ident[0], index);
            else this.setVar(decl[0].ident[0], elem, iface);
          } else {
            this.setTopVar(1, elem, iface);
          }
        }
        if (decl.length > 1) {
          if (r.pipe.isAssign) this.setVar(decl[1].ident[0], elem, iface);
          else this.setTopVar(2, index, false);
        }
        try {
          this.walk({ v: elem, iface }, r.list);
        } catch (e) {
          if (e instanceof ContinueSignal) return true;
          if (e instanceof BreakSignal) return false;
          throw e;
        } finally {
          this.pop(mark);
        }
        return true;
      };
      if (Array.isArray(val)) {
        if (val.length > 0) {
          const iface = goTypeName(val) === '[]interface {}';
          for (let i = 0; i < val.length; i++) if (!one(BigInt(i), val[i], iface)) break;
          return;
        }
      } else if (isMap(val)) {
        const keys = sortedKeys(val);
        if (keys.length > 0) {
          const iface = goTypeName(val) === 'map[string]interface {}';
          for (const k of keys) if (!one(k, val[k], iface)) break;
          return;
        }
      } else if (isInt(val)) {
        if (decl.length > 1) this.errorf(`can't use ${formatValue(val)} to iterate over more than one variable`);
        const n = intValue(val);
        if (n > 0n) {
          for (let i = 0n; i < n; i++) {
            const iv = val instanceof GoInt64 ? new GoInt64(i) : i;
            if (!one(iv, iv, false)) break;
          }
          return;
        }
      } else if (val !== undefined && val !== null) {
        this.errorf(`range can't iterate over ${formatValue(val)}`);
      }
      if (r.elseList) this.walk(dot, r.elseList);
    } finally {
      this.pop(outerMark);
    }
  }

  evalPipeline(dot: Ref, pipe: PipeNode): GoValue {
    this.at(pipe);
    let value: Final = MISSING;
    for (const cmd of pipe.cmds) {
      value = this.evalCommand(dot, cmd, value);
      // If the object has type interface{}, dig down one level (a nil interface becomes invalid).
      if (value === null) value = undefined;
    }
    const v = value === MISSING ? undefined : value;
    for (const variable of pipe.decl) {
      if (pipe.isAssign) this.setVar(variable.ident[0], v);
      else this.push(variable.ident[0], v);
    }
    return v;
  }

  notAFunction(args: ArgNode[], final: Final) {
    if (args.length > 1 || final !== MISSING) this.errorf(`can't give argument to non-function ${nodeString(args[0])}`);
  }

  evalCommand(dot: Ref, cmd: CommandNode, final: Final): GoValue {
    const first = cmd.args[0];
    switch (first.kind) {
      case 'field': return this.evalFieldNode(dot, first, cmd.args, final);
      case 'chain': return this.evalChainNode(dot, first, cmd.args, final);
      case 'identifier': return this.evalFunction(dot, first, cmd, cmd.args, final);
      case 'pipe':
        this.notAFunction(cmd.args, final);
        return this.evalPipeline(dot, first);
      case 'variable': return this.evalVariableNode(first, cmd.args, final);
    }
    this.at(first);
    this.notAFunction(cmd.args, final);
    switch (first.kind) {
      case 'bool': return first.val;
      case 'dot': return dot.v;
      case 'nil': return this.errorf('nil is not a command');
      case 'number': return this.idealConstant(first);
      case 'string': return first.text;
    }
  }

  idealConstant(n: NumberNode): GoValue {
    this.at(n);
    if (n.isFloat && !/^[+-]?0[xX]/.test(n.text) && !n.text.startsWith('\'') && /[.eEpP]/.test(n.text)) return n.float;
    if (n.isInt) return n.int;
    if (n.isFloat) return n.float;
    return this.errorf(`${n.text} overflows int`);
  }

  evalFieldNode(dot: Ref, field: FieldNode, args: ArgNode[], final: Final): GoValue {
    this.at(field);
    return this.evalFieldChain(dot, field, field.ident, args, final).v;
  }

  evalChainNode(dot: Ref, chain: ChainNode, args: ArgNode[], final: Final): GoValue {
    if (chain.node.kind === 'nil') this.errorf(`indirection through explicit nil in ${nodeString(chain)}`);
    const pipe = this.evalArg(dot, 'value', chain.node);
    return this.evalFieldChain({ v: pipe, iface: false }, chain, chain.field, args, final).v;
  }

  evalVariableNode(variable: VariableNode, args: ArgNode[], final: Final): GoValue {
    this.at(variable);
    const value = this.varValue(variable.ident[0]);
    if (variable.ident.length === 1) {
      this.notAFunction(args, final);
      return value.v;
    }
    return this.evalFieldChain({ v: value.v, iface: value.iface }, variable, variable.ident.slice(1), args, final).v;
  }

  evalFieldChain(receiver: Ref, node: ArgNode, ident: string[], args: ArgNode[], final: Final): Ref {
    let r = receiver;
    for (let i = 0; i < ident.length - 1; i++) r = this.evalField(ident[i], node, [], MISSING, r);
    return this.evalField(ident[ident.length - 1], node, args, final, r);
  }

  evalField(fieldName: string, _node: ArgNode, args: ArgNode[], final: Final, receiver: Ref): Ref {
    // Go's evalField does not move the error position to the field: an error names the node
    // evaluated last (in `(fromJson "[1").a`, the string)
    const v = receiver.v;
    if (v === undefined) {
      if (this.missingKey === 'error') this.errorf(`nil data; no entry for key ${goQuote(fieldName)}`);
      return { v: undefined, iface: false };
    }
    if (v === null) this.errorf(`nil pointer evaluating interface {}.${fieldName}`);
    const hasArgs = args.length > 1 || final !== MISSING;
    if (isMap(v)) {
      if (hasArgs) this.errorf(`${fieldName} is not a method but has arguments`);
      const type = goTypeName(v);
      if (Object.prototype.hasOwnProperty.call(v, fieldName)) {
        return { v: v[fieldName], iface: type === 'map[string]interface {}' };
      }
      switch (this.missingKey) {
        case 'default': return { v: undefined, iface: false };
        case 'zero': return { v: type === 'map[string]string' ? '' : null, iface: type === 'map[string]interface {}' };
        case 'error': return this.errorf(`map has no entry for key ${goQuote(fieldName)}`);
      }
    }
    return this.errorf(`can't evaluate field ${fieldName} in type ${receiver.iface ? 'interface {}' : goTypeName(v)}`);
  }

  evalFunction(dot: Ref, node: IdentifierNode, cmd: ArgNode | CommandNode, args: ArgNode[], final: Final): GoValue {
    this.at(node);
    const name = node.name;
    const fn = Object.hasOwn(SPRIG_FUNCS, name) ? SPRIG_FUNCS[name] : Object.hasOwn(BUILTINS, name) ? BUILTINS[name] : undefined;
    if (!fn) {
      this.errorf(`function ${goQuote(name)} is not supported by the offline ApplicationSet preview (it is a sprig function Argo CD allows, but it is not reimplemented here); remove it or compute the value in the generator`);
    }
    return this.evalCall(dot, fn, cmd, name, args, final);
  }

  evalCall(dot: Ref, fn: GoFunc, node: ArgNode | CommandNode, name: string, allArgs: ArgNode[], final: Final): GoValue {
    const args = allArgs.slice(1);
    let numIn = args.length;
    if (final !== MISSING) numIn++;
    const numFixed = fn.params.length;
    if (fn.variadic !== undefined) {
      if (numIn < numFixed) this.errorf(`wrong number of args for ${name}: want at least ${numFixed} got ${numIn}`);
    } else if (numIn !== numFixed) {
      this.errorf(`wrong number of args for ${name}: want ${numFixed} got ${numIn}`);
    }
    // and/or evaluate their arguments lazily
    if (fn.builtin && (name === 'and' || name === 'or')) {
      let v: GoValue = undefined;
      for (const a of args) {
        v = this.evalArg(dot, 'value', a);
        if (isTrue(v) === (name === 'or')) return v;
      }
      if (final !== MISSING) v = final;
      return v;
    }
    const argv: GoValue[] = [];
    let i = 0;
    for (; i < numFixed && i < args.length; i++) argv.push(this.evalArg(dot, fn.params[i], args[i]));
    if (fn.variadic !== undefined) {
      for (; i < args.length; i++) argv.push(this.evalArg(dot, fn.variadic, args[i]));
    }
    if (final !== MISSING) {
      let t: ArgType;
      if (fn.variadic !== undefined && numIn - 1 >= numFixed) t = fn.variadic;
      else t = fn.params[numIn - 1];
      argv.push(this.validateType(final, t));
    }
    try {
      return fn.fn(argv, { missingKey: this.missingKey });
    } catch (e) {
      if (e instanceof TemplateError) throw e;
      this.at(node);
      return this.errorf(`error calling ${name}: ${(e as Error).message}`);
    }
  }

  validateType(value: GoValue, typ: ArgType): GoValue {
    if (value === undefined) {
      if (typ === 'any' || typ === 'value' || typ === 'list' || typ === 'map') return typ === 'value' ? undefined : null;
      this.errorf(`invalid value; expected ${typeDisplay(typ)}`);
    }
    if (typ === 'any' || typ === 'value') return value;
    const actual = goTypeName(value);
    const ok = (() => {
      switch (typ) {
        case 'string': return typeof value === 'string';
        case 'int': return typeof value === 'bigint';
        case 'int64': return value instanceof GoInt64;
        case 'float64': return typeof value === 'number';
        case 'bool': return typeof value === 'boolean';
        case 'list': return actual === '[]interface {}';
        case 'map': return actual === 'map[string]interface {}';
        case 'strings': return actual === '[]string';
      }
    })();
    if (!ok) this.errorf(`wrong type for value; expected ${typeDisplay(typ)}; got ${actual}`);
    return value;
  }

  evalArg(dot: Ref, typ: ArgType, n: ArgNode): GoValue {
    this.at(n);
    switch (n.kind) {
      case 'dot': return this.validateType(dot.v, typ);
      case 'nil':
        if (typ === 'any' || typ === 'value' || typ === 'list' || typ === 'map' || typ === 'strings') return typ === 'value' ? null : null;
        return this.errorf(`cannot assign nil to ${typeDisplay(typ)}`);
      case 'field': return this.validateType(this.evalFieldNode(dot, n, [n], MISSING), typ);
      case 'variable': return this.validateType(this.evalVariableNode(n, [], MISSING), typ);
      case 'pipe': return this.validateType(this.evalPipeline(dot, n), typ);
      case 'identifier': return this.validateType(this.evalFunction(dot, n, n, [n], MISSING), typ);
      case 'chain': return this.validateType(this.evalChainNode(dot, n, [], MISSING), typ);
    }
    switch (typ) {
      case 'bool':
        if (n.kind === 'bool') return n.val;
        return this.errorf(`expected bool; found ${nodeString(n)}`);
      case 'float64':
        if (n.kind === 'number' && n.isFloat) return n.float;
        return this.errorf(`expected float; found ${nodeString(n)}`);
      case 'int': case 'int64':
        if (n.kind === 'number' && n.isInt) return typ === 'int' ? n.int : new GoInt64(n.int);
        return this.errorf(`expected integer; found ${nodeString(n)}`);
      case 'string':
        if (n.kind === 'string') return n.text;
        return this.errorf(`expected string; found ${nodeString(n)}`);
      case 'any': case 'value':
        switch (n.kind) {
          case 'bool': return n.val;
          case 'number': return this.idealConstant(n);
          case 'string': return n.text;
        }
    }
    return this.errorf(`can't handle ${nodeString(n)} for arg of type ${typeDisplay(typ)}`);
  }
}

function typeDisplay(t: ArgType): string {
  switch (t) {
    case 'any': return 'interface {}';
    case 'value': return 'reflect.Value';
    case 'list': return '[]interface {}';
    case 'map': return 'map[string]interface {}';
    case 'strings': return '[]string';
    default: return t;
  }
}

// ---------------------------------------------------------------------------------------------
// Go's builtin functions

const errBadComparisonType = 'invalid type for comparison';
const errBadComparison = (a: GoValue, b: GoValue) => `incompatible types for comparison: ${goTypeName(a)} and ${goTypeName(b)}`;

type BasicKind = 'bool' | 'int' | 'float' | 'string' | 'invalid';

function basicKind(v: GoValue): BasicKind {
  if (typeof v === 'boolean') return 'bool';
  if (isInt(v)) return 'int';
  if (typeof v === 'number') return 'float';
  if (typeof v === 'string') return 'string';
  return 'invalid';
}

function eqValues(a: GoValue, b: GoValue): boolean {
  const k1 = basicKind(a);
  const k2 = basicKind(b);
  const valid = (v: GoValue) => v !== undefined && v !== null;
  if (k1 !== k2) {
    if (valid(a) && valid(b)) throw new Error(errBadComparison(a, b));
    return false;
  }
  switch (k1) {
    case 'bool': case 'string': case 'float': return a === b;
    case 'int': return intValue(a as bigint) === intValue(b as bigint);
    default: {
      if (!valid(a) || !valid(b)) return valid(a) === valid(b);
      if (goTypeName(a) !== goTypeName(b)) {
        throw new Error(`non-comparable types ${formatValue(a, false)}: ${goTypeName(a)}, ${goTypeName(b)}: ${formatValue(b, false)}`);
      }
      throw new Error(`non-comparable type ${formatValue(b, false)}: ${goTypeName(b)}`);
    }
  }
}

function ltValues(a: GoValue, b: GoValue): boolean {
  const k1 = basicKind(a);
  if (k1 === 'invalid') throw new Error(errBadComparisonType);
  const k2 = basicKind(b);
  if (k2 === 'invalid') throw new Error(errBadComparisonType);
  if (k1 !== k2) throw new Error(errBadComparison(a, b));
  switch (k1) {
    case 'bool': throw new Error(errBadComparisonType);
    case 'int': return intValue(a as bigint) < intValue(b as bigint);
    case 'string': return (a as string) < (b as string) ? compareStrings(a as string, b as string) < 0 : false;
    default: return (a as number) < (b as number);
  }
}

function compareStrings(a: string, b: string): number {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return Buffer.compare(x, y);
}

function length(v: GoValue): bigint {
  // a nil interface (a null value, a missing key with missingkey=zero) is a nil pointer to
  // length(); a missing key is the zero reflect.Value, whose Type() panics (recovered by safeCall)
  if (v === undefined) throw new Error('reflect: call of reflect.Value.Type on zero Value');
  if (v === null) throw new Error('len of nil pointer');
  if (typeof v === 'string') return BigInt(byteLength(v));
  if (Array.isArray(v)) return BigInt(v.length);
  if (isMap(v)) return BigInt(Object.keys(v).length);
  throw new Error(`len of type ${goTypeName(v)}`);
}

function indexFn(args: GoValue[]): GoValue {
  let item = args[0];
  if (item === undefined || item === null) throw new Error('index of untyped nil');
  for (const index of args.slice(1)) {
    if (item === undefined || item === null) throw new Error('index of nil pointer');
    if (Array.isArray(item) || typeof item === 'string') {
      if (index === undefined || index === null) throw new Error('cannot index slice/array with nil');
      if (!isInt(index)) throw new Error(`cannot index slice/array with type ${goTypeName(index)}`);
      const x = intValue(index);
      const size: number = typeof item === 'string' ? byteLength(item) : item.length;
      if (x < 0n || x > BigInt(size)) throw new Error(`index out of range: ${x}`);
      if (x === BigInt(size)) throw new Error(typeof item === 'string' ? 'reflect: string index out of range' : 'reflect: slice index out of range');
      item = typeof item === 'string' ? BigInt(Buffer.from(item, 'utf8')[Number(x)]) : item[Number(x)];
    } else if (isMap(item)) {
      const keyType = goTypeName(item).startsWith('map[string]') ? 'string' : 'string';
      if (index === undefined || index === null) throw new Error(`value is nil; should be of type ${keyType}`);
      if (typeof index !== 'string') throw new Error(`value has type ${goTypeName(index)}; should be ${keyType}`);
      if (Object.prototype.hasOwnProperty.call(item, index)) item = item[index];
      else item = goTypeName(item) === 'map[string]string' ? '' : null;
    } else {
      throw new Error(`can't index item of type ${goTypeName(item)}`);
    }
  }
  return item;
}

function htmlEscape(s: string): string {
  return s.replace(/[<>&'"\0]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '\'': '&#39;', '"': '&#34;', '\0': '\uFFFD' } as Record<string, string>)[c]);
}

function jsEscape(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    switch (ch) {
      case '\\': out += '\\\\'; continue;
      case '\'': out += '\\\''; continue;
      case '"': out += '\\"'; continue;
      case '<': out += '\\u003C'; continue;
      case '>': out += '\\u003E'; continue;
      case '&': out += '\\u0026'; continue;
      case '=': out += '\\u003D'; continue;
      case '\n': out += '\\n'; continue;
      case '\r': out += '\\r'; continue;
      case '\t': out += '\\t'; continue;
    }
    if (c < 0x20) out += '\\u' + c.toString(16).toUpperCase().padStart(4, '0');
    else out += ch;
  }
  return out;
}

function evalArgsString(args: GoValue[]): string {
  if (args.length === 1 && typeof args[0] === 'string') return args[0];
  return goSprint(args);
}

const BUILTINS: Record<string, GoFunc> = {
  and: { builtin: true, params: ['value'], variadic: 'value', fn: () => undefined },
  or: { builtin: true, params: ['value'], variadic: 'value', fn: () => undefined },
  not: { builtin: true, params: ['value'], fn: ([a]) => !isTrue(a) },
  len: { builtin: true, params: ['value'], fn: ([a]) => length(a) },
  index: { builtin: true, params: ['value'], variadic: 'value', fn: (a) => indexFn(a) },
  print: { builtin: true, params: [], variadic: 'any', fn: (a) => goSprint(a) },
  printf: { builtin: true, params: ['string'], variadic: 'any', fn: ([f, ...a]) => goSprintf(f as string, a) },
  println: { builtin: true, params: [], variadic: 'any', fn: (a) => goSprintln(a) },
  html: { builtin: true, params: [], variadic: 'any', fn: (a) => htmlEscape(evalArgsString(a)) },
  js: { builtin: true, params: [], variadic: 'any', fn: (a) => jsEscape(evalArgsString(a)) },
  urlquery: {
    builtin: true, params: [], variadic: 'any',
    fn: (a) => encodeURIComponent(evalArgsString(a)).replace(/%20/g, '+').replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase()),
  },
  eq: {
    builtin: true, params: ['value'], variadic: 'value',
    fn: ([a, ...rest]) => {
      if (rest.length === 0) throw new Error('missing argument for comparison');
      for (const b of rest) if (eqValues(a, b)) return true;
      return false;
    },
  },
  ne: { builtin: true, params: ['value', 'value'], fn: ([a, b]) => !eqValues(a, b) },
  lt: { builtin: true, params: ['value', 'value'], fn: ([a, b]) => ltValues(a, b) },
  le: { builtin: true, params: ['value', 'value'], fn: ([a, b]) => ltValues(a, b) || eqValues(a, b) },
  gt: { builtin: true, params: ['value', 'value'], fn: ([a, b]) => !(ltValues(a, b) || eqValues(a, b)) },
  ge: { builtin: true, params: ['value', 'value'], fn: ([a, b]) => !ltValues(a, b) },
  call: {
    builtin: true, params: ['value'], variadic: 'value',
    fn: () => { throw new Error('call is not supported by the offline ApplicationSet preview: templates have no function values'); },
  },
};

/** Executes a parsed template with `data` as dot and `$`. */
export function executeGoTemplate(tmpl: ParsedTemplate, data: GoValue, options: GoTemplateOptions = {}): string {
  const state = new ExecState(tmpl, PARSE_NAME, options.missingKey ?? 'default');
  state.push('$', data);
  state.walk({ v: data, iface: false }, tmpl.root);
  return state.out;
}

/** Parses and executes `text` (Go's wording on errors, without Argo CD's prefix). */
export function renderGoTemplate(text: string, data: GoValue, options: GoTemplateOptions = {}): string {
  return executeGoTemplate(parseGoTemplate(text), data, options);
}

// ---------------------------------------------------------------------------------------------
// Field paths

/**
 * Every `.a.b.c` path the template reads from its root data (`path.basename`, `metadata.labels.env`),
 * in order of appearance, without duplicates: fields on dot where dot is the root, and fields
 * on `$`. Paths inside `range`/`with` bodies (where dot changed) are skipped, except `$.x` ones.
 * Throws TemplateError when the template does not parse.
 */
export function goTemplateFieldPaths(text: string): string[] {
  const tmpl = parseGoTemplate(text);
  const out: string[] = [];
  const add = (p: string[]) => {
    const s = p.join('.');
    if (s && !out.includes(s)) out.push(s);
  };
  const visitArg = (a: ArgNode, dotIsRoot: boolean) => {
    switch (a.kind) {
      case 'field': if (dotIsRoot) add(a.ident); break;
      case 'variable': if (a.ident[0] === '$' && a.ident.length > 1) add(a.ident.slice(1)); break;
      case 'chain': visitArg(a.node, dotIsRoot); break;
      case 'pipe': visitPipe(a, dotIsRoot); break;
    }
  };
  const visitPipe = (p: PipeNode, dotIsRoot: boolean) => {
    for (const c of p.cmds) for (const a of c.args) visitArg(a, dotIsRoot);
  };
  const visitList = (list: ListNode, dotIsRoot: boolean) => {
    for (const n of list) {
      switch (n.kind) {
        case 'action': visitPipe(n.pipe, dotIsRoot); break;
        case 'if':
          visitPipe(n.pipe, dotIsRoot);
          visitList(n.list, dotIsRoot);
          if (n.elseList) visitList(n.elseList, dotIsRoot);
          break;
        case 'with': case 'range':
          visitPipe(n.pipe, dotIsRoot);
          visitList(n.list, false);
          if (n.elseList) visitList(n.elseList, dotIsRoot);
          break;
        case 'template':
          if (n.pipe) visitPipe(n.pipe, dotIsRoot);
          break;
      }
    }
  };
  visitList(tmpl.root, true);
  return out;
}

export type { GoMap, GoValue };
