// Parses lexed tokens into the tree text/template executes, with the checks Go makes at
// parse time (so a template Flagger would refuse to parse is refused here too, even in a
// branch that never runs): unknown functions, undefined $variables, a literal used as a
// later pipeline stage, `break`/`continue` outside range, unbalanced if/with/range/end.
import type { Token, TokenKind } from './lex.js';
import { parseNumber } from './numbers.js';
import { charConstant, unquote } from './unquote.js';
import { type GoValue, TemplateError, bool, str } from './values.js';

export type Arg =
  | { readonly t: 'ident'; readonly name: string }
  | { readonly t: 'field'; readonly fields: readonly string[] }
  | { readonly t: 'variable'; readonly name: string; readonly fields: readonly string[] }
  | { readonly t: 'dot' }
  | { readonly t: 'nil' }
  | { readonly t: 'const'; readonly v: GoValue }
  | { readonly t: 'pipe'; readonly pipe: Pipe }
  | { readonly t: 'chain'; readonly node: Arg; readonly fields: readonly string[] };

export interface Command {
  readonly args: readonly Arg[];
}

export interface Pipe {
  readonly decl: readonly string[];
  /** `$x = v` assigns an existing variable; `$x := v` declares one. */
  readonly assign: boolean;
  readonly cmds: readonly Command[];
}

export type Node =
  | { readonly t: 'text'; readonly text: string }
  | { readonly t: 'action'; readonly pipe: Pipe }
  | {
      readonly t: 'if' | 'with' | 'range';
      readonly pipe: Pipe;
      readonly list: readonly Node[];
      readonly elseList: readonly Node[] | undefined;
    }
  | { readonly t: 'break' | 'continue' }
  /** {{template "name" pipeline}}; {{block}} is a define plus this. */
  | { readonly t: 'template'; readonly name: string; readonly pipe: Pipe | undefined };

/** The main template (Flagger names it "tmpl") and every {{define}}d one. */
export interface Parsed {
  readonly main: readonly Node[];
  readonly defines: ReadonlyMap<string, readonly Node[]>;
}

const MAIN = 'tmpl';

export class Parser {
  #i = 0;
  readonly #vars: string[][] = [['$']];
  #rangeDepth = 0;
  #controlDepth = 0;
  readonly #defines = new Map<string, Node[]>();

  readonly #toks: readonly Token[];
  readonly #funcs: ReadonlySet<string>;

  constructor(toks: readonly Token[], funcs: ReadonlySet<string>) {
    this.#toks = toks;
    this.#funcs = funcs;
  }

  parse(): Parsed {
    const { list, end } = this.#list();
    if (end !== 'eof') throw new TemplateError(`unexpected {{${end}}}`);
    this.#define(MAIN, list);
    return { main: list, defines: this.#defines };
  }

  /** Go keeps the first non-empty definition and refuses a second one. */
  #define(name: string, list: Node[]): void {
    const empty = (l: readonly Node[]): boolean => l.every((n) => n.t === 'text' && n.text.trim() === '');
    const old = this.#defines.get(name);
    if (old !== undefined && !empty(old) && !empty(list)) {
      throw new TemplateError(`template: multiple definition of template "${name}"`);
    }
    if (old === undefined || empty(old)) this.#defines.set(name, list);
  }

