// The canary phases and the transitions the decision core may make between them.
// Flagger encodes its transitions as scattered `if`s; here they are one table that
// decide() asserts against and a test enumerates.
import type { CanaryPhase } from '../api/status.js';

export type Phase = CanaryPhase;

/**
 * Every phase change the core may produce. Staying in the same phase is always allowed
 * and not listed. Terminating/Terminated belong to the shell's finalizer, so the core
 * never enters or leaves them.
 */
export const TRANSITIONS: Readonly<Record<Phase, readonly Phase[]>> = {
  // '' is a canary the operator has never written status for.
  '': ['Initializing', 'Initialized', 'Failed'],
  Initializing: ['Initialized', 'Failed'],
  Initialized: ['Waiting', 'Progressing', 'Failed'],
  Waiting: ['Progressing', 'Failed'],
  Progressing: ['WaitingPromotion', 'Promoting', 'Succeeded', 'Failed'],
  // A new revision while waiting for promotion restarts the analysis (Progressing).
  WaitingPromotion: ['Progressing', 'Promoting', 'Succeeded', 'Failed'],
  Promoting: ['Finalising', 'Succeeded', 'Failed'],
  Finalising: ['Succeeded', 'Failed'],
  Succeeded: ['Waiting', 'Progressing', 'Failed'],
  Failed: ['Waiting', 'Progressing'],
  Terminating: [],
  Terminated: [],
};

export function canTransition(from: Phase, to: Phase): boolean {
  return from === to || TRANSITIONS[from].includes(to);
}

/** Thrown when the core itself would make an illegal move: a bug, never user error. */
export class IllegalTransitionError extends Error {
  override readonly name = 'IllegalTransitionError';
  readonly from: Phase;
  readonly to: Phase;
  constructor(from: Phase, to: Phase) {
    super(`illegal canary phase transition ${from || '""'} -> ${to || '""'}`);
    this.from = from;
    this.to = to;
  }
}

export function assertTransition(from: Phase, to: Phase): void {
  if (!canTransition(from, to)) throw new IllegalTransitionError(from, to);
}

/** Phases in which a rollout is under way: ticks run every analysis interval. */
const ACTIVE: readonly Phase[] = ['Waiting', 'Progressing', 'WaitingPromotion', 'Promoting', 'Finalising'];
export const isActive = (p: Phase): boolean => ACTIVE.includes(p);

/** Flagger's `shouldAdvance` list: phases that continue even without a new revision. */
export const isInitializing = (p: Phase): boolean => p === '' || p === 'Initializing';

/** Phases that checkCanaryStatus lets through; every other phase must pass confirm-rollout first. */
const ANALYSING: readonly Phase[] = ['Progressing', 'WaitingPromotion', 'Promoting', 'Finalising'];
export const isAnalysing = (p: Phase): boolean => ANALYSING.includes(p);

/** Phases in which the analysis proper (threshold, hooks, metrics, strategy) runs. */
export const isRunningAnalysis = (p: Phase): boolean => p === 'Progressing' || p === 'WaitingPromotion';

/** The shell's finalizer owns these phases; the core leaves such a canary alone. */
export const isTerminating = (p: Phase): boolean => p === 'Terminating' || p === 'Terminated';

/** flagger_canary_status gauge: 0 Progressing, 2 Failed, 1 anything else (Flagger's encoding). */
export function statusGaugeValue(p: Phase): 0 | 1 | 2 {
  if (p === 'Progressing') return 0;
  return p === 'Failed' ? 2 : 1;
}
