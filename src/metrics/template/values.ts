// The values a MetricTemplate query can hold while it is rendered, with Go's type names
// (they appear in error texts and in printf's "%!d(string=x)" notes) and Go's rules for
// truth and for printing with %v.
//
// Queries only ever see strings, the `variables` map (map[string]string), booleans, and
// numbers written in the template, so this is the whole value space Flagger's templates
// can reach: no structs, pointers, slices or channels.
import { formatFloatG } from './numbers.js';

export type GoValue =
  | { readonly k: 'string'; readonly v: string }
  /** Integers: constants (also 'c') are int, a string's bytes from `index` uint8. */
  | { readonly k: 'int'; readonly v: bigint; readonly t: 'int' | 'uint8' }
  | { readonly k: 'float'; readonly v: number }
  | { readonly k: 'bool'; readonly v: boolean }
  | { readonly k: 'map'; readonly v: ReadonlyMap<string, string> }
  /** The literal `nil` passed as an argument. */
  | { readonly k: 'nil' }
  /** Go's invalid reflect.Value: what `.` is when Flagger executes with nil data. */
  | { readonly k: 'none' };

export const str = (v: string): GoValue => ({ k: 'string', v });
export const bool = (v: boolean): GoValue => ({ k: 'bool', v });
export const int = (v: bigint | number, t: 'int' | 'uint8' = 'int'): GoValue => ({
  k: 'int',
  v: BigInt(v),
  t,
});
export const NONE: GoValue = { k: 'none' };
export const NIL: GoValue = { k: 'nil' };

/** Go's %T of a value. */
export function typeName(v: GoValue): string {
  switch (v.k) {
    case 'string':
      return 'string';
    case 'int':
      return v.t;
    case 'float':
      return 'float64';
    case 'bool':
      return 'bool';
    case 'map':
      return 'map[string]string';
    case 'nil':
    case 'none':
      return '<nil>';
  }
}

/** text/template's truth: the zero value and empty maps are false. */
export function isTrue(v: GoValue): boolean {
  switch (v.k) {
    case 'string':
      return v.v !== '';
    case 'int':
      return v.v !== 0n;
    case 'float':
      return v.v !== 0;
    case 'bool':
      return v.v;
    case 'map':
      return v.v.size > 0;
    case 'nil':
    case 'none':
      return false;
  }
}

/** fmt's %v; maps print their keys sorted, as fmt does. */
export function formatV(v: GoValue): string {
  switch (v.k) {
    case 'string':
      return v.v;
    case 'int':
      return v.v.toString();
    case 'float':
      return formatFloatG(v.v, -1);
    case 'bool':
      return String(v.v);
    case 'map': {
      const keys = [...v.v.keys()].sort(byBytes);
      return `map[${keys.map((k) => `${k}:${v.v.get(k) ?? ''}`).join(' ')}]`;
    }
    case 'nil':
    case 'none':
      return '<nil>';
  }
}

/** Go compares strings byte-wise (UTF-8), which is code-point order, not UTF-16 order. */
export function byBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

export class TemplateError extends Error {
  override readonly name = 'TemplateError';
}
