// Requests a person makes with `flagger-ts promote|abort|retry`. The shell reads the
// request from where the CLI left it and puts it in the snapshot; this file decides
// whether it applies now, acts on it inside the tick, and says in the decision whether
// it was applied or rejected so the shell can acknowledge it exactly once.
import type { CanaryPhase } from '../api/status.js';
import { canaryRef } from './events.js';
import { startPromotion } from './promotion.js';
import { rollback } from './rollback.js';
import type { Tick } from './tick.js';

export type UserAction = 'promote' | 'abort' | 'retry';
export const USER_ACTIONS: readonly UserAction[] = ['promote', 'abort', 'retry'];

export interface UserRequest {
  /** Unique per request; the acknowledgement names it, so a new request is never mistaken for an old one. */
  readonly id: string;
  readonly action: UserAction;
  /**
   * status.lastAppliedSpec the user saw when asking; '' = whatever runs now. A request
   * made for one revision must not act on the next one.
   */
  readonly revision: string;
}

export interface UserRequestAck {
  readonly id: string;
  readonly action: UserAction;
  readonly outcome: 'applied' | 'rejected';
  readonly message: string;
}

/** Phases in which each action can take effect. */
const APPLIES_IN: Readonly<Record<UserAction, readonly CanaryPhase[]>> = {
  // Like a rollback webhook (Progressing/WaitingPromotion), plus Waiting: a run held at
  // confirm-rollout can be abandoned too.
  abort: ['Waiting', 'Progressing', 'WaitingPromotion'],
  // Like an open confirm-promotion gate reached early: only while the analysis runs.
  promote: ['Progressing', 'WaitingPromotion'],
  retry: ['Failed'],
};

const WHY_NOT: Readonly<Record<UserAction, string>> = {
  abort: 'only a rollout in Waiting, Progressing or WaitingPromotion can be aborted',
  promote: 'only a rollout in Progressing or WaitingPromotion can be promoted',
  retry: 'only a Failed canary can be retried',
};

export type UserVerdict =
  | { readonly kind: 'none' }
  | { readonly kind: 'act'; readonly request: UserRequest }
  | { readonly kind: 'reject'; readonly request: UserRequest; readonly message: string };

/**
 * Whether `request` can act on a canary in `phase` running `revision`. Pure and shared
 * with the CLI, which checks before writing the request so the user hears at once.
 */
export function judgeUserRequest(
  request: UserRequest | undefined,
  phase: CanaryPhase,
  revision: string | undefined,
  suspended: boolean,
): UserVerdict {
  if (request === undefined) return { kind: 'none' };
  const reject = (message: string): UserVerdict => ({ kind: 'reject', request, message });
  if (suspended) return reject(`cannot ${request.action}: the canary is suspended (spec.suspend)`);
  if (request.revision !== '' && request.revision !== (revision ?? '')) {
    return reject(
      `cannot ${request.action}: the request was for revision ${request.revision}, the canary is now at ${revision ?? '(none)'}`,
    );
  }
  if (!APPLIES_IN[request.action].includes(phase)) {
    return reject(
      `cannot ${request.action}: the canary is ${phase || 'not initialized'}; ${WHY_NOT[request.action]}`,
    );
  }
  return { kind: 'act', request };
}

/** The verdict for this tick's snapshot. */
export function userVerdict(t: Tick): UserVerdict {
  return judgeUserRequest(
    t.s.userRequest,
    t.before.phase,
    t.before.lastAppliedSpec,
    t.c.spec.suspend === true,
  );
}

/** A rejected request: tell the user why (Event) and acknowledge it. */
export function rejectUserRequest(t: Tick, v: Extract<UserVerdict, { kind: 'reject' }>): void {
  t.warn('UserRequestRejected', v.message);
  t.userAck = { id: v.request.id, action: v.request.action, outcome: 'rejected', message: v.message };
}

/**
 * Acts on an applicable request, after initialization and before shouldAdvance. Returns
 * false when the tick must end here (abort and promote). A retry only opens the way:
 * the tick then runs as for a new revision, through confirm-rollout, and counts as
 * applied once the canary has left Failed (see settleRetry).
 */
export function applyUserRequest(t: Tick, v: Extract<UserVerdict, { kind: 'act' }>): boolean {
  const { request } = v;
  const ack = (message: string): void => {
    t.userAck = { id: request.id, action: request.action, outcome: 'applied', message };
  };
  switch (request.action) {
    case 'abort':
      t.warn('ManualRollback', `Rolling back ${canaryRef(t.c)}: aborted by a user`);
      t.alert('warn', 'Rolling back: aborted by a user');
      rollback(t);
      ack(`rolled back ${t.c.metadata.name}; all traffic is on the primary`);
      return false;
    case 'promote':
      t.info(
        'ManualPromotion',
        `Promotion of ${canaryRef(t.c)} requested by a user; skipping the rest of the analysis`,
      );
      startPromotion(t);
      ack(`promoting ${t.c.metadata.name}: copying the canary spec to the primary`);
      return false;
    case 'retry':
      t.retrying = true;
      return true;
  }
}

/** At the end of a retrying tick: applied once the run restarted (Progressing or Waiting). */
export function settleRetry(t: Tick): void {
  const request = t.s.userRequest;
  if (!t.retrying || request === undefined || t.phase === 'Failed') return;
  t.info('ManualRetry', `Analysis of ${canaryRef(t.c)} restarted by a user for the same revision`);
  t.userAck = {
    id: request.id,
    action: 'retry',
    outcome: 'applied',
    message: `analysis restarted; the canary is ${t.phase}`,
  };
}
