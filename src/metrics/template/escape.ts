// text/template's html, js and urlquery functions. A query may use urlquery to put a
// label value into a URL-shaped label (Graphite paths, Datadog tags); html and js are cheap
// enough to keep the function set complete.
const HTML: Readonly<Record<string, string>> = {
  '"': '&#34;',
  "'": '&#39;',
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '\0': '\uFFFD',
};

export function htmlEscape(s: string): string {
  return s.replace(/["'&<>\0]/g, (c) => HTML[c] ?? c);
}

const hex4 = (cp: number): string => `\\u${cp.toString(16).toUpperCase().padStart(4, '0')}`;

export function jsEscape(s: string): string {
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    if (ch === '\\' || ch === "'" || ch === '"') out += `\\${ch}`;
    else if (ch === '<' || ch === '>' || ch === '&' || ch === '=') out += hex4(cp);
    else if (cp < 0x20) out += hex4(cp);
    else if (cp < 0x80 || /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(ch)) out += ch;
    else out += hex4(cp);
  }
  return out;
}

/** url.QueryEscape: unreserved bytes stay, space is '+', the rest is %XX of the UTF-8 bytes. */
export function urlQueryEscape(s: string): string {
  let out = '';
  for (const b of Buffer.from(s)) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
