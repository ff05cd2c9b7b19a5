// flagger-ts extension: AlertProvider `messageTemplate`, a tiny substitution language for
// the alert text. `{{ name }}`, `{{ namespace }}`, `{{ phase }}`, `{{ severity }}`,
// `{{ message }}` and `{{ fields.<Field name> }}` (the name may contain spaces, e.g.
// `{{ fields.Failed checks threshold }}`). Everything else is literal text.
//
// Errors (an unknown variable, an unclosed or empty `{{ }}`) make render() return the
// error; the dispatcher then sends the default text and logs it, so a typo never loses an
// alert. A field the current alert does not carry renders as '' (fields differ per alert:
// Target etc. are only on the initialization and new-revision alerts), as does an unknown
// phase.
import type { AlertMessage } from './notifier.js';

export type RenderResult =
  { readonly ok: true; readonly text: string } | { readonly ok: false; readonly error: string };

const VARIABLES = ['name', 'namespace', 'phase', 'severity', 'message'] as const;
type Variable = (typeof VARIABLES)[number];
const isVariable = (s: string): s is Variable => (VARIABLES as readonly string[]).includes(s);

type Part = { readonly literal: string } | { readonly variable: Variable } | { readonly field: string };

function parse(source: string): { parts: Part[] } | { error: string } {
  const parts: Part[] = [];
  let i = 0;
  while (i < source.length) {
    const open = source.indexOf('{{', i);
    if (open < 0) {
      parts.push({ literal: source.slice(i) });
      break;
    }
    if (open > i) parts.push({ literal: source.slice(i, open) });
    const close = source.indexOf('}}', open + 2);
    if (close < 0) return { error: `unclosed "{{" at offset ${open}` };
    const expr = source.slice(open + 2, close).trim();
    if (expr === '') return { error: `empty "{{ }}" at offset ${open}` };
    if (expr.startsWith('fields.') && expr.length > 'fields.'.length) {
      parts.push({ field: expr.slice('fields.'.length).trim() });
    } else if (isVariable(expr)) {
      parts.push({ variable: expr });
    } else {
      return { error: `unknown variable "${expr}" (known: ${VARIABLES.join(', ')}, fields.<Name>)` };
    }
    i = close + 2;
  }
  return { parts };
}

function variableValue(v: Variable, m: AlertMessage): string {
  switch (v) {
    case 'name':
      return m.canaryName;
    case 'namespace':
      return m.namespace;
    case 'phase':
      return m.phase ?? '';
    case 'severity':
      return m.severity;
    case 'message':
      return m.message;
  }
}

/** Checks a template without an alert (for validation and tests). */
export function checkMessageTemplate(source: string): string | undefined {
  const r = parse(source);
  return 'error' in r ? r.error : undefined;
}

export function renderMessageTemplate(source: string, m: AlertMessage): RenderResult {
  const r = parse(source);
  if ('error' in r) return { ok: false, error: r.error };
  const text = r.parts
    .map((p) => {
      if ('literal' in p) return p.literal;
      if ('variable' in p) return variableValue(p.variable, m);
      return m.fields.find((f) => f.name === p.field)?.value ?? '';
    })
    .join('');
  return { ok: true, text };
}
