// `flagger-ts simulate` for judged metrics: the scenario scripts each cohort's distribution per
// interval (latency: median, log-spread, samples; errors: error rate, requests), samples are drawn
// from a generator seeded by metric and interval (the same scenario always gives the same run),
// and the real judge decides. Without a script both cohorts are equal (the judge passes them).
import { z } from 'zod';
import type { CanaryMetric } from '../api/canary.js';
import { metricJudge } from '../api/judge.js';
import type { MetricOutcome } from '../core/snapshot.js';
import { toEvidence } from '../judge/evidence.js';
import { judgeMetric } from '../judge/judge.js';
import { Prng } from '../judge/prng.js';
import { judgeSettings } from '../judge/settings.js';
import type { Bucket, CohortData } from '../judge/types.js';

export const CohortScriptSchema = z.strictObject({
  /** latency / histogram: median of the cohort's log-normal samples (histogram: in seconds). */
  median: z.number().positive().optional(),
  /** Log-space standard deviation (default 0.3). */
  sigma: z.number().positive().optional(),
  /** Samples per interval (default 150; histogram: observations, default 2000). */
  samples: z.number().int().positive().max(100_000).optional(),
  /** errors: probability that a request fails, and requests per interval (default 20 000). */
  errorRate: z.number().min(0).max(1).optional(),
  requests: z.number().int().positive().optional(),
});
export type CohortScript = z.infer<typeof CohortScriptSchema>;

export const CohortsSchema = z.strictObject({ baseline: CohortScriptSchema, canary: CohortScriptSchema });
export type Cohorts = z.infer<typeof CohortsSchema>;

const EQUAL: Cohorts = { baseline: {}, canary: {} };
const LES = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, Infinity];

function seed(name: string, interval: number, cohort: string): number {
  let h = 2166136261;
  for (const ch of `${name}/${interval}/${cohort}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  return h >>> 0;
}

function draw(kind: 'latency' | 'errors' | 'histogram', c: CohortScript, rng: Prng): CohortData {
  switch (kind) {
    case 'latency': {
      const n = c.samples ?? 150;
      return {
        kind: 'values',
        values: Array.from({ length: n }, () => rng.lognormal(c.median ?? 100, c.sigma ?? 0.3)),
      };
    }
    case 'errors': {
      const total = c.requests ?? 20_000;
      return { kind: 'counts', events: rng.binomial(total, c.errorRate ?? 0.001), total, exposure: 1 };
    }
    case 'histogram': {
      const counts = LES.map(() => 0);
      for (let i = 0; i < (c.samples ?? 2000); i++) {
        const v = rng.lognormal(c.median ?? 0.1, c.sigma ?? 0.3);
        const k = LES.findIndex((le) => v <= le);
        counts[k] = (counts[k] ?? 0) + 1;
      }
      let cumulative = 0;
      const buckets: Bucket[] = LES.map((le, i) => ({ le, count: (cumulative += counts[i] ?? 0) }));
      return { kind: 'histogram', buckets };
    }
  }
}

/** The outcome of a judged metric at interval n, or undefined for a metric without a judge block. */
export function simulateJudged(
  m: CanaryMetric,
  cohorts: Cohorts | undefined,
  n: number,
): MetricOutcome | undefined {
  const j = metricJudge(m);
  if (j === undefined) return undefined;
  const s = judgeSettings(j);
  const script = cohorts ?? EQUAL;
  const b = draw(s.kind, script.baseline, new Prng(seed(m.name, n, 'baseline')));
  const c = draw(s.kind, script.canary, new Prng(seed(m.name, n, 'canary')));
  const r = judgeMetric(s, b, c);
  const query = (cohort: string) => ({ kind: s.kind, query: `simulated ${cohort}`, exposure: 1 });
  const evidence = toEvidence('interval', r, { canary: query('canary'), baseline: query('baseline') });
  const against = j.against ?? 'baseline';
  return {
    name: m.name,
    passed: s.dryRun || r.verdict !== 'fail',
    message: `${m.name} ${r.verdict}${s.dryRun ? ' (dry run)' : ''} against ${against}: ${r.reason}`,
    judge: {
      verdict: r.verdict,
      dryRun: s.dryRun,
      evidence: { verdict: r.verdict, ...(s.dryRun ? { dryRun: true } : {}), against, windows: [evidence] },
    },
  };
}
