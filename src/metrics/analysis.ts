// The metric part of an analysis run (Flagger's runBuiltinMetricChecks + runMetricChecks).
// Kubernetes lookups come in through deps, so this needs no client and is tested
// against local HTTP servers.
import type { Canary, CanaryMetric } from '../api/canary.js';
import { isBuiltinMetric } from '../api/defaults.js';
import { queryModelFor } from './model.js';
import {
  type BuiltinMetricName,
  type MetricsObserver,
  REQUEST_DURATION,
  REQUEST_SUCCESS_RATE,
  builtinQuery,
} from './observers/observer.js';
import { observerFor } from './observers/registry.js';
import { type MetricProvider, ProviderError } from './providers/provider.js';
import { renderQuery } from './render.js';
import {
  type Failure,
  type MetricCheckDeps,
  type MetricFailureKind,
  RunContext,
  configFailure,
  errText,
  isFailure,
} from './run-context.js';
import { type Verdict, judge } from './thresholds.js';

export type { MetricCheckDeps, MetricFailureKind } from './run-context.js';

export interface MetricCheckOutcome {
  readonly name: string;
  /** Which of Flagger's three metric kinds this was. */
  readonly source: 'builtin' | 'query' | 'template';
  /** The rendered query, when rendering succeeded. */
  readonly query?: string;
  /**
   * The measured value. request-duration is in whole milliseconds (what thresholds
   * compare); Flagger's flagger_canary_metric_analysis gauge records it in seconds.
   */
  readonly value?: number;
  /** The bounds applied (thresholdRange, or the legacy threshold on its side). */
  readonly min?: number;
  readonly max?: number;
  readonly passed: boolean;
  /** Flagger's event text for a failure; a short summary for a pass. */
  readonly message: string;
  readonly failureKind?: MetricFailureKind;
  /** Event type for a failure: Warning for no data and breached thresholds, else Error. */
  readonly eventType?: 'Warning' | 'Error';
}

type Source = MetricCheckOutcome['source'];

function failed(name: string, source: Source, f: Failure, query?: string): MetricCheckOutcome {
  return { name, source, passed: false, ...f, ...(query === undefined ? {} : { query }) };
}

function judged(
  name: string,
  source: Source,
  query: string,
  value: number,
  verdict: Verdict,
): MetricCheckOutcome {
  return {
    name,
    source,
    query,
    value,
    ...verdict,
    ...(verdict.passed ? {} : { eventType: 'Warning' as const }),
  };
}

function providerFailure(err: ProviderError, message: string): Failure {
  return { message, failureKind: err.kind, eventType: err.kind === 'no-data' ? 'Warning' : 'Error' };
}

const renderFailure = (message: string): Failure => ({
  message,
  failureKind: 'render-error',
  eventType: 'Error',
});

async function builtinCheck(ctx: RunContext, metric: CanaryMetric): Promise<MetricCheckOutcome> {
  const name: BuiltinMetricName =
    metric.name === REQUEST_SUCCESS_RATE ? REQUEST_SUCCESS_RATE : REQUEST_DURATION;
  let observer: MetricsObserver;
  try {
    observer = observerFor(ctx.metricsProvider);
  } catch (err) {
    return failed(name, 'builtin', configFailure(`Metric ${name}: ${errText(err)}`));
  }
  const provider = ctx.builtinProvider();
  if (isFailure(provider)) return failed(name, 'builtin', provider);
  // Builtin templates use only the fixed variables, so rendering cannot fail.
  const model = queryModelFor(ctx.canary, metric);
  const query = renderQuery(builtinQuery(observer, name), observer.encodeModel?.(model) ?? model);
  const result = await ctx.measure(provider, query);
  if (result instanceof ProviderError) {
    const target = `${ctx.canary.spec.targetRef.name}.${ctx.ref.namespace}`;
    const message =
      result.kind === 'no-data'
        ? `Halt advancement no values found for ${ctx.metricsProvider} metric ${name} probably ${target} is not receiving traffic: ${result.message}`
        : `Prometheus query failed for ${name}: ${result.message}`;
    return failed(name, 'builtin', providerFailure(result, message), query);
  }
  if (name === REQUEST_SUCCESS_RATE) {
    return judged(name, 'builtin', query, result, judge('success-rate', metric, result, ctx.ref));
  }
  // Whole milliseconds, as Go's time.Duration conversion truncates.
  const ms = Math.trunc(result * observer.durationToMs);
  return judged(name, 'builtin', query, ms, judge('duration', metric, ms, ctx.ref));
}

