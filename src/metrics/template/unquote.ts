// Go's interpreted string literal rules (strconv.Unquote), for "..." and 'c' in templates:
// \a \b \f \n \r \t \v \\ \" (\' only in a character), \xHH, \ooo, \uHHHH, \UHHHHHHHH.
import { TemplateError } from './values.js';

const SIMPLE: Readonly<Record<string, string>> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  '"': '"',
};

/** `lit` includes its double quotes. `char` also accepts \' (a character literal's body). */
export function unquote(lit: string, char = false): string {
  const body = lit.slice(1, -1);
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body.charAt(i);
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = body.charAt(++i);
    const simple = SIMPLE[e];
    if (simple !== undefined) {
      out += simple;
    } else if (e === "'" && char) {
      out += "'";
    } else if (e === 'x' || e === 'u' || e === 'U') {
      const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const hex = body.slice(i + 1, i + 1 + n);
      if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(hex)) throw bad(lit);
      const cp = parseInt(hex, 16);
      // \xHH is a byte; bytes ≥ 0x80 alone are not valid UTF-8 and have no JS string form.
      if ((e === 'x' && cp > 0x7f) || cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000)) throw bad(lit);
      out += String.fromCodePoint(cp);
      i += n;
    } else if (/[0-7]/.test(e)) {
      const oct = body.slice(i, i + 3);
      if (!/^[0-7]{3}$/.test(oct) || parseInt(oct, 8) > 0x7f) throw bad(lit);
      out += String.fromCharCode(parseInt(oct, 8));
      i += 2;
    } else throw bad(lit);
  }
  return out;
}

const bad = (lit: string): TemplateError => new TemplateError(`invalid syntax in quoted string ${lit}`);

/** The code point of a character constant such as 'a', '\n' or '\''. */
export function charConstant(lit: string): number {
  const s = unquote(`"${lit.slice(1, -1).replace(/^"$/, '\\"')}"`, true);
  const cp = s.codePointAt(0);
  if (cp === undefined || Array.from(s).length !== 1) {
    throw new TemplateError(`malformed character constant: ${lit}`);
  }
  return cp;
}
