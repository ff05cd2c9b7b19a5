// A Canary object as a dashboard list row. Reuses the CLI's canary view (rowOf,
// progressOf, thresholdText) so the dashboard and `flagger-ts status` agree.
import type { Canary } from '../../api/canary.js';
import { validateCanary } from '../../api/validate.js';
import { progressOf, rowOf, thresholdText } from '../../cli/common/canary-view.js';
import { isRecord } from '../../kube/json.js';
import type { KubeObject } from '../../kube/types.js';
import { routerProviders } from '../../routers/registry.js';
import type { LastCheck, ListRow } from './types.js';

/** Parsed with the operator's schema; undefined plus the reason when it would reject it. */
export function parseCanaryObject(obj: KubeObject): { canary: Canary } | { invalid: string } {
  const v = validateCanary(obj, { noCrossNamespaceRefs: false, knownProviders: routerProviders() });
  if (v.ok) return { canary: v.canary };
  return { invalid: v.errors.map((e) => e.message).join('; ') };
}

/** Why a person is needed: the phases in which the operator waits for a gate or a request. */
export function waitingFor(c: Canary): string {
  switch (c.status?.phase) {
    case 'Waiting':
      return 'confirm-rollout: the rollout waits for approval';
    case 'WaitingPromotion':
      return 'confirm-promotion: the promotion waits for approval';
    case 'Failed':
      return 'failed: retry or fix the revision';
    default:
      return '';
  }
}

function lastCheckOf(c: Canary): LastCheck | undefined {
  const checks = c.status?.checks ?? [];
  const last = checks[checks.length - 1];
  if (last === undefined) return undefined;
  return {
    name: last.name,
    passed: last.passed,
    value: last.value,
    threshold: thresholdText(last),
    time: last.time,
  };
}

export function listRow(obj: KubeObject, canAct: boolean): ListRow {
  const parsed = parseCanaryObject(obj);
  if ('invalid' in parsed) {
    const status = isRecord(obj['status']) ? obj['status'] : {};
    return {
      namespace: obj.metadata.namespace ?? '',
      name: obj.metadata.name,
      phase: typeof status['phase'] === 'string' && status['phase'] !== '' ? status['phase'] : 'Pending',
      weight: typeof status['canaryWeight'] === 'number' ? status['canaryWeight'] : 0,
      maxWeight: 100,
      unit: '%',
      failedChecks: 0,
      threshold: 0,
      lastTransitionTime: '',
      lastCheck: undefined,
      waitingFor: '',
      canAct,
      invalid: parsed.invalid,
    };
  }
  const c = parsed.canary;
  const row = rowOf(c);
  const progress = progressOf(c);
  return {
    ...row,
    weight: progress.value,
    maxWeight: progress.max,
    unit: progress.unit,
    lastCheck: lastCheckOf(c),
    waitingFor: waitingFor(c),
    canAct,
    invalid: '',
  };
}

export function sortRows(rows: readonly ListRow[]): ListRow[] {
  return [...rows].sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
}
