// Go's fmt.Sprint / Sprintln / Sprintf for template values, including fmt's in-band error
// notes (`%!d(string=x)`, `%!s(MISSING)`, `%!(EXTRA int=1)`), because Flagger's queries
// are built with `printf` and a typo there reaches the metrics backend verbatim.
import { formatFloatE, formatFloatF, formatFloatG } from './numbers.js';
import { type GoValue, byBytes, formatV, str, typeName } from './values.js';

/** fmt.Sprint: a space between operands when neither is a string. */
export function sprint(args: readonly GoValue[]): string {
  let out = '';
  args.forEach((a, i) => {
    const prev = args[i - 1];
    if (i > 0 && prev !== undefined && a.k !== 'string' && prev.k !== 'string') out += ' ';
    out += formatV(a);
  });
  return out;
}

export function sprintln(args: readonly GoValue[]): string {
  return `${args.map(formatV).join(' ')}\n`;
}

interface Spec {
  plus: boolean;
  minus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  width: number | undefined;
  prec: number | undefined;
}

// Go counts width and precision in runes (code points), as Array.from splits.
const runeLen = (s: string): number => Array.from(s).length;

function pad(s: string, sp: Spec, numeric: boolean): string {
  const w = sp.width ?? 0;
  const n = runeLen(s);
  if (n >= w) return s;
  if (sp.minus) return s + ' '.repeat(w - n);
  if (sp.zero && numeric) {
    const sign = /^[+\- ]/.test(s) ? s.charAt(0) : '';
    return sign + '0'.repeat(w - n) + s.slice(sign.length);
  }
  return (sp.zero ? '0' : ' ').repeat(w - n) + s;
}

