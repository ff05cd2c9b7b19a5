// text/template's predefined functions with their Go semantics (argument counts, the
// type errors Go raises, index/len on bytes), plus the functions Flagger defines for
// queries: one per model field, and `variables` returning the templateVariables map.
// `and` and `or` short-circuit, so the executor evaluates their arguments (see exec.ts).
import { htmlEscape, jsEscape, urlQueryEscape } from './escape.js';
import { sprint, sprintf, sprintln } from './fmt.js';
import { type GoValue, TemplateError, bool, int, isTrue, str, typeName } from './values.js';

export type Builtin = (args: readonly GoValue[]) => GoValue;

interface Fn {
  readonly min: number;
  readonly max: number;
  readonly fn: Builtin;
}

const arity = (name: string, f: Fn, got: number): void => {
  if (got < f.min || got > f.max) {
    const want = f.min === f.max ? `${f.min}` : `at least ${f.min}`;
    throw new TemplateError(`wrong number of args for ${name}: want ${want} got ${got}`);
  }
};

/**
 * html/js/urlquery take one string as it is, anything else through fmt.Sprint, where
 * text/template first turns a missing value into "<no value>" (a nil literal too).
 */
const textOf = (args: readonly GoValue[]): string =>
  args.length === 1 && args[0]?.k === 'string'
    ? args[0].v
    : sprint(args.map((a) => (a.k === 'nil' || a.k === 'none' ? str('<no value>') : a)));

function compare(a: GoValue, b: GoValue, ordered: boolean): number {
  const numeric = a.k === 'int' && b.k === 'int';
  if (a.k !== b.k && !numeric) throw new TemplateError('incompatible types for comparison');
  switch (a.k) {
    case 'int':
    case 'float':
    case 'string': {
      const x = a.v;
      const y = (b as typeof a).v;
      if (a.k === 'string') return Buffer.compare(Buffer.from(a.v), Buffer.from(String(y)));
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case 'bool':
      if (ordered) throw new TemplateError('invalid type for comparison');
      return a.v === (b as typeof a).v ? 0 : 1;
    case 'map':
    case 'nil':
    case 'none':
      throw new TemplateError(ordered ? 'invalid type for comparison' : `non-comparable type ${typeName(a)}`);
  }
}

function eq(args: readonly GoValue[]): GoValue {
  const [a, ...rest] = args;
  if (a === undefined || rest.length === 0) throw new TemplateError('missing argument for comparison');
  const isNil = (v: GoValue): boolean => v.k === 'nil' || v.k === 'none';
  for (const b of rest) {
    if (isNil(a) || isNil(b)) {
      if (isNil(a) && isNil(b)) return bool(true);
      continue;
    }
    if (compare(a, b, false) === 0) return bool(true);
  }
  return bool(false);
}

const at = (args: readonly GoValue[], i: number): GoValue => args[i] ?? { k: 'none' };

function intIndex(v: GoValue, len: number, cap = len): number {
  if (v.k !== 'int') throw new TemplateError(`cannot index slice/array with type ${typeName(v)}`);
  const n = Number(v.v);
  if (n < 0 || n > cap) throw new TemplateError(`index out of range: ${n}`);
  return n;
}

function index(args: readonly GoValue[]): GoValue {
  let item = at(args, 0);
  for (const key of args.slice(1)) {
    if (item.k === 'map') {
      if (key.k !== 'string') throw new TemplateError(`value has type ${typeName(key)}; should be string`);
      item = str(item.v.get(key.v) ?? '');
    } else if (item.k === 'string') {
      const bytes = Buffer.from(item.v);
      const n = intIndex(key, bytes.length - 1);
      item = int(bytes[n] ?? 0, 'uint8');
    } else if (item.k === 'nil' || item.k === 'none') {
      throw new TemplateError('index of untyped nil');
    } else throw new TemplateError(`can't index item of type ${typeName(item)}`);
  }
  return item;
}

function slice(args: readonly GoValue[]): GoValue {
  const item = at(args, 0);
  if (item.k !== 'string') {
    throw new TemplateError(
      item.k === 'nil' || item.k === 'none'
        ? 'slice of untyped nil'
        : `can't slice item of type ${typeName(item)}`,
    );
  }
  if (args.length > 3) throw new TemplateError('cannot 3-index slice a string');
  const bytes = Buffer.from(item.v);
  const lo = args[1] === undefined ? 0 : intIndex(args[1], bytes.length);
  const hi = args[2] === undefined ? bytes.length : intIndex(args[2], bytes.length);
  if (lo > hi) throw new TemplateError(`invalid slice index: ${lo} > ${hi}`);
  return str(bytes.subarray(lo, hi).toString());
}

function len(args: readonly GoValue[]): GoValue {
  const v = at(args, 0);
  if (v.k === 'string') return int(Buffer.byteLength(v.v));
  if (v.k === 'map') return int(v.v.size);
  throw new TemplateError(
    v.k === 'nil' || v.k === 'none' ? 'len of nil pointer' : `len of type ${typeName(v)}`,
  );
}

const N = Number.POSITIVE_INFINITY;
const cmp = (test: (c: number) => boolean): Fn => ({
  min: 2,
  max: 2,
  fn: (a) => bool(test(compare(at(a, 0), at(a, 1), true))),
});

const BUILTINS: Readonly<Record<string, Fn>> = {
  not: { min: 1, max: 1, fn: (a) => bool(!isTrue(at(a, 0))) },
  len: { min: 1, max: 1, fn: len },
  index: { min: 1, max: N, fn: index },
  slice: { min: 1, max: N, fn: slice },
  print: { min: 0, max: N, fn: (a) => str(sprint(a)) },
  println: { min: 0, max: N, fn: (a) => str(sprintln(a)) },
  printf: {
    min: 1,
    max: N,
    fn: (a) => {
      const f = at(a, 0);
      if (f.k !== 'string')
        throw new TemplateError(`wrong type for value; expected string; got ${typeName(f)}`);
      return str(sprintf(f.v, a.slice(1)));
    },
  },
  html: { min: 0, max: N, fn: (a) => str(htmlEscape(textOf(a))) },
  js: { min: 0, max: N, fn: (a) => str(jsEscape(textOf(a))) },
  urlquery: { min: 0, max: N, fn: (a) => str(urlQueryEscape(textOf(a))) },
  eq: { min: 1, max: N, fn: eq },
  ne: { min: 2, max: 2, fn: (a) => bool(!isTrue(eq(a))) },
  lt: cmp((c) => c < 0),
  le: cmp((c) => c <= 0),
  gt: cmp((c) => c > 0),
  ge: cmp((c) => c >= 0),
  call: {
    min: 1,
    max: N,
    fn: (a) => {
      throw new TemplateError(`non-function of type ${typeName(at(a, 0))}`);
    },
  },
};

/** Names Go knows at parse time: the builtins, `and`/`or`, and the model's functions. */
export function functionNames(model: readonly string[]): Set<string> {
  return new Set([...Object.keys(BUILTINS), 'and', 'or', ...model]);
}

/** Calls a non-lazy function by name with evaluated arguments. */
export function callBuiltin(
  name: string,
  args: readonly GoValue[],
  model: ReadonlyMap<string, GoValue>,
): GoValue {
  const m = model.get(name);
  if (m !== undefined) {
    arity(name, { min: 0, max: 0, fn: () => m }, args.length);
    return m;
  }
  const f = BUILTINS[name];
  if (f === undefined) throw new TemplateError(`function "${name}" not defined`);
  arity(name, f, args.length);
  return f.fn(args);
}
