// Executes a parsed query template the way Flagger does: text/template with
// missingkey=error and nil data, so `.`/`$` have no value, `.x` fails unless dot is a map
// (inside `with variables` or `range`), and a missing map key fails. Values flow through
// pipelines as in Go: each command's result is the last argument of the next.
import { callBuiltin } from './builtins.js';
import type { Arg, Command, Node, Parsed, Pipe } from './parse.js';
import { type GoValue, NONE, TemplateError, formatV, int, isTrue, str, typeName } from './values.js';

/** Builtins whose parameters are reflect.Value in Go: they refuse nil and "no value". */
const VALUE_PARAMS = new Set([
  'and',
  'or',
  'not',
  'len',
  'index',
  'slice',
  'eq',
  'ne',
  'lt',
  'le',
  'gt',
  'ge',
  'call',
]);

// {{break}} / {{continue}} unwind to the enclosing range loop.
class Break extends Error {}
class Continue extends Error {}

export class Executor {
  #vars: { name: string; value: GoValue }[] = [{ name: '$', value: NONE }];
  #out = '';
  #depth = 0;
  readonly #model: ReadonlyMap<string, GoValue>;
  readonly #defines: Parsed['defines'];

  constructor(model: ReadonlyMap<string, GoValue>, defines: Parsed['defines']) {
    this.#model = model;
    this.#defines = defines;
  }

  run(nodes: readonly Node[]): string {
    this.#walk(NONE, nodes);
    return this.#out;
  }

  /** {{template}}: the named body with `.` and `$` set to the pipeline's value. */
  #template(dot: GoValue, name: string, pipe: Pipe | undefined): void {
    const body = this.#defines.get(name);
    if (body === undefined) throw new TemplateError(`no such template "${name}"`);
    // Recursion can only end by erroring (there is no arithmetic), as in Go, but sooner.
    if (++this.#depth > 1_000) throw new TemplateError('exceeded maximum template depth');
    const value = pipe === undefined ? NONE : this.#pipeline(dot, pipe);
    const saved = this.#vars;
    this.#vars = [{ name: '$', value }];
    try {
      this.#walk(value, body);
    } finally {
      this.#vars = saved;
      this.#depth--;
    }
  }

