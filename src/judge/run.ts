// The shell side of a judged metric: resolve its Prometheus provider (inline query → the
// metrics server, templateRef → the MetricTemplate's provider), render the query once per cohort,
// fetch both cohorts over the last interval and over the whole run, judge each window, and hand
// the core one observation with the evidence. Only Prometheus can serve samples.
import type { Canary, CanaryMetric } from '../api/canary.js';
import { parseDurationMs } from '../api/defaults.js';
import { analysisBaseline, metricJudge, type MetricJudge, type WindowEvidence } from '../api/judge.js';
import { effectiveMetricInterval, queryModelFor } from '../metrics/model.js';
import { PrometheusProvider } from '../metrics/providers/prometheus.js';
import { renderQuery } from '../metrics/render.js';
import { errText, isFailure, RunContext, type MetricCheckDeps } from '../metrics/run-context.js';
import type { MetricOutcome } from '../core/snapshot.js';
import { toEvidence } from './evidence.js';
import { judgeMetric } from './judge.js';
import { fetchCohort, type CohortQuery, type SampleWindow } from './samples-prometheus.js';
import { judgeSettings } from './settings.js';
import type { Verdict } from './types.js';
import { baselineWeight } from '../targets/baseline-routes.js';
import { baselineEnabled } from '../targets/baseline.js';

/** The core's metric outcome (core/snapshot.ts), with the judge's observation. */
export type JudgedOutcome = MetricOutcome;

export const DEFAULT_STEP_SECONDS = 10;

/** `baseline` when the canary runs a baseline cohort, else the primary. */
export function comparedAgainst(canary: Canary, j: MetricJudge): 'baseline' | 'primary' {
  return j.against ?? (analysisBaseline(canary.spec.analysis)?.enabled === true ? 'baseline' : 'primary');
}

/** fail > inconclusive > pass > wait: a window with enough evidence outranks one still waiting. */
export function combineWindows(verdicts: readonly Verdict[]): Verdict {
  for (const v of ['fail', 'inconclusive', 'pass'] as const) if (verdicts.includes(v)) return v;
  return 'wait';
}

/** When the run began: the Promoted condition turns Unknown when an analysis starts and stays so. */
function runStartMs(canary: Canary): number | undefined {
  const promoted = canary.status?.conditions?.find((c) => c.type === 'Promoted');
  const t = promoted?.status === 'Unknown' ? Date.parse(promoted.lastTransitionTime) : NaN;
  return Number.isFinite(t) ? t : undefined;
}

async function resolve(
  ctx: RunContext,
  metric: CanaryMetric,
): Promise<{ p: PrometheusProvider; raw: string } | string> {
  if (metric.templateRef !== undefined) {
    const r = await ctx.templateProvider(metric, metric.templateRef.name);
    if (isFailure(r)) return r.message;
    if (!(r.provider instanceof PrometheusProvider)) {
      return `${r.where}: the judge needs samples, which only a prometheus provider serves (got ${r.template.spec.provider.type})`;
    }
    return { p: r.provider, raw: r.template.spec.query };
  }
  if (metric.query === undefined)
    return `metric ${metric.name}: a judged metric needs a query or a templateRef`;
  const p = ctx.builtinProvider();
  if (isFailure(p)) return p.message;
  if (!(p instanceof PrometheusProvider))
    return `metric ${metric.name}: the judge needs a prometheus provider`;
  return { p, raw: metric.query };
}

