// The `Inconclusive` condition: while a statistical judge cannot decide (docs/judge.md), the
// canary holds its weight in Progressing and this condition (status True, reason
// WaitingForDecision) says since when and why, for people and for GitOps health checks. It is the
// state's only record, so a restarted operator keeps the same deadline. Pure.
import type { CanaryCondition, CanaryStatus } from '../api/status.js';
import type { CanaryPhase } from '../api/status.js';

export const INCONCLUSIVE = 'Inconclusive';
export const WAITING_FOR_DECISION = 'WaitingForDecision';

export interface InconclusiveHold {
  /** When the judge first came back inconclusive (RFC 3339). */
  readonly since: string;
  readonly message: string;
}

export function inconclusiveOf(status: CanaryStatus | undefined): InconclusiveHold | undefined {
  const c = status?.conditions?.find((x) => x.type === INCONCLUSIVE && x.status === 'True');
  return c === undefined ? undefined : { since: c.lastTransitionTime, message: c.message };
}

/** Replaces any Inconclusive condition by the hold, kept only while the analysis runs. */
export function withInconclusive(
  conditions: CanaryCondition[],
  hold: InconclusiveHold | undefined,
  phase: CanaryPhase,
  nowIso: string,
): CanaryCondition[] {
  const others = conditions.filter((c) => c.type !== INCONCLUSIVE);
  if (hold === undefined || (phase !== 'Progressing' && phase !== 'WaitingPromotion')) return others;
  const previous = conditions.find((c) => c.type === INCONCLUSIVE);
  const unchanged = previous?.status === 'True' && previous.message === hold.message;
  return [
    ...others,
    {
      type: INCONCLUSIVE,
      status: 'True',
      reason: WAITING_FOR_DECISION,
      message: hold.message,
      lastUpdateTime: unchanged ? previous.lastUpdateTime : nowIso,
      lastTransitionTime: hold.since,
    },
  ];
}