/** strconv.Quote: printable runes as they are, the rest escaped Go's way. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (cp >= 0x20 && cp < 0x7f) out += ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\x07') out += '\\a';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (ch === '\v') out += '\\v';
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (/^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(ch) || ch === ' ') out += ch;
    else if (cp < 0x10000) out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += `\\U${cp.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}

function signed(body: string, negative: boolean, sp: Spec): string {
  return (negative ? '-' : sp.plus ? '+' : sp.space ? ' ' : '') + body;
}

function fmtInt(v: bigint, verb: string, sp: Spec): string | undefined {
  const neg = v < 0n;
  const a = neg ? -v : v;
  let digits: string;
  switch (verb) {
    case 'd':
    case 'v':
      digits = a.toString(10);
      break;
    case 'b':
      digits = a.toString(2);
      break;
    case 'o':
    case 'O':
      digits = a.toString(8);
      break;
    case 'x':
      digits = a.toString(16);
      break;
    case 'X':
      digits = a.toString(16).toUpperCase();
      break;
    case 'c':
      return pad(String.fromCodePoint(Number(v)), sp, false);
    case 'q':
      return pad(
        `'${goQuote(String.fromCodePoint(Number(v)))
          .slice(1, -1)
          .replace("\\'", "'")}'`,
        sp,
        false,
      );
    case 'U':
      return pad(`U+${a.toString(16).toUpperCase().padStart(4, '0')}`, sp, false);
    default:
      return undefined;
  }
  if (sp.prec !== undefined) digits = digits.padStart(sp.prec, '0');
  if (verb === 'O') digits = `0o${digits}`;
  else if (sp.sharp && verb === 'o' && !digits.startsWith('0')) digits = `0${digits}`;
  else if (sp.sharp && verb === 'x') digits = `0x${digits}`;
  else if (sp.sharp && verb === 'X') digits = `0X${digits}`;
  return pad(signed(digits, neg, sp), { ...sp, zero: sp.zero && sp.prec === undefined }, true);
}

function fmtFloat(v: number, verb: string, sp: Spec): string | undefined {
  const neg = v < 0 || Object.is(v, -0);
  const a = Math.abs(v);
  let body: string;
  switch (verb) {
    case 'v':
    case 'g':
    case 'G':
      body = formatFloatG(a, sp.prec ?? -1, verb === 'G');
      break;
    case 'e':
    case 'E':
      body = formatFloatE(a, sp.prec ?? 6, verb === 'E');
      break;
    case 'f':
    case 'F':
      body = formatFloatF(a, sp.prec ?? 6);
      break;
    default:
      return undefined;
  }
  if (Number.isNaN(v)) return pad(sp.plus ? '+NaN' : sp.space ? ' NaN' : 'NaN', sp, false);
  if (!Number.isFinite(v)) return pad(v < 0 ? '-Inf' : sp.plus || !sp.space ? '+Inf' : ' Inf', sp, false);
  return pad(signed(body, neg, sp), sp, true);
}

function fmtString(s: string, verb: string, sp: Spec): string | undefined {
  const cut = sp.prec === undefined ? s : Array.from(s).slice(0, sp.prec).join('');
  switch (verb) {
    case 's':
    case 'v':
      return pad(cut, sp, false);
    case 'q':
      return pad(goQuote(cut), sp, false);
    case 'x':
    case 'X': {
      const hex = [...Buffer.from(cut)].map((b) => b.toString(16).padStart(2, '0'));
      const joined = sp.space ? hex.join(' ') : hex.join('');
      return pad(verb === 'X' ? joined.toUpperCase() : joined, sp, false);
    }
    default:
      return undefined;
  }
}

function formatOne(a: GoValue, verb: string, sp: Spec): string {
  let out: string | undefined;
  switch (a.k) {
    case 'string':
      out = fmtString(a.v, verb, sp);
      break;
    case 'int':
      out = fmtInt(a.v, verb, sp);
      break;
    case 'float':
      out = fmtFloat(a.v, verb, sp);
      break;
    case 'bool':
      out = verb === 't' || verb === 'v' ? pad(String(a.v), sp, false) : undefined;
      break;
    case 'map': {
      // fmt applies the verb to each key and value: %d of a string map shows every entry's note.
      const keys = [...a.v.keys()].sort(byBytes);
      const entry = (k: string): string =>
        `${formatOne(str(k), verb, sp)}:${formatOne(str(a.v.get(k) ?? ''), verb, sp)}`;
      return `map[${keys.map(entry).join(' ')}]`;
    }
    case 'nil':
    case 'none':
      out = verb === 'v' ? pad('<nil>', sp, false) : undefined;
      return out ?? `%!${verb}(<nil>)`;
  }
  // The note shows the value with %v under the same width and precision, as fmt does.
  return out ?? `%!${verb}(${typeName(a)}=${formatOne(a, 'v', sp)})`;
}

/** fmt.Sprintf without explicit argument indexes ("%[1]d"), which query templates do not use. */
export function sprintf(format: string, args: readonly GoValue[]): string {
  let out = '';
  let argi = 0;
  let i = 0;
  const takeInt = (): number | undefined => {
    const a = args[argi++];
    return a?.k === 'int' ? Number(a.v) : undefined;
  };
  while (i < format.length) {
    const c = format.charAt(i++);
    if (c !== '%') {
      out += c;
      continue;
    }
    const sp: Spec = {
      plus: false,
      minus: false,
      sharp: false,
      space: false,
      zero: false,
      width: undefined,
      prec: undefined,
    };
    for (;;) {
      const f = format.charAt(i);
      if (f === '+') sp.plus = true;
      else if (f === '-') sp.minus = true;
      else if (f === '#') sp.sharp = true;
      else if (f === ' ') sp.space = true;
      else if (f === '0') sp.zero = !sp.minus;
      else break;
      i++;
    }
    if (format.charAt(i) === '*') {
      i++;
      sp.width = takeInt();
    } else {
      const m = /^\d+/.exec(format.slice(i));
      if (m !== null) {
        sp.width = Number(m[0]);
        i += m[0].length;
      }
    }
    if (format.charAt(i) === '.') {
      i++;
      if (format.charAt(i) === '*') {
        i++;
        sp.prec = takeInt();
      } else {
        const m = /^\d*/.exec(format.slice(i))?.[0] ?? '';
        sp.prec = Number(m || '0');
        i += m.length;
      }
    }
    const verb = String.fromCodePoint(format.codePointAt(i) ?? 0);
    if (i >= format.length) {
      out += '%!(NOVERB)';
      break;
    }
    i += verb.length;
    if (verb === '%') {
      out += '%';
      continue;
    }
    const a = args[argi++];
    out += a === undefined ? `%!${verb}(MISSING)` : formatOne(a, verb, sp);
  }
  if (argi < args.length) {
    const extra = args
      .slice(argi)
      .map((a) => (a.k === 'nil' || a.k === 'none' ? '<nil>' : `${typeName(a)}=${formatV(a)}`));
    out += `%!(EXTRA ${extra.join(', ')})`;
  }
  return out;
}