  /** {{define "x"}} / {{block "x" pipe}} bodies, only at the top level as in Go. */
  #named(kw: 'define' | 'template' | 'block'): Node | undefined {
    const nameTok = this.#next();
    if (nameTok.kind !== 'string' && nameTok.kind !== 'rawString') {
      throw new TemplateError(`unexpected "${nameTok.text}" in ${kw} clause`);
    }
    const name = nameTok.kind === 'string' ? unquote(nameTok.text) : nameTok.text.slice(1, -1);
    if (kw === 'define' && this.#controlDepth > 0) throw new TemplateError('unexpected <define> in command');
    let pipe: Pipe | undefined;
    if (kw === 'define' || this.#peek().kind === 'close') this.#expect('close', kw);
    else pipe = this.#pipeline(kw, 'close');
    if (kw === 'template') return { t: 'template', name, pipe };
    // A body is a new scope: only $ is defined inside it.
    const saved = this.#vars.splice(0, this.#vars.length, ['$']);
    const body = this.#list();
    this.#vars.splice(0, this.#vars.length, ...saved);
    if (body.end !== 'end') throw new TemplateError(`unexpected ${body.end} in ${kw}`);
    this.#define(name, body.list);
    return kw === 'block' ? { t: 'template', name, pipe } : undefined;
  }

  #peek(skipSpace = true): Token {
    let i = this.#i;
    while (skipSpace && this.#toks[i]?.kind === 'space') i++;
    const tok = this.#toks[i];
    if (tok === undefined) throw new TemplateError('unexpected EOF');
    return tok;
  }

  #next(skipSpace = true): Token {
    const tok = this.#peek(skipSpace);
    this.#i = this.#toks.indexOf(tok, this.#i) + 1;
    return tok;
  }

