// Status conditions derived from the phase, as Flagger's MakeStatusConditions does:
// a single `Promoted` condition whose reason is the phase. Pure: time is a parameter.
import type { CanaryCondition, CanaryPhase } from '../api/status.js';
import type { ConditionStatus } from '../api/common.js';

export const PROMOTED = 'Promoted';
/** flagger-ts: set (False) by the core for spec problems only it can see; dropped once fixed. */
export const VALIDATED = 'Validated';

interface ConditionText {
  readonly status: ConditionStatus;
  readonly message: string;
}

/** Status and message of the Promoted condition for each phase (§1.2). */
export function promotedText(phase: CanaryPhase, kind: string): ConditionText {
  switch (phase) {
    case 'Initialized':
      return { status: 'True', message: `${kind} initialization completed.` };
    case 'Waiting':
    case 'WaitingPromotion':
      return { status: 'Unknown', message: 'Waiting for approval.' };
    case 'Progressing':
      return { status: 'Unknown', message: 'New revision detected, progressing canary analysis.' };
    case 'Promoting':
      return { status: 'Unknown', message: 'Canary analysis completed, starting primary rolling update.' };
    case 'Finalising':
      return { status: 'Unknown', message: 'Canary analysis completed, routing all traffic to primary.' };
    case 'Succeeded':
      return { status: 'True', message: 'Canary analysis completed successfully, promotion finished.' };
    case 'Failed':
      return { status: 'False', message: `Canary analysis failed, ${kind} scaled to zero.` };
    case '':
    case 'Initializing':
    case 'Terminating':
    case 'Terminated':
      return { status: 'Unknown', message: `New ${kind} detected, starting initialization.` };
  }
}

/**
 * The Promoted condition for `phase`. Rewritten only when status or reason changes;
 * lastTransitionTime is kept while the condition status stays the same, so
 * `kubectl wait --for=condition=promoted` sees one transition per outcome.
 */
export function promotedCondition(
  current: CanaryCondition | undefined,
  phase: CanaryPhase,
  kind: string,
  nowIso: string,
): CanaryCondition {
  const { status, message } = promotedText(phase, kind);
  if (current?.status === status && current.reason === phase) return current;
  const lastTransitionTime = current?.status === status ? current.lastTransitionTime : nowIso;
  return { type: PROMOTED, status, reason: phase, message, lastUpdateTime: nowIso, lastTransitionTime };
}

/** A spec problem the core detected, or undefined when the spec is usable. */
export interface SpecProblem {
  readonly message: string;
}

function validatedCondition(
  current: CanaryCondition | undefined,
  problem: SpecProblem,
  nowIso: string,
): CanaryCondition {
  if (current?.status === 'False' && current.message === problem.message) return current;
  const lastTransitionTime = current?.status === 'False' ? current.lastTransitionTime : nowIso;
  const condition: CanaryCondition = {
    type: VALIDATED,
    status: 'False',
    reason: 'InvalidSpec',
    message: problem.message,
    lastUpdateTime: nowIso,
    lastTransitionTime,
  };
  return condition;
}

/**
 * All conditions for the next status: Promoted from the phase, plus Validated=False while
 * a spec problem exists. Conditions of other types (written by other tools) are kept.
 */
export function buildConditions(
  previous: readonly CanaryCondition[] | undefined,
  phase: CanaryPhase,
  kind: string,
  nowIso: string,
  problem?: SpecProblem,
): CanaryCondition[] {
  const prev = previous ?? [];
  const find = (type: string) => prev.find((c) => c.type === type);
  const others = prev.filter((c) => c.type !== PROMOTED && c.type !== VALIDATED);
  const out = [promotedCondition(find(PROMOTED), phase, kind, nowIso), ...others];
  if (problem !== undefined) out.push(validatedCondition(find(VALIDATED), problem, nowIso));
  return out;
}

/** RFC 3339 at second precision, the way Kubernetes serialises metav1.Time. */
export function toIso(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
