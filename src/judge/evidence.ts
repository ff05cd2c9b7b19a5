// A judge result as recorded in status.checks[].judge: JSON-safe (no ±Infinity or NaN, which
// JSON cannot carry — an absent number means unbounded or undefined) and with the rendered queries.
import type { CohortSummaryRecord, WindowEvidence } from '../api/judge.js';
import type { CohortQuery } from './samples-prometheus.js';
import type { CohortSummary, JudgeResult } from './types.js';

/** {key: v} for a finite v, {} otherwise (exactOptionalPropertyTypes: no `key: undefined`). */
function finite<K extends string>(key: K, v: number | null | undefined): Partial<Record<K, number>> {
  return typeof v === 'number' && Number.isFinite(v) ? ({ [key]: v } as Partial<Record<K, number>>) : {};
}

function cohort(c: CohortSummary, q: CohortQuery): CohortSummaryRecord {
  return {
    n: c.n,
    ...finite('median', c.median),
    ...finite('p90', c.p90),
    ...finite('mean', c.mean),
    ...finite('events', c.events),
    ...finite('total', c.total),
    ...finite('rate', c.rate),
    query: q.query,
    ...(q.requestsQuery === undefined ? {} : { requestsQuery: q.requestsQuery }),
  };
}

export function toEvidence(
  window: 'interval' | 'run',
  r: JudgeResult,
  queries: { readonly canary: CohortQuery; readonly baseline: CohortQuery },
): WindowEvidence {
  return {
    window,
    verdict: r.verdict,
    reason: r.reason,
    tests: r.tests.map((t) => ({
      test: t.test,
      alternative: t.alternative,
      ...finite('statistic', t.statistic),
      ...finite('pvalue', t.pvalue),
    })),
    effects: r.effects.map((e) => ({
      measure: e.measure,
      ...finite('value', e.value),
      ...finite('lower', e.lower),
      ...finite('upper', e.upper),
      ...finite('confidence', e.confidence),
    })),
    baseline: cohort(r.baseline, queries.baseline),
    canary: cohort(r.canary, queries.canary),
  };
}