  #expect(kind: TokenKind, context: string): Token {
    const tok = this.#next();
    if (tok.kind !== kind) throw new TemplateError(`unexpected "${tok.text}" in ${context}`);
    return tok;
  }

  /** Nodes up to {{end}}, {{else}} or EOF; says which ended the list. */
  #list(): { list: Node[]; end: 'end' | 'else' | 'eof' } {
    const list: Node[] = [];
    for (;;) {
      const tok = this.#next(false);
      if (tok.kind === 'eof') return { list, end: 'eof' };
      if (tok.kind === 'text') {
        list.push({ t: 'text', text: tok.text });
        continue;
      }
      const kw = this.#peek();
      if (kw.kind === 'keyword' && (kw.text === 'end' || kw.text === 'else')) {
        this.#next();
        if (kw.text === 'end') this.#expect('close', 'end');
        return { list, end: kw.text };
      }
      const node = this.#action();
      if (node !== undefined) list.push(node);
    }
  }

  #action(): Node | undefined {
    const kw = this.#peek();
    if (kw.kind === 'keyword') {
      this.#next();
      switch (kw.text) {
        case 'if':
        case 'with':
        case 'range':
          return this.#control(kw.text);
        case 'break':
        case 'continue':
          if (this.#rangeDepth === 0) throw new TemplateError(`{{${kw.text}}} outside {{range}}`);
          this.#expect('close', kw.text);
          return { t: kw.text };
        case 'define':
        case 'template':
        case 'block':
          return this.#named(kw.text);
        default:
          throw new TemplateError(`unexpected {{${kw.text}}}`);
      }
    }
    return { t: 'action', pipe: this.#pipeline('command', 'close') };
  }

  #control(t: 'if' | 'with' | 'range'): Node {
    this.#vars.push([]);
    const pipe = this.#pipeline(t, 'close');
    if (t === 'range') this.#rangeDepth++;
    this.#controlDepth++;
    const body = this.#list();
    this.#controlDepth--;
    if (t === 'range') this.#rangeDepth--;
    let elseList: Node[] | undefined;
    if (body.end === 'eof') throw new TemplateError(`unexpected EOF in {{${t}}}`);
    if (body.end === 'else') {
      const chained = this.#peek();
      // {{else if ...}} / {{else with ...}}: a nested control that shares our {{end}}.
      if (chained.kind === 'keyword' && (chained.text === 'if' || chained.text === 'with') && t !== 'range') {
        this.#next();
        elseList = [this.#control(chained.text)];
      } else {
        this.#expect('close', 'else');
        const rest = this.#list();
        if (rest.end !== 'end') throw new TemplateError(`expected {{end}} after {{else}} in {{${t}}}`);
        elseList = rest.list;
      }
    }
    this.#vars.pop();
    return { t, pipe, list: body.list, elseList };
  }

  #declared(name: string): boolean {
    return this.#vars.some((scope) => scope.includes(name));
  }

  #pipeline(context: string, endKind: 'close' | 'rparen'): Pipe {
    const decl: string[] = [];
    let assign = false;
    const start = this.#i;
    const v = this.#peek();
    if (v.kind === 'variable') {
      this.#next();
      const after = this.#peek();
      const names = [v.text];
      if (after.kind === 'comma' && context === 'range') {
        this.#next();
        names.push(this.#expect('variable', 'range declaration').text);
      }
      const op = this.#peek();
      if (op.kind === 'declare' || op.kind === 'assign') {
        this.#next();
        assign = op.kind === 'assign';
        for (const n of names) {
          if (assign && !this.#declared(n)) throw new TemplateError(`undefined variable "${n}"`);
          if (!assign) this.#vars[this.#vars.length - 1]?.push(n);
        }
        decl.push(...names);
      } else this.#i = start;
    }
    const cmds: Command[] = [];
    for (;;) {
      cmds.push(this.#command());
      const tok = this.#next();
      if (tok.kind === endKind) break;
      if (tok.kind !== 'pipe') throw new TemplateError(`unexpected "${tok.text}" in ${context}`);
    }
    for (const [i, c] of cmds.entries()) {
      const first = c.args[0];
      if (i > 0 && first !== undefined && ['const', 'dot', 'nil'].includes(first.t)) {
        throw new TemplateError(`non executable command in pipeline stage ${i + 1}`);
      }
    }
    return { decl, assign, cmds };
  }

  #command(): Command {
    const args: Arg[] = [];
    for (;;) {
      const tok = this.#peek();
      if (['close', 'rparen', 'pipe', 'eof'].includes(tok.kind)) break;
      args.push(this.#operand());
      const after = this.#peek(false);
      if (!['space', 'close', 'rparen', 'pipe'].includes(after.kind)) {
        throw new TemplateError(`missing space before "${after.text}"`);
      }
    }
    if (args.length === 0) throw new TemplateError('missing value for command');
    return { args };
  }

  #operand(): Arg {
    const term = this.#term();
    const fields: string[] = [];
    while (this.#peek(false).kind === 'field') fields.push(this.#next(false).text.slice(1));
    if (fields.length === 0) return term;
    switch (term.t) {
      case 'field':
        return { t: 'field', fields: [...term.fields, ...fields] };
      case 'variable':
        return { t: 'variable', name: term.name, fields: [...term.fields, ...fields] };
      case 'const':
      case 'nil':
      case 'dot':
        throw new TemplateError(`unexpected . after term`);
      default:
        return { t: 'chain', node: term, fields };
    }
  }

  #term(): Arg {
    const tok = this.#next();
    switch (tok.kind) {
      case 'ident':
        if (!this.#funcs.has(tok.text)) throw new TemplateError(`function "${tok.text}" not defined`);
        return { t: 'ident', name: tok.text };
      case 'field':
        return { t: 'field', fields: [tok.text.slice(1)] };
      case 'variable':
        if (!this.#declared(tok.text)) throw new TemplateError(`undefined variable "${tok.text}"`);
        return { t: 'variable', name: tok.text, fields: [] };
      case 'dot':
        return { t: 'dot' };
      case 'nil':
        return { t: 'nil' };
      case 'bool':
        return { t: 'const', v: bool(tok.text === 'true') };
      case 'string':
      case 'rawString':
        return { t: 'const', v: str(tok.kind === 'string' ? unquote(tok.text) : tok.text.slice(1, -1)) };
      case 'char':
        // A character constant is an untyped int when passed on, as in Go's idealConstant.
        return { t: 'const', v: { k: 'int', v: BigInt(charConstant(tok.text)), t: 'int' } };
      case 'number':
        return { t: 'const', v: parseNumber(tok.text) };
      case 'lparen':
        return { t: 'pipe', pipe: this.#pipeline('parenthesized pipeline', 'rparen') };
      default:
        throw new TemplateError(`unexpected "${tok.text}" in operand`);
    }
  }
}
