// Splits a query template into text and action tokens with Go text/template's lexical
// rules: `{{- ` / ` -}}` trim the whitespace beside the action (only with the space, so
// `{{-3}}` is the number -3), `{{/* */}}` comments, "..." / `...` / 'c' literals, numbers,
// fields (.x), variables ($x), and the punctuation of pipelines and declarations.
import { TemplateError } from './values.js';

export type TokenKind =
  | 'text'
  | 'open'
  | 'close'
  | 'ident'
  | 'keyword'
  | 'field'
  | 'variable'
  | 'dot'
  | 'string'
  | 'rawString'
  | 'char'
  | 'number'
  | 'bool'
  | 'nil'
  | 'pipe'
  | 'lparen'
  | 'rparen'
  | 'comma'
  | 'declare'
  | 'assign'
  | 'space'
  | 'eof';

export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly pos: number;
}

const KEYWORDS = new Set(['if', 'else', 'end', 'with', 'range', 'define', 'template', 'block']);
const KEYWORDS_IN_RANGE = new Set(['break', 'continue']);
const SPACE = new Set([' ', '\t', '\r', '\n']);
const isAlnum = (c: string): boolean => /^[\p{L}\p{Nd}_]$/u.test(c);

const trimEnd = (s: string): string => s.replace(/[ \t\r\n]+$/, '');

export function lex(src: string): Token[] {
  const out: Token[] = [];
  let pos = 0;
  let trimNext = false;
  for (;;) {
    const open = src.indexOf('{{', pos);
    let text = src.slice(pos, open < 0 ? src.length : open);
    if (trimNext) text = text.replace(/^[ \t\r\n]+/, '');
    let p = open + 2;
    const trimLeft = open >= 0 && src.charAt(p) === '-' && SPACE.has(src.charAt(p + 1));
    if (trimLeft) text = trimEnd(text);
    if (text !== '') out.push({ kind: 'text', text, pos });
    if (open < 0) break;
    if (trimLeft) p += 2;
    const end = lexAction(src, p, out, open);
    trimNext = end.trimRight;
    pos = end.pos;
  }
  out.push({ kind: 'eof', text: '', pos: src.length });
  return out;
}

/** The right delimiter at `p`, with its trim marker, if there is one. */
function closeAt(src: string, p: number): { trim: boolean; len: number } | undefined {
  if (SPACE.has(src.charAt(p)) && src.startsWith('-}}', p + 1)) return { trim: true, len: 4 };
  if (src.startsWith('}}', p)) return { trim: false, len: 2 };
  return undefined;
}

function lexComment(src: string, p: number, openPos: number): { pos: number; trimRight: boolean } {
  const end = src.indexOf('*/', p + 2);
  if (end < 0) throw new TemplateError(`unclosed comment at offset ${openPos}`);
  const close = closeAt(src, end + 2);
  if (close === undefined) throw new TemplateError(`comment ends before closing delimiter`);
  return { pos: end + 2 + close.len, trimRight: close.trim };
}

function lexAction(
  src: string,
  start: number,
  out: Token[],
  openPos: number,
): { pos: number; trimRight: boolean } {
  if (src.startsWith('/*', start)) return lexComment(src, start, openPos);
  out.push({ kind: 'open', text: '{{', pos: openPos });
  let p = start;
  let parens = 0;
  const push = (kind: TokenKind, text: string): void => {
    out.push({ kind, text, pos: p });
    p += text.length;
  };
  for (;;) {
    const close = closeAt(src, p);
    if (close !== undefined && parens === 0) {
      out.push({ kind: 'close', text: '}}', pos: p });
      return { pos: p + close.len, trimRight: close.trim };
    }
    const c = src.charAt(p);
    if (c === '') throw new TemplateError(`unclosed action starting at offset ${openPos}`);
    if (SPACE.has(c)) {
      const m = /^[ \t\r\n]+/.exec(src.slice(p));
      push('space', m?.[0] ?? c);
    } else if (c === '|') push('pipe', c);
    else if (c === ',') push('comma', c);
    else if (c === '(') {
      parens++;
      push('lparen', c);
    } else if (c === ')') {
      if (--parens < 0) throw new TemplateError(`unexpected right paren at offset ${p}`);
      push('rparen', c);
    } else if (src.startsWith(':=', p)) push('declare', ':=');
    else if (c === '=') push('assign', c);
    else if (c === '"') push('string', quoted(src, p, '"'));
    else if (c === "'") push('char', quoted(src, p, "'"));
    else if (c === '`') {
      const end = src.indexOf('`', p + 1);
      if (end < 0) throw new TemplateError(`unterminated raw quoted string at offset ${p}`);
      push('rawString', src.slice(p, end + 1));
    } else if (c === '$') push('variable', `$${word(src, p + 1)}`);
    else if (c === '.' && /[0-9]/.test(src.charAt(p + 1))) push('number', number(src, p));
    else if (c === '.') {
      const w = word(src, p + 1);
      push(w === '' ? 'dot' : 'field', `.${w}`);
    } else if (c === '+' || c === '-' || /[0-9]/.test(c)) push('number', number(src, p));
    else if (isAlnum(c)) {
      const w = word(src, p);
      const kind =
        w === 'true' || w === 'false'
          ? 'bool'
          : w === 'nil'
            ? 'nil'
            : KEYWORDS.has(w) || KEYWORDS_IN_RANGE.has(w)
              ? 'keyword'
              : 'ident';
      push(kind, w);
    } else throw new TemplateError(`unrecognized character in action: ${JSON.stringify(c)}`);
  }
}

function word(src: string, p: number): string {
  let e = p;
  while (e < src.length && isAlnum(src.charAt(e))) e++;
  return src.slice(p, e);
}

function quoted(src: string, p: number, q: string): string {
  let e = p + 1;
  for (;;) {
    const c = src.charAt(e);
    if (c === '' || c === '\n') throw new TemplateError(`unterminated quoted string at offset ${p}`);
    if (c === '\\') e++;
    else if (c === q) return src.slice(p, e + 1);
    e++;
  }
}

function number(src: string, p: number): string {
  const m =
    /^[+-]?(0[xX][0-9a-fA-F_]*\.?[0-9a-fA-F_]*([pP][+-]?[0-9_]+)?|0[oObB][0-7_]+|[0-9_]*\.?[0-9_]*([eE][+-]?[0-9_]+)?)i?/.exec(
      src.slice(p),
    );
  const text = m?.[0] ?? '';
  if (text === '' || isAlnum(src.charAt(p + text.length)) || /^[+-]?$/.test(text)) {
    throw new TemplateError(`bad number syntax: "${src.slice(p, p + text.length + 1)}"`);
  }
  return text;
}
