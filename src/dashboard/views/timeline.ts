// The story of a canary from its Kubernetes Events: which run is current, the weight
// reached at each step, the gates and webhooks on the way, and how earlier runs ended.
// Events are what the operator already writes (src/core/effects.ts reasons), so the
// dashboard needs no history store of its own; it sees as far back as the API server
// keeps Events (--event-ttl, one hour by default).
import { isRecord } from '../../kube/json.js';
import type { KubeObject } from '../../kube/types.js';
import type { RunSummary, TimelineEntry, WeightPoint } from './types.js';

/** The reason of the audit Event the dashboard writes for every human action. */
export const AUDIT_REASON = 'UserActionRequested';

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

const CATEGORY: Readonly<Record<string, TimelineEntry['category']>> = {
  WeightAdvanced: 'weight',
  PrimaryWeightAdvanced: 'weight',
  IterationAdvanced: 'weight',
  TrafficRoutedToCanary: 'weight',
  TrafficRoutedToPrimary: 'weight',
  TrafficMirroringStarted: 'weight',
  WaitingForApproval: 'gate',
  ConfirmRolloutPassed: 'gate',
  WaitingForTrafficIncreaseApproval: 'gate',
  ConfirmTrafficIncreasePassed: 'gate',
  WaitingForPromotionApproval: 'gate',
  ConfirmPromotionPassed: 'gate',
  PreRolloutPassed: 'webhook',
  PreRolloutFailed: 'webhook',
  RolloutCheckFailed: 'webhook',
  RollbackHookPassed: 'webhook',
  RollbackHookNotSignaling: 'webhook',
  MetricCheckFailed: 'metric',
  MetricNoData: 'metric',
  MetricQueryFailed: 'metric',
  ThresholdReached: 'metric',
  NewRevision: 'phase',
  Initialized: 'phase',
  AnalysisStarted: 'phase',
  AnalysisRestarted: 'phase',
  Promoting: 'phase',
  Promoted: 'phase',
  CanaryFailed: 'phase',
  ProgressDeadlineExceeded: 'phase',
  ManualPromotion: 'user',
  ManualRollback: 'user',
  ManualRetry: 'user',
  UserRequestRejected: 'user',
  [AUDIT_REASON]: 'user',
};

/** Reasons that start a new analysis run. */
const RUN_START = new Set(['NewRevision', 'ManualRetry', 'AnalysisRestarted']);

function timeOf(e: KubeObject): string {
  return str(e['lastTimestamp']) || str(e['eventTime']) || str(e['firstTimestamp']);
}

function firstTimeOf(e: KubeObject): string {
  return str(e['firstTimestamp']) || str(e['eventTime']) || str(e['lastTimestamp']);
}

/** Events about the Canary `name`, as timeline entries, oldest first. */
export function eventEntries(events: readonly KubeObject[], name: string): TimelineEntry[] {
  return events
    .filter((e) => {
      const io = e['involvedObject'];
      return isRecord(io) && io['kind'] === 'Canary' && io['name'] === name;
    })
    .map((e) => {
      const reason = str(e['reason']);
      return {
        // A folded event (count > 1) is placed where it first happened: that is the step.
        time: firstTimeOf(e),
        category: CATEGORY[reason] ?? 'other',
        type: str(e['type']),
        reason,
        message: str(e['message']),
        count: typeof e['count'] === 'number' ? e['count'] : 1,
      };
    })
    .sort((a, b) => a.time.localeCompare(b.time));
}

/** Latest time an event was seen (for folded events), used to order the raw Event list. */
export const lastSeen = timeOf;

/** The entries of the current (latest) run: from its last start on. */
export function currentRun(entries: readonly TimelineEntry[]): TimelineEntry[] {
  let start = 0;
  entries.forEach((e, i) => {
    if (RUN_START.has(e.reason)) start = i;
  });
  return entries.slice(start);
}

const weightIn = (message: string): number | undefined => {
  const m = /weight (\d+)/.exec(message);
  return m?.[1] === undefined ? undefined : Number(m[1]);
};

/** The canary weight step by step: each advance Event, then the weight the status shows now. */
export function weightSteps(run: readonly TimelineEntry[], now: WeightPoint | undefined): WeightPoint[] {
  const points: WeightPoint[] = [];
  for (const e of run) {
    if (e.reason === 'WeightAdvanced') {
      const w = weightIn(e.message);
      if (w !== undefined) points.push({ time: e.time, weight: w });
    } else if (e.reason === 'NewRevision' || e.reason === 'AnalysisStarted') {
      if (points.length === 0) points.push({ time: e.time, weight: 0 });
    } else if (
      e.reason === 'Promoted' ||
      e.reason === 'CanaryFailed' ||
      e.reason === 'TrafficRoutedToPrimary'
    ) {
      points.push({ time: e.time, weight: 0 });
    }
  }
  const last = points[points.length - 1];
  if (now !== undefined && (last === undefined || last.weight !== now.weight)) points.push(now);
  return points;
}

/** Every run seen in the Events, newest first, with how it ended. */
export function runs(entries: readonly TimelineEntry[]): RunSummary[] {
  const out: RunSummary[] = [];
  let cur:
    { start: string; end: string; peak: number; outcome: RunSummary['outcome']; reason: string } | undefined;
  const close = (): void => {
    if (cur !== undefined)
      out.push({
        start: cur.start,
        end: cur.end,
        outcome: cur.outcome,
        peakWeight: cur.peak,
        reason: cur.reason,
      });
  };
  for (const e of entries) {
    if (RUN_START.has(e.reason)) {
      close();
      cur = { start: e.time, end: '', peak: 0, outcome: 'running', reason: e.message };
      continue;
    }
    if (cur === undefined) continue;
    const w = e.category === 'weight' ? weightIn(e.message) : undefined;
    if (w !== undefined && e.reason === 'WeightAdvanced') cur.peak = Math.max(cur.peak, w);
    if (e.reason === 'Promoted') Object.assign(cur, { outcome: 'Succeeded', end: e.time, reason: e.message });
    if (e.reason === 'CanaryFailed') Object.assign(cur, { outcome: 'Failed', end: e.time });
    if (
      e.reason === 'ThresholdReached' ||
      e.reason === 'ManualRollback' ||
      e.reason === 'ProgressDeadlineExceeded'
    )
      cur.reason = e.message;
  }
  close();
  return out.reverse();
}
