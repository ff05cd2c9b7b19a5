// Renders Flagger metric query templates.
//
// Flagger runs queries through Go's text/template with each variable exposed as a
// *function* (so `{{ namespace }}` works and `{{ .Namespace }}` does not) and with
// missingkey=error. Real templates only ever substitute variables, so instead of a Go
// template engine this supports exactly:
//
//   {{ name }} {{ namespace }} {{ target }} {{ service }} {{ ingress }} {{ route }}
//   {{ interval }} {{ variables.<key> }}
//
// with any whitespace inside the braces and Go's trim markers (`{{- x -}}` removes the
// whitespace next to the action). Anything else inside `{{ }}` (pipelines, if/range,
// printf, index, comments) is a render error naming the action, never silently dropped.
// Values are inserted verbatim, as text/template does.

export interface QueryModel {
  /** Canary metadata.name */
  readonly name: string;
  readonly namespace: string;
  /** spec.targetRef.name */
  readonly target: string;
  /** spec.service.name, else the target name */
  readonly service: string;
  /** spec.ingressRef.name, else the target name */
  readonly ingress: string;
  /** spec.routeRef.name, else the target name */
  readonly route: string;
  /** The metric interval, e.g. "1m" */
  readonly interval: string;
  /** metrics[].templateVariables */
  readonly variables: Readonly<Record<string, string>>;
}

export class QueryRenderError extends Error {
  override readonly name = 'QueryRenderError';
}

type PlainVariable = Exclude<keyof QueryModel, 'variables'>;
const PLAIN_VARIABLES: ReadonlySet<string> = new Set<PlainVariable>([
  'name',
  'namespace',
  'target',
  'service',
  'ingress',
  'route',
  'interval',
]);
const isPlainVariable = (v: string): v is PlainVariable => PLAIN_VARIABLES.has(v);

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Go trim markers need a space next to the dash: "{{- x" trims, "{{-3}}" is a number. */
function stripTrimMarkers(inner: string): { body: string; trimLeft: boolean; trimRight: boolean } {
  let body = inner;
  const trimLeft = /^-\s/.test(body);
  if (trimLeft) body = body.slice(1);
  const trimRight = /\s-$/.test(body);
  if (trimRight) body = body.slice(0, -1);
  return { body: body.trim(), trimLeft, trimRight };
}

function evaluate(action: string, model: QueryModel): string {
  if (isPlainVariable(action)) return model[action];
  const dot = action.indexOf('.');
  if (dot > 0 && action.slice(0, dot) === 'variables') {
    const key = action.slice(dot + 1);
    if (!IDENT.test(key)) {
      throw new QueryRenderError(`unsupported template action "{{ ${action} }}"`);
    }
    // Own-property check: "constructor" or "toString" must not resolve to Object members.
    if (!Object.prototype.hasOwnProperty.call(model.variables, key)) {
      throw new QueryRenderError(`template variable "variables.${key}" is not set in templateVariables`);
    }
    return model.variables[key] ?? '';
  }
  if (IDENT.test(action)) throw new QueryRenderError(`unknown template variable "${action}"`);
  throw new QueryRenderError(`unsupported template action "{{ ${action} }}"`);
}

/**
 * Renders `template` against `model`. Throws QueryRenderError for unknown variables,
 * missing `variables` keys, unsupported actions and unclosed `{{`.
 * The result is whitespace-collapsed, as Flagger does before sending a query.
 */
export function renderQuery(template: string, model: QueryModel): string {
  let out = '';
  let pos = 0;
  for (;;) {
    const open = template.indexOf('{{', pos);
    if (open < 0) {
      out += template.slice(pos);
      break;
    }
    const close = template.indexOf('}}', open + 2);
    if (close < 0) throw new QueryRenderError(`unclosed action starting at offset ${open}`);
    const { body, trimLeft, trimRight } = stripTrimMarkers(template.slice(open + 2, close));
    out += template.slice(pos, open);
    if (trimLeft) out = out.trimEnd();
    out += evaluate(body, model);
    pos = close + 2;
    if (trimRight) {
      while (pos < template.length && /\s/.test(template.charAt(pos))) pos++;
    }
  }
  return collapseWhitespace(out);
}

/** Every run of whitespace becomes one space (Flagger's query trimming); ends are trimmed. */
export function collapseWhitespace(query: string): string {
  return query.replace(/\s+/g, ' ').trim();
}
