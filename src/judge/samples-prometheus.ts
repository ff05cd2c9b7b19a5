// Samples for the judge from Prometheus, through the Prometheus provider's own HTTP plumbing
// (address, auth, TLS, timeout, error mapping: PrometheusProvider.apiGet).
//
// - latency: a range query over the window at `step`; every finite point of every series is one
//   sample (e.g. per-pod p99 every 10 s).
// - errors: two instant queries at the window's end, the bad-event count (`query`) and the request
//   count (`requestsQuery`); every series is summed. An absent error series with requests present
//   is 0 errors: counters that never fired are often not exported at all.
// - histogram: one instant query returning cumulative bucket counts labelled `le`; series with
//   the same `le` (e.g. several pods) are summed.
import { z } from 'zod';
import type { JudgeKind } from '../api/judge.js';
import type { PrometheusProvider } from '../metrics/providers/prometheus.js';
import type { Bucket, CohortData } from './types.js';

const Labels = z.record(z.string(), z.string()).optional();
const Point = z.tuple([z.number(), z.string()]);
const Matrix = z.object({
  resultType: z.literal('matrix'),
  result: z.array(z.object({ metric: Labels, values: z.array(Point) })),
});
const Vector = z.object({
  resultType: z.literal('vector'),
  result: z.array(z.object({ metric: Labels, value: Point })),
});

export interface SampleWindow {
  /** Epoch seconds. */
  readonly start: number;
  readonly end: number;
  readonly stepSeconds: number;
}

export interface CohortQuery {
  readonly kind: JudgeKind;
  readonly query: string;
  readonly requestsQuery?: string | undefined;
  /** The cohort's share of traffic, for count tests without request totals. */
  readonly exposure: number;
}

/** Prometheus's float text: "+Inf", "-Inf", "NaN" included. */
function sampleValue(raw: string): number {
  if (/^\+?inf$/i.test(raw)) return Infinity;
  if (/^-inf$/i.test(raw)) return -Infinity;
  return Number(raw);
}

async function vector(p: PrometheusProvider, query: string, at: number, signal?: AbortSignal) {
  const data = Vector.safeParse(await p.apiGet('query', { query, time: String(at) }, signal));
  if (!data.success) throw new Error(`judge: "${query}" did not return an instant vector`);
  return data.data.result;
}

async function latency(
  p: PrometheusProvider,
  q: CohortQuery,
  w: SampleWindow,
  signal?: AbortSignal,
): Promise<CohortData> {
  const params = { query: q.query, start: String(w.start), end: String(w.end), step: `${w.stepSeconds}s` };
  const data = Matrix.safeParse(await p.apiGet('query_range', params, signal));
  if (!data.success) throw new Error(`judge: "${q.query}" did not return a range (matrix) result`);
  const values = data.data.result
    .flatMap((s) => s.values.map(([, v]) => sampleValue(v)))
    .filter(Number.isFinite);
  return values.length === 0 ? { kind: 'none' } : { kind: 'values', values };
}

async function errors(
  p: PrometheusProvider,
  q: CohortQuery,
  w: SampleWindow,
  signal?: AbortSignal,
): Promise<CohortData> {
  const sum = (r: { value: [number, string] }[]): number =>
    r.reduce((s, x) => s + (Number.isFinite(sampleValue(x.value[1])) ? sampleValue(x.value[1]) : 0), 0);
  const bad = await vector(p, q.query, w.end, signal);
  if (q.requestsQuery === undefined) {
    return bad.length === 0
      ? { kind: 'none' }
      : { kind: 'counts', events: Math.round(sum(bad)), exposure: q.exposure };
  }
  const all = await vector(p, q.requestsQuery, w.end, signal);
  if (all.length === 0) return { kind: 'none' };
  // increase() extrapolates, so counts arrive as floats; the tests need whole events.
  const total = Math.round(sum(all));
  return { kind: 'counts', events: Math.min(total, Math.round(sum(bad))), total, exposure: q.exposure };
}

async function histogram(
  p: PrometheusProvider,
  q: CohortQuery,
  w: SampleWindow,
  signal?: AbortSignal,
): Promise<CohortData> {
  const byLe = new Map<number, number>();
  for (const s of await vector(p, q.query, w.end, signal)) {
    const le = s.metric?.['le'];
    if (le === undefined)
      throw new Error(`judge: histogram query "${q.query}" returned a series without "le"`);
    const v = sampleValue(s.value[1]);
    if (Number.isFinite(v)) byLe.set(sampleValue(le), (byLe.get(sampleValue(le)) ?? 0) + Math.round(v));
  }
  if (byLe.size === 0) return { kind: 'none' };
  const buckets: Bucket[] = [...byLe.entries()]
    .sort(([a], [b]) => a - b)
    .map(([le, count]) => ({ le, count }));
  return { kind: 'histogram', buckets };
}

/** One cohort's data for one metric over one window. Provider errors propagate to the caller. */
export function fetchCohort(
  p: PrometheusProvider,
  q: CohortQuery,
  w: SampleWindow,
  signal?: AbortSignal,
): Promise<CohortData> {
  switch (q.kind) {
    case 'latency':
      return latency(p, q, w, signal);
    case 'errors':
      return errors(p, q, w, signal);
    case 'histogram':
      return histogram(p, q, w, signal);
  }
}