async function inlineCheck(ctx: RunContext, metric: CanaryMetric, raw: string): Promise<MetricCheckOutcome> {
  const { name } = metric;
  let query: string;
  try {
    query = renderQuery(raw, queryModelFor(ctx.canary, metric));
  } catch (err) {
    return failed(name, 'query', renderFailure(`Metric ${name} query render error: ${errText(err)}`));
  }
  const provider = ctx.builtinProvider();
  if (isFailure(provider)) return failed(name, 'query', provider, query);
  return queryAndJudge(ctx, { metric, source: 'query', provider, query }, (err) =>
    err.kind === 'no-data'
      ? `Halt advancement no values found for metric: ${name}: ${err.message}`
      : `Prometheus query failed for ${name}: ${err.message}`,
  );
}

async function templateCheck(
  ctx: RunContext,
  metric: CanaryMetric,
  templateName: string,
): Promise<MetricCheckOutcome> {
  const { name } = metric;
  const resolved = await ctx.templateProvider(metric, templateName);
  if (isFailure(resolved)) return failed(name, 'template', resolved);
  let query: string;
  try {
    query = renderQuery(resolved.template.spec.query, queryModelFor(ctx.canary, metric));
  } catch (err) {
    return failed(name, 'template', renderFailure(`${resolved.where} query render error: ${errText(err)}`));
  }
  return queryAndJudge(ctx, { metric, source: 'template', provider: resolved.provider, query }, (err) =>
    err.kind === 'no-data'
      ? `Halt advancement no values found for custom metric: ${name}: ${err.message}`
      : `Metric query failed for ${name}: ${err.message}`,
  );
}

interface CustomQuery {
  readonly metric: CanaryMetric;
  readonly source: Source;
  readonly provider: MetricProvider;
  readonly query: string;
}

/** Inline and template metrics: run, then apply the 'custom' threshold rules. */
async function queryAndJudge(
  ctx: RunContext,
  q: CustomQuery,
  describe: (err: ProviderError) => string,
): Promise<MetricCheckOutcome> {
  const result = await ctx.measure(q.provider, q.query);
  if (result instanceof ProviderError) {
    return failed(q.metric.name, q.source, providerFailure(result, describe(result)), q.query);
  }
  return judged(q.metric.name, q.source, q.query, result, judge('custom', q.metric, result, ctx.ref));
}

/** Builtin checks apply to a builtin name without a templateRef (see runMetricChecks). */
export const usesBuiltinQuery = (m: CanaryMetric): boolean =>
  isBuiltinMetric(m.name) && m.templateRef === undefined;

/**
 * Runs the canary's metric checks in Flagger's order — builtin and inline-query metrics
 * first, then template metrics — and stops at the first failure, as Flagger does.
 * Returns an outcome for every metric evaluated; the run passed iff all of them passed
 * (an empty list passes: a canary without metrics is not held back).
 *
 * A builtin name with a templateRef runs as a template only: Flagger would also run the
 * builtin query for it, against a server the template may not be meant for.
 * A metric with both `query` and `templateRef` runs both, as in Flagger.
 */
export async function runMetricChecks(canary: Canary, deps: MetricCheckDeps): Promise<MetricCheckOutcome[]> {
  const ctx = new RunContext(canary, deps);
  const metrics = canary.spec.analysis.metrics ?? [];
  const outcomes: MetricCheckOutcome[] = [];
  const ok = (o: MetricCheckOutcome): boolean => {
    outcomes.push(o);
    return o.passed;
  };
  for (const m of metrics) {
    if (usesBuiltinQuery(m) && !ok(await builtinCheck(ctx, m))) return outcomes;
    if (m.query && !ok(await inlineCheck(ctx, m, m.query))) return outcomes;
  }
  for (const m of metrics) {
    if (m.templateRef) {
      if (!ok(await templateCheck(ctx, m, m.templateRef.name))) return outcomes;
    } else if (!isBuiltinMetric(m.name) && !m.query) {
      const message = `Metric query failed for ${m.name}: no usable metrics template and query were configured`;
      ok(failed(m.name, 'template', configFailure(message)));
      return outcomes;
    }
  }
  return outcomes;
}

export const allPassed = (outcomes: readonly MetricCheckOutcome[]): boolean =>
  outcomes.every((o) => o.passed);
