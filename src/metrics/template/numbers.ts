// Go's number literals and float formatting (strconv's 'e', 'f' and 'g' forms), so a
// number printed by a query template reads exactly as Flagger's Go would print it:
// `{{ 1e6 }}` is "1e+06", `{{ printf "%.2f" 0.5 }}` is "0.50".
import { type GoValue, TemplateError, int } from './values.js';

interface Digits {
  /** Significant decimal digits without trailing zeros ("0" for zero). */
  readonly d: string;
  /** Decimal point position: value = 0.d × 10^dp. */
  readonly dp: number;
}

/** The shortest round-tripping digits (prec < 0) or `prec` rounded significant digits. */
function digitsOf(v: number, prec: number): Digits {
  if (v === 0) return { d: '0', dp: 1 };
  const a = Math.abs(v);
  const split = (e: string): Digits => {
    const [mant = '0', exp = '0'] = e.split('e');
    return { d: mant.replace('.', '').replace(/0+$/, '') || '0', dp: Number(exp) + 1 };
  };
  if (prec < 0) return split(a.toExponential());
  const p = Math.max(prec, 1);
  // JS rounds an exact tie up, Go to even: 2.5 → "2" with %.0f. A tie shows as a 5
  // followed only by zeros in the (exact for any tie) 100-digit expansion.
  const full = split(a.toExponential(99));
  const next = full.d.charAt(p);
  const rest = full.d.slice(p + 1);
  if (p < 100 && next === '5' && rest === '' && Number(full.d.charAt(p - 1)) % 2 === 0) {
    return { d: full.d.slice(0, p).replace(/0+$/, '') || '0', dp: full.dp };
  }
  return split(a.toExponential(p - 1));
}

const special = (v: number): string | undefined =>
  Number.isNaN(v) ? 'NaN' : v === Infinity ? '+Inf' : v === -Infinity ? '-Inf' : undefined;

const sign = (v: number): string => (v < 0 || Object.is(v, -0) ? '-' : '');

function expPart(exp: number, upper: boolean): string {
  const a = Math.abs(exp);
  return `${upper ? 'E' : 'e'}${exp < 0 ? '-' : '+'}${a < 10 ? '0' : ''}${a}`;
}

/** d.ddd×10^exp with `frac` fraction digits (padded with zeros). */
function fmtE(sg: string, g: Digits, frac: number, upper: boolean): string {
  const all = g.d.padEnd(frac + 1, '0');
  const head = all.slice(0, 1);
  const tail = all.slice(1, frac + 1);
  const exp = g.d === '0' ? 0 : g.dp - 1;
  return `${sg}${head}${frac > 0 ? `.${tail}` : ''}${expPart(exp, upper)}`;
}

/** Plain decimal with `frac` fraction digits from already-rounded digits. */
function fmtF(sg: string, g: Digits, frac: number): string {
  const intPart = g.dp > 0 ? g.d.slice(0, g.dp).padEnd(g.dp, '0') : '0';
  let fracPart = '';
  for (let i = 0; i < frac; i++) {
    const idx = g.dp + i;
    fracPart += idx >= 0 && idx < g.d.length ? g.d.charAt(idx) : '0';
  }
  return `${sg}${intPart}${frac > 0 ? `.${fracPart}` : ''}`;
}

/** strconv.FormatFloat(v, 'g', prec, 64); prec -1 = shortest. */
export function formatFloatG(v: number, prec: number, upper = false): string {
  const sp = special(v);
  if (sp !== undefined) return sp;
  const p = prec === 0 ? 1 : prec;
  const g = digitsOf(v, p);
  let eprec = p < 0 ? 6 : p;
  if (p >= 0 && eprec > g.d.length && g.d.length >= g.dp) eprec = g.d.length;
  const exp = g.d === '0' ? 0 : g.dp - 1;
  if (exp < -4 || exp >= eprec) {
    const digits = p < 0 || p > g.d.length ? g.d.length : p;
    return fmtE(sign(v), g, digits - 1, upper);
  }
  const digits = p < 0 || p > g.dp ? g.d.length : p;
  return fmtF(sign(v), g, Math.max(digits - g.dp, 0));
}

/** strconv.FormatFloat(v, 'e', prec, 64). */
export function formatFloatE(v: number, prec: number, upper = false): string {
  const sp = special(v);
  if (sp !== undefined) return sp;
  const g = digitsOf(v, prec < 0 ? -1 : prec + 1);
  return fmtE(sign(v), g, prec < 0 ? g.d.length - 1 : prec, upper);
}

/** strconv.FormatFloat(v, 'f', prec, 64). */
export function formatFloatF(v: number, prec: number): string {
  const sp = special(v);
  if (sp !== undefined) return sp;
  if (prec < 0) {
    const g = digitsOf(v, -1);
    return fmtF(sign(v), g, Math.max(g.d.length - g.dp, 0));
  }
  // Round to `prec` fraction digits: that is dp + prec significant digits.
  const probe = digitsOf(v, -1);
  const sig = probe.dp + prec;
  if (sig <= 0) {
    // Everything rounds away unless the first digit rounds up into the last place.
    // Up only past the half-way point (an exact half rounds to the even 0).
    const first = digitsOf(v, 100).d;
    const up = sig === 0 && (first.charAt(0) > '5' || (first.charAt(0) === '5' && first.length > 1));
    return fmtF(sign(v), up ? { d: '1', dp: -prec + 1 } : { d: '0', dp: 1 }, prec);
  }
  return fmtF(sign(v), digitsOf(v, sig), prec);
}

const INT_RE = /^[+-]?(0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|0[0-7_]*|[1-9][0-9_]*)$/;

function parseInt64(text: string): bigint | undefined {
  if (!INT_RE.test(text) || /__|_$|^[+-]?_/.test(text)) return undefined;
  const neg = text.startsWith('-');
  let t = text.replace(/^[+-]/, '').replaceAll('_', '');
  // A leading 0 without a letter is octal in Go; BigInt wants "0o".
  if (/^0[0-7]+$/.test(t)) t = `0o${t.slice(1)}`;
  const v = BigInt(t);
  return neg ? -v : v;
}

/** A number literal as text/template turns it into a value passed to a function. */
export function parseNumber(text: string): GoValue {
  if (/i$/.test(text)) throw new TemplateError(`complex constant ${text} is not supported`);
  const n = parseInt64(text);
  const isHexInt = /^[+-]?0[xX]/.test(text) && !/[pP.]/.test(text);
  if (n !== undefined && (isHexInt || !/[.eEpP]/.test(text))) {
    if (n > 0x7fffffffffffffffn || n < -0x8000000000000000n) {
      throw new TemplateError(`${text} overflows int`);
    }
    return int(n);
  }
  const clean = text.replaceAll('_', '');
  const f = /^[+-]?0[xX]/.test(clean) ? parseHexFloat(clean) : Number(clean);
  if (!/^[+-]?(\d|\.\d|0[xX])/.test(clean) || Number.isNaN(f)) {
    throw new TemplateError(`illegal number syntax: "${text}"`);
  }
  return { k: 'float', v: f };
}

function parseHexFloat(text: string): number {
  const m = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?\d+)$/.exec(text);
  if (m === null) return NaN;
  const [, sg = '', ip = '', fp = '', ex = '0'] = m;
  const mant = parseInt(`${ip}${fp}` || '0', 16) / 16 ** fp.length;
  return (sg === '-' ? -1 : 1) * mant * 2 ** Number(ex);
}
