// What the CLI shows about a canary, computed from the Canary object (plus its events
// and pending user request) without any I/O, so rendering is unit-testable.
import type { Canary } from '../../api/canary.js';
import { analysisStrategy, analysisThreshold, maxWeight } from '../../api/defaults.js';
import type { CheckRecord } from '../../api/status.js';
import type { StoredUserRequest } from '../../controller/user-requests.js';
import { isRecord } from '../../kube/json.js';
import type { KubeObject } from '../../kube/types.js';
import { approvalHint, currentRunStart, imagesOf } from './run-view.js';

/** The mesh provider assumed when spec.provider is empty (Flagger's default). */
export const DEFAULT_PROVIDER = 'istio';

export interface Progress {
  readonly value: number;
  readonly max: number;
  /** '%' = canary weight (canary strategy); 'iterations' for A/B and Blue/Green. */
  readonly unit: '%' | 'iterations';
  readonly strategy: string;
}

export function progressOf(c: Canary, provider = DEFAULT_PROVIDER): Progress {
  const s = analysisStrategy(c, provider);
  if (s.strategy === 'canary')
    return { value: c.status?.canaryWeight ?? 0, max: maxWeight(c), unit: '%', strategy: s.strategy };
  return { value: c.status?.iterations ?? 0, max: s.iterations, unit: 'iterations', strategy: s.strategy };
}

export interface CanaryRow {
  readonly namespace: string;
  readonly name: string;
  readonly phase: string;
  readonly weight: number;
  readonly failedChecks: number;
  readonly threshold: number;
  readonly lastTransitionTime: string;
  /** Set when the operator would refuse the spec (Validated=False): why, naming the fields. */
  readonly invalid?: string;
}

/**
 * A row for a canary whose spec the operator refuses: listed and marked (phase `Invalid`), so
 * one bad canary does not hide the others from `status -A`, `-o json` or `watch`.
 */
export function invalidRowOf(obj: KubeObject, reason: string): CanaryRow {
  const status = isRecord(obj['status']) ? obj['status'] : {};
  const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
  return {
    namespace: obj.metadata.namespace ?? '',
    name: obj.metadata.name,
    phase: 'Invalid',
    weight: num(status['canaryWeight']),
    failedChecks: num(status['failedChecks']),
    threshold: 0,
    lastTransitionTime: typeof status['lastTransitionTime'] === 'string' ? status['lastTransitionTime'] : '',
    invalid: reason,
  };
}

export function rowOf(c: Canary): CanaryRow {
  return {
    namespace: c.metadata.namespace ?? '',
    name: c.metadata.name,
    phase: c.status?.phase || 'Pending',
    weight: c.status?.canaryWeight ?? 0,
    failedChecks: c.status?.failedChecks ?? 0,
    threshold: analysisThreshold(c),
    lastTransitionTime: c.status?.lastTransitionTime ?? '',
  };
}

export interface EventView {
  readonly type: string;
  readonly reason: string;
  readonly message: string;
  readonly count: number;
  readonly lastTimestamp: string;
}

export interface ConditionView {
  readonly type: string;
  readonly status: string;
  readonly reason: string;
  readonly message: string;
}

export interface CanaryDetail extends CanaryRow {
  readonly target: string;
  readonly progress: Progress;
  readonly iterations: number;
  readonly revision: string;
  readonly promotedRevision: string;
  readonly conditions: readonly ConditionView[];
  readonly checks: readonly CheckRecord[];
  /** Warning events of the current run only (see run-view.ts). */
  readonly warnings: readonly EventView[];
  /** The user request of the current run, or a pending one; older ones are not shown. */
  readonly userRequest: StoredUserRequest | undefined;
  /** `container=image` lists; '' when the workload could not be read. */
  readonly canaryImages: string;
  readonly primaryImages: string;
  /** How to approve the gate the run waits at, if it does. */
  readonly approvalHint: string | undefined;
}

export interface Workloads {
  readonly target?: unknown;
  readonly primary?: unknown;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Events about this canary, oldest first, from a namespace's Event list. */
export function canaryEvents(events: readonly KubeObject[], name: string): EventView[] {
  return events
    .filter((e) => {
      const io = e['involvedObject'];
      return isRecord(io) && io['kind'] === 'Canary' && io['name'] === name;
    })
    .map((e) => ({
      type: str(e['type']),
      reason: str(e['reason']),
      message: str(e['message']),
      count: typeof e['count'] === 'number' ? e['count'] : 1,
      lastTimestamp: str(e['lastTimestamp']) || str(e['eventTime']) || str(e['firstTimestamp']),
    }))
    .sort((a, b) => a.lastTimestamp.localeCompare(b.lastTimestamp));
}

export function detailOf(
  c: Canary,
  events: readonly EventView[],
  userRequest: StoredUserRequest | undefined,
  workloads: Workloads = {},
  recentWarnings = 5,
): CanaryDetail {
  const t = c.spec.targetRef;
  // Only what happened since the current run started: an earlier run's warnings and
  // requests describe another revision. Pending requests always show.
  const since = currentRunStart(events);
  const inRun = (iso: string): boolean => since === '' || iso >= since;
  const request =
    userRequest !== undefined &&
    (userRequest.ack?.id !== userRequest.request.id || inRun(userRequest.requestedAt))
      ? userRequest
      : undefined;
  return {
    ...rowOf(c),
    target: `${t.kind}/${t.name}`,
    progress: progressOf(c),
    iterations: c.status?.iterations ?? 0,
    revision: c.status?.lastAppliedSpec ?? '',
    promotedRevision: c.status?.lastPromotedSpec ?? '',
    conditions: (c.status?.conditions ?? []).map((x) => ({
      type: x.type,
      status: x.status,
      reason: x.reason,
      message: x.message,
    })),
    checks: c.status?.checks ?? [],
    warnings: events.filter((e) => e.type === 'Warning' && inRun(e.lastTimestamp)).slice(-recentWarnings),
    userRequest: request,
    canaryImages: imagesOf(workloads.target),
    primaryImages: imagesOf(workloads.primary),
    approvalHint: approvalHint(c, events),
  };
}

/** "value 99.5 (min 99)" style threshold text for a check. */
export function thresholdText(r: CheckRecord): string {
  if (r.min !== undefined && r.max !== undefined) return `${r.min}..${r.max}`;
  if (r.min !== undefined) return `>= ${r.min}`;
  if (r.max !== undefined) return `<= ${r.max}`;
  return '-';
}

export function valueText(v: number | undefined): string {
  if (v === undefined) return '-';
  return Number.isInteger(v) ? String(v) : v.toFixed(2);
}
