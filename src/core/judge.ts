// Judged metrics inside the analysis (docs/judge.md): the shell's judge result arrives as an
// observation on the metric outcome. fail → a failed check like a breached threshold; wait → hold
// the weight, nothing counted; inconclusive → hold and wait for `flagger-ts promote|abort`, up to
// analysis.baseline.inconclusiveTimeout (1h), then fail the run; dry-run → recorded, never acted on.
import { parseDurationMs } from '../api/defaults.js';
import { analysisBaseline, type CheckJudge } from '../api/judge.js';
import type { MetricOutcome } from './snapshot.js';
import type { Tick } from './tick.js';

export interface JudgeObservation {
  readonly verdict: 'pass' | 'fail' | 'inconclusive' | 'wait';
  readonly dryRun: boolean;
  readonly evidence: CheckJudge;
}

export const DEFAULT_INCONCLUSIVE_TIMEOUT_MS = 3_600_000;

/** What the analysis does after all judged outcomes of this tick. */
export type JudgeEffect = 'continue' | 'hold' | 'fail';

export function inconclusiveTimeoutMs(t: Tick): number {
  const raw = analysisBaseline(t.c.spec.analysis)?.inconclusiveTimeout;
  return (raw === undefined ? undefined : parseDurationMs(raw)) ?? DEFAULT_INCONCLUSIVE_TIMEOUT_MS;
}

/**
 * Folds this tick's judged outcomes (those with a `judge`) into one effect. A failed verdict is
 * handled by the caller like any failed metric; here: waiting and inconclusive holds.
 */
export function judgeHold(t: Tick, outcomes: readonly MetricOutcome[]): JudgeEffect {
  const active = outcomes.filter((o) => o.judge !== undefined && !o.judge.dryRun);
  const inconclusive = active.filter((o) => o.judge?.verdict === 'inconclusive');
  const waiting = active.filter((o) => o.judge?.verdict === 'wait');
  if (inconclusive.length === 0) {
    t.draft.inconclusive = undefined;
    if (waiting.length === 0) return 'continue';
    t.info(
      'JudgeWaiting',
      `Holding weight ${t.draft.canaryWeight}: ${waiting.map((o) => o.message).join('; ')}`,
    );
    return 'hold';
  }
  const message = `Judge inconclusive, waiting for flagger-ts promote or abort: ${inconclusive.map((o) => o.message).join('; ')}`;
  const first = t.draft.inconclusive === undefined;
  const since = t.draft.inconclusive?.since ?? t.nowIso;
  t.draft.inconclusive = { since, message };
  if (first) {
    t.warn('JudgeInconclusive', message);
    t.alert('warn', message);
  }
  const waitedMs = t.s.now - Date.parse(since);
  if (waitedMs >= inconclusiveTimeoutMs(t)) {
    t.warn(
      'JudgeInconclusiveTimeout',
      `No decision within ${Math.round(waitedMs / 1000)}s; failing the analysis`,
    );
    t.draft.inconclusive = undefined;
    return 'fail';
  }
  return 'hold';
}