export async function runJudgedMetric(
  ctx: RunContext,
  metric: CanaryMetric,
  nowMs: number,
): Promise<JudgedOutcome> {
  const j = metricJudge(metric);
  if (j === undefined) throw new Error(`metric ${metric.name} has no judge block`);
  const s = judgeSettings(j);
  const against = comparedAgainst(ctx.canary, j);
  const fail = (message: string): JudgedOutcome =>
    // A dry-run metric never fails the canary, not even when it cannot be evaluated.
    s.dryRun
      ? { name: metric.name, passed: true, message: `dry run: ${message}` }
      : { name: metric.name, passed: false, message, failureKind: 'error' };
  const resolved = await resolve(ctx, metric);
  if (typeof resolved === 'string') return fail(resolved);
  const target = ctx.canary.spec.targetRef.name;
  const model = queryModelFor(ctx.canary, metric);
  // Counts (errors, histogram) are instant queries at the window's end, so for them
  // `{{ interval }}` is the window's length: the run window counts (increase()) over the whole run
  // so far, not over the last interval again. A latency range query keeps the metric's interval
  // inside each point; its window is the range itself.
  const render = (template: string, cohort: 'canary' | 'baseline' | 'primary', interval: string): string =>
    renderQuery(template, {
      ...model,
      interval,
      target: cohort === 'canary' ? target : `${target}-${cohort}`,
      variables: { ...model.variables, cohort },
    });
  const weight = ctx.canary.status?.canaryWeight ?? 0;
  const baselineShare = baselineEnabled(ctx.canary) ? baselineWeight(weight) : 0;
  type Queries = Record<'canary' | 'baseline', CohortQuery>;
  const queriesFor = (interval: string): Queries => {
    const cohort = (c: 'canary' | 'baseline' | 'primary', exposure: number): CohortQuery => ({
      kind: s.kind,
      query: render(resolved.raw, c, interval),
      requestsQuery: j.requestsQuery === undefined ? undefined : render(j.requestsQuery, c, interval),
      exposure,
    });
    return {
      canary: cohort('canary', Math.max(1, weight)),
      // Exposures are the cohorts' traffic shares (targets/baseline-routes.ts has the rule).
      baseline: cohort(
        against,
        Math.max(1, against === 'baseline' ? baselineShare : 100 - weight - baselineShare),
      ),
    };
  };
  const end = nowMs / 1000;
  // Both strings passed the schema's interval pattern; 1m and the default step cover a bad parse.
  const intervalS = (parseDurationMs(effectiveMetricInterval(metric)) ?? 60_000) / 1000;
  const stepS = (parseDurationMs(j.step ?? '') ?? DEFAULT_STEP_SECONDS * 1000) / 1000;
  const windows: { name: 'interval' | 'run'; w: SampleWindow; q: Queries }[] = [];
  try {
    windows.push({
      name: 'interval',
      w: { start: end - intervalS, end, stepSeconds: stepS },
      q: queriesFor(effectiveMetricInterval(metric)),
    });
    const start = runStartMs(ctx.canary);
    if (start !== undefined && start / 1000 < end - intervalS) {
      const runS = Math.ceil(end - start / 1000);
      windows.push({
        name: 'run',
        w: { start: start / 1000, end, stepSeconds: stepS },
        q: queriesFor(s.kind === 'latency' ? effectiveMetricInterval(metric) : `${runS}s`),
      });
    }
  } catch (err) {
    return fail(`Metric ${metric.name} query render error: ${errText(err)}`);
  }
  const queries = windows[0]?.q;
  if (queries === undefined) return fail(`Metric ${metric.name}: no window to judge`);
  let evidence: WindowEvidence[];
  try {
    evidence = await Promise.all(
      windows.map(async ({ name, w, q }) => {
        const [b, c] = await Promise.all([
          fetchCohort(resolved.p, q.baseline, w, ctx.deps.signal),
          fetchCohort(resolved.p, q.canary, w, ctx.deps.signal),
        ]);
        return toEvidence(name, judgeMetric(s, b, c), q);
      }),
    );
  } catch (err) {
    if (ctx.deps.signal?.aborted === true) throw err;
    return fail(`Metric ${metric.name} judge query failed: ${errText(err)}`);
  }
  const verdict = combineWindows(evidence.map((e) => e.verdict));
  const decisive = evidence.find((e) => e.verdict === verdict) ?? evidence[0];
  const message = `${metric.name} ${verdict}${s.dryRun ? ' (dry run)' : ''} against ${against}${decisive ? ` over the ${decisive.window}: ${decisive.reason}` : ''}`;
  return {
    name: metric.name,
    passed: s.dryRun || verdict !== 'fail',
    message,
    query: queries.canary.query,
    judge: {
      verdict,
      dryRun: s.dryRun,
      evidence: { verdict, ...(s.dryRun ? { dryRun: true } : {}), against, windows: evidence },
    },
  };
}

/** Runs the judged metrics in order, each to a verdict (none stops the others: all are evidence). */
export async function runJudgedMetrics(
  canary: Canary,
  metrics: readonly CanaryMetric[],
  deps: MetricCheckDeps,
  nowMs: number,
): Promise<JudgedOutcome[]> {
  const ctx = new RunContext(canary, deps);
  const out: JudgedOutcome[] = [];
  for (const m of metrics) out.push(await runJudgedMetric(ctx, m, nowMs));
  return out;
}