  #walk(dot: GoValue, nodes: readonly Node[]): void {
    for (const n of nodes) {
      switch (n.t) {
        case 'text':
          this.#out += n.text;
          break;
        case 'action': {
          const v = this.#pipeline(dot, n.pipe);
          if (n.pipe.decl.length === 0) this.#out += v.k === 'none' ? '<no value>' : formatV(v);
          break;
        }
        case 'if':
        case 'with': {
          const mark = this.#vars.length;
          const v = this.#pipeline(dot, n.pipe);
          if (isTrue(v)) this.#walk(n.t === 'with' ? v : dot, n.list);
          else if (n.elseList !== undefined) this.#walk(dot, n.elseList);
          this.#vars.length = mark;
          break;
        }
        case 'range':
          this.#range(dot, n.pipe, n.list, n.elseList);
          break;
        case 'template':
          this.#template(dot, n.name, n.pipe);
          break;
        case 'break':
          throw new Break();
        case 'continue':
          throw new Continue();
      }
    }
  }

  #range(dot: GoValue, pipe: Pipe, list: readonly Node[], elseList: readonly Node[] | undefined): void {
    const mark = this.#vars.length;
    // The range variables are set per element, not by the pipeline itself.
    const v = this.#pipeline(dot, { ...pipe, decl: [] });
    let items: [GoValue, GoValue][];
    if (v.k === 'map') {
      items = [...v.v.keys()].sort().map((k) => [str(k), str(v.v.get(k) ?? '')]);
    } else if (v.k === 'int') {
      if (pipe.decl.length > 1)
        throw new TemplateError(`can't use ${v.v} to iterate over more than one variable`);
      items = Array.from({ length: Math.max(Number(v.v), 0) }, (_, i) => [int(i), int(i)]);
    } else if (v.k === 'none' || v.k === 'nil') {
      items = [];
    } else throw new TemplateError(`range can't iterate over ${formatV(v)}`);
    for (const [key, elem] of items) {
      this.#vars.length = mark;
      const [first, second] = pipe.decl;
      if (first !== undefined) this.#setOrPush(first, second === undefined ? elem : key, pipe.assign);
      if (second !== undefined) this.#setOrPush(second, elem, pipe.assign);
      try {
        this.#walk(elem, list);
      } catch (e) {
        if (e instanceof Break) break;
        if (!(e instanceof Continue)) throw e;
      }
    }
    this.#vars.length = mark;
    if (items.length === 0 && elseList !== undefined) this.#walk(dot, elseList);
  }

  #setOrPush(name: string, value: GoValue, assign: boolean): void {
    if (!assign) {
      this.#vars.push({ name, value });
      return;
    }
    const slot = this.#vars.findLast((x) => x.name === name);
    if (slot === undefined) throw new TemplateError(`undefined variable: ${name}`);
    slot.value = value;
  }

  #pipeline(dot: GoValue, pipe: Pipe): GoValue {
    let value: GoValue | undefined;
    for (const cmd of pipe.cmds) value = this.#command(dot, cmd, value);
    const result = value ?? NONE;
    for (const name of pipe.decl) this.#setOrPush(name, result, pipe.assign);
    return result;
  }

  #command(dot: GoValue, cmd: Command, final: GoValue | undefined): GoValue {
    const [first, ...rest] = cmd.args;
    const hasArgs = rest.length > 0 || final !== undefined;
    const notAFunction = (what: string): void => {
      if (hasArgs) throw new TemplateError(`can't give argument to non-function ${what}`);
    };
    switch (first?.t) {
      case undefined:
        throw new TemplateError('empty command');
      case 'ident':
        return this.#call(dot, first.name, rest, final);
      case 'field':
        return this.#fields(dot, dot, first.fields, hasArgs);
      case 'variable':
        return this.#fields(dot, this.#var(first.name), first.fields, hasArgs);
      case 'chain':
        return this.#fields(dot, this.#arg(dot, first.node, 'any'), first.fields, hasArgs);
      case 'pipe':
        notAFunction('(pipeline)');
        return this.#pipeline(dot, first.pipe);
      case 'dot':
        notAFunction('.');
        return dot;
      case 'const':
        notAFunction(formatV(first.v));
        return first.v;
      case 'nil':
        throw new TemplateError('nil is not a command');
    }
  }

  #var(name: string): GoValue {
    const slot = this.#vars.findLast((x) => x.name === name);
    if (slot === undefined) throw new TemplateError(`undefined variable: ${name}`);
    return slot.value;
  }

  /** Field chain .a.b on `receiver`; only maps have fields here. */
  #fields(_dot: GoValue, receiver: GoValue, fields: readonly string[], hasArgs: boolean): GoValue {
    let v = receiver;
    fields.forEach((f, i) => {
      if (v.k === 'none') throw new TemplateError(`nil data; no entry for key "${f}"`);
      if (v.k !== 'map') {
        throw new TemplateError(
          v.k === 'nil'
            ? `nil pointer evaluating interface {}.${f}`
            : `can't evaluate field ${f} in type ${typeName(v)}`,
        );
      }
      const got = v.v.get(f);
      if (got === undefined) {
        // Name the Canary field to fix when the map is Flagger's `variables`.
        const hint =
          v === this.#model.get('variables') ? ` (variables.${f} is not set in templateVariables)` : '';
        throw new TemplateError(`map has no entry for key "${f}"${hint}`);
      }
      if (i === fields.length - 1 && hasArgs)
        throw new TemplateError(`${f} is not a method but has arguments`);
      v = str(got);
    });
    return v;
  }

  #call(dot: GoValue, name: string, args: readonly Arg[], final: GoValue | undefined): GoValue {
    const kind = VALUE_PARAMS.has(name) ? 'value' : 'any';
    if (name === 'and' || name === 'or') {
      if (args.length === 0 && final === undefined) {
        throw new TemplateError(`wrong number of args for ${name}: want at least 1 got 0`);
      }
      let v: GoValue = NONE;
      for (const a of args) {
        v = this.#arg(dot, a, kind);
        if (isTrue(v) === (name === 'or')) return v;
      }
      return final ?? v;
    }
    const values = args.map((a) => this.#arg(dot, a, kind));
    if (final !== undefined) values.push(checked(final, kind));
    return callBuiltin(name, values, this.#model);
  }

  #arg(dot: GoValue, a: Arg, kind: 'value' | 'any'): GoValue {
    switch (a.t) {
      case 'dot':
        return checked(dot, kind);
      case 'nil':
        // Go hands a reflect.Value parameter an invalid Value for nil, like a missing one.
        return kind === 'value' ? NONE : { k: 'nil' };
      case 'const':
        return a.v;
      case 'ident':
        return checked(this.#call(dot, a.name, [], undefined), kind);
      case 'pipe':
        return checked(this.#pipeline(dot, a.pipe), kind);
      case 'field':
      case 'variable':
      case 'chain':
        return checked(this.#command(dot, { args: [a] }, undefined), kind);
    }
  }
}

/**
 * Go's validateType: "no value" reaches a reflect.Value parameter as it is (eq, and, not
 * ... handle it) and an interface parameter (print ...) as nil.
 */
function checked(v: GoValue, kind: 'value' | 'any'): GoValue {
  return v.k === 'none' && kind === 'any' ? { k: 'nil' } : v;
}
