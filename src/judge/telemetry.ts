// The judge's numbers on /metrics: p-values and effects per window, and the verdict, per metric.
import type { Canary } from '../api/canary.js';
import type { MetricOutcome } from '../core/snapshot.js';
import type { OperatorMetrics } from '../telemetry/metrics.js';
import { VERDICTS } from '../api/judge.js';

export function recordJudgeMetrics(
  m: Pick<OperatorMetrics, 'judgePValue' | 'judgeEffect' | 'judgeVerdict'>,
  canary: Canary,
  outcomes: readonly MetricOutcome[],
): void {
  const base = { name: canary.metadata.name, namespace: canary.metadata.namespace ?? '' };
  for (const o of outcomes) {
    if (o.judge === undefined) continue;
    const labels = { ...base, metric: o.name };
    for (const v of VERDICTS) m.judgeVerdict.set({ ...labels, verdict: v }, o.judge.verdict === v ? 1 : 0);
    for (const w of o.judge.evidence.windows) {
      for (const t of w.tests ?? []) {
        if (t.pvalue !== undefined)
          m.judgePValue.set({ ...labels, test: t.test, window: w.window }, t.pvalue);
      }
      for (const e of w.effects ?? []) {
        if (e.value !== undefined)
          m.judgeEffect.set({ ...labels, measure: e.measure, window: w.window }, e.value);
      }
    }
  }
}
