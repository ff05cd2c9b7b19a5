// Renders Flagger metric query templates.
//
// Flagger runs every query through Go's text/template with missingkey=error, nil data and
// one *function* per model field, so `{{ namespace }}` and `{{ variables.region }}` work
// while `{{ .Namespace }}` fails (nil data). Templates in the wild also use printf,
// pipelines, if/else, with/range over `variables`, comparisons and string literals, so the
// whole language is interpreted here (src/metrics/template/), not only the variables;
// test/unit/metrics/render-go.test.ts compares it with Go's own text/template.
// Not supported: complex numbers (a render error naming them).
import { executeTemplate } from './template/index.js';
import { type GoValue, TemplateError, str } from './template/values.js';

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

/** The functions Flagger's MetricTemplateModel.TemplateFunctions defines. */
function modelFunctions(model: QueryModel): Map<string, GoValue> {
  return new Map<string, GoValue>([
    ['name', str(model.name)],
    ['namespace', str(model.namespace)],
    ['target', str(model.target)],
    ['service', str(model.service)],
    ['ingress', str(model.ingress)],
    ['route', str(model.route)],
    ['interval', str(model.interval)],
    ['variables', { k: 'map', v: new Map(Object.entries(model.variables)) }],
  ]);
}

/** The template's output exactly as Go's text/template writes it (no whitespace changes). */
export function renderTemplate(template: string, model: QueryModel): string {
  try {
    return executeTemplate(template, modelFunctions(model));
  } catch (err) {
    if (err instanceof TemplateError) throw new QueryRenderError(`query template: ${err.message}`);
    throw err;
  }
}

/**
 * Renders `template` against `model`; throws QueryRenderError where Go's text/template
 * fails to parse or execute it. The result is whitespace-collapsed, as Flagger does
 * before sending a query.
 */
export function renderQuery(template: string, model: QueryModel): string {
  return collapseWhitespace(renderTemplate(template, model));
}

/** Every run of whitespace becomes one space (Flagger's query trimming); ends are trimmed. */
export function collapseWhitespace(query: string): string {
  return query.replace(/\s+/g, ' ').trim();
}
