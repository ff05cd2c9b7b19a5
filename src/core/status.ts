// The part of Canary.status the state machine reads and writes, and how the full next
// status is assembled from it. Flagger's fields keep their meaning; conditions,
// observedGeneration, checks and lastAnalysisTime are derived here.
import type { CanaryPhase, CanaryStatus, CheckRecord } from '../api/status.js';
import { appendChecks } from '../api/status.js';
import { buildConditions, type SpecProblem } from './conditions.js';
import { inconclusiveOf, withInconclusive, type InconclusiveHold } from './judge-condition.js';

export interface StatusDraft {
  phase: CanaryPhase;
  canaryWeight: number;
  failedChecks: number;
  iterations: number;
  lastAppliedSpec: string | undefined;
  lastPromotedSpec: string | undefined;
  trackedConfigs: Record<string, string> | undefined;
  /** Session-affinity cookies (strategies/session-affinity.ts decides them, the router renders them). */
  sessionAffinityCookie: string | undefined;
  primarySessionAffinityCookie: string | undefined;
  previousSessionAffinityCookie: string | undefined;
  /** flagger-ts: a statistical judge could not decide; the weight holds (judge-condition.ts). */
  inconclusive: InconclusiveHold | undefined;
}

export function draftOf(status: CanaryStatus | undefined): StatusDraft {
  return {
    phase: status?.phase ?? '',
    canaryWeight: status?.canaryWeight ?? 0,
    failedChecks: status?.failedChecks ?? 0,
    iterations: status?.iterations ?? 0,
    lastAppliedSpec: status?.lastAppliedSpec || undefined,
    lastPromotedSpec: status?.lastPromotedSpec || undefined,
    trackedConfigs: status?.trackedConfigs ? { ...status.trackedConfigs } : undefined,
    sessionAffinityCookie: status?.sessionAffinityCookie || undefined,
    primarySessionAffinityCookie: status?.primarySessionAffinityCookie || undefined,
    previousSessionAffinityCookie: status?.previousSessionAffinityCookie || undefined,
    inconclusive: inconclusiveOf(status),
  };
}

function sameConfigs(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  const ka = Object.keys(a ?? {});
  return ka.length === Object.keys(b ?? {}).length && ka.every((k) => a?.[k] === b?.[k]);
}

/** True when the Flagger-visible state differs: what moves lastTransitionTime. */
export function draftChanged(a: StatusDraft, b: StatusDraft): boolean {
  return (
    a.phase !== b.phase ||
    a.canaryWeight !== b.canaryWeight ||
    a.failedChecks !== b.failedChecks ||
    a.iterations !== b.iterations ||
    a.lastAppliedSpec !== b.lastAppliedSpec ||
    a.lastPromotedSpec !== b.lastPromotedSpec ||
    !sameConfigs(a.trackedConfigs, b.trackedConfigs)
  );
}

export interface StatusInputs {
  readonly previous: CanaryStatus | undefined;
  readonly before: StatusDraft;
  readonly draft: StatusDraft;
  readonly kind: string;
  readonly nowIso: string;
  readonly generation: number | undefined;
  readonly checks: readonly CheckRecord[];
  readonly stamped: boolean;
  readonly problem: SpecProblem | undefined;
}

/**
 * The full next status. Unknown fields of the previous status are carried over untouched.
 */
export function buildStatus(i: StatusInputs): CanaryStatus {
  const { draft } = i;
  const prev = i.previous ?? {};
  const changed = i.previous === undefined || draftChanged(i.before, draft);
  const out: CanaryStatus = {
    ...prev,
    phase: draft.phase,
    canaryWeight: draft.canaryWeight,
    failedChecks: draft.failedChecks,
    iterations: draft.iterations,
    conditions: withInconclusive(
      buildConditions(prev.conditions, draft.phase, i.kind, i.nowIso, i.problem),
      draft.inconclusive,
      draft.phase,
      i.nowIso,
    ),
  };
  setOrDelete(out, 'lastAppliedSpec', draft.lastAppliedSpec);
  setOrDelete(out, 'lastPromotedSpec', draft.lastPromotedSpec);
  setOrDelete(out, 'trackedConfigs', draft.trackedConfigs);
  setOrDelete(out, 'sessionAffinityCookie', draft.sessionAffinityCookie);
  setOrDelete(out, 'primarySessionAffinityCookie', draft.primarySessionAffinityCookie);
  setOrDelete(out, 'previousSessionAffinityCookie', draft.previousSessionAffinityCookie);
  setOrDelete(out, 'lastTransitionTime', changed ? i.nowIso : prev.lastTransitionTime);
  setOrDelete(out, 'observedGeneration', i.generation);
  if (i.checks.length > 0) out.checks = appendChecks(prev.checks, i.checks);
  if (i.stamped) out.lastAnalysisTime = i.nowIso;
  return out;
}

type OptionalKey =
  | 'lastAppliedSpec'
  | 'lastPromotedSpec'
  | 'trackedConfigs'
  | 'lastTransitionTime'
  | 'observedGeneration'
  | 'sessionAffinityCookie'
  | 'primarySessionAffinityCookie'
  | 'previousSessionAffinityCookie';

/** exactOptionalPropertyTypes: an absent value must be an absent key, not `undefined`. */
function setOrDelete<K extends OptionalKey>(
  s: CanaryStatus,
  key: K,
  value: CanaryStatus[K] | undefined,
): void {
  if (value === undefined) {
    // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- key is a closed union
    delete s[key];
  } else s[key] = value;
}
