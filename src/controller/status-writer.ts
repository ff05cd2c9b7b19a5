// Writes a Canary's status once per reconcile, as a JSON merge patch of exactly what
// changed (null removes a field), and skips the API call when nothing changed.
import type { KubeClient } from '../kube/client.js';
import { deepEqual, isRecord } from '../kube/json.js';
import type { KubeObject } from '../kube/types.js';

/** RFC 7386 patch that turns `from` into `to` (arrays are replaced whole). */
export function createMergePatch(from: unknown, to: unknown): unknown {
  if (!isRecord(from) || !isRecord(to)) return to;
  const patch: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(from), ...Object.keys(to)])) {
    const [a, b] = [from[key], to[key]];
    if (b === undefined) {
      if (a !== undefined) patch[key] = null;
    } else if (!deepEqual(a, b)) {
      patch[key] = isRecord(a) && isRecord(b) ? createMergePatch(a, b) : b;
    }
  }
  return patch;
}

const CONDITION_TIMES = ['lastUpdateTime', 'lastTransitionTime'] as const;

/**
 * The status as it may be sent. Conditions are parsed with '' for a missing time (so the core
 * compares them without undefined checks), but the CRD types those fields date-time: a condition
 * another controller wrote without times would come back as "" and fail every status write with
 * a 422, leaving the canary stuck. A time we did not have is left out again.
 */
export function sendableStatus(next: unknown): unknown {
  const status = JSON.parse(JSON.stringify(next)) as unknown;
  if (!isRecord(status) || !Array.isArray(status['conditions'])) return status;
  const conditions: unknown[] = status['conditions'];
  const emptyTime = ([k, v]: [string, unknown]): boolean =>
    v === '' && (CONDITION_TIMES as readonly string[]).includes(k);
  status['conditions'] = conditions.map((c) =>
    isRecord(c) ? Object.fromEntries(Object.entries(c).filter((e) => !emptyTime(e))) : c,
  );
  return status;
}

export async function writeStatus(
  client: KubeClient,
  canary: KubeObject,
  next: unknown,
  signal?: AbortSignal,
): Promise<KubeObject | undefined> {
  const current = canary['status'] ?? {};
  const patch = createMergePatch(current, sendableStatus(next));
  if (isRecord(patch) && Object.keys(patch).length === 0) return undefined;
  const ref = {
    apiVersion: canary.apiVersion,
    kind: canary.kind,
    namespace: canary.metadata.namespace ?? '',
    name: canary.metadata.name,
  };
  return client.patchStatus(ref, patch, { signal });
}

/** Status fields flagger-ts adds to Flagger's schema. An API server still serving Flagger's CRD prunes them. */
const OWN_STATUS_FIELDS = ['observedGeneration', 'lastAnalysisTime', 'checks'] as const;

/**
 * The fields of ours that a status write sent and the stored object does not have: the
 * Canary CRD installed is Flagger's (helm does not upgrade CRDs), not flagger-ts's.
 */
export function prunedStatusFields(sent: unknown, written: KubeObject | undefined): string[] {
  if (written === undefined || !isRecord(sent)) return [];
  const stored = isRecord(written['status']) ? written['status'] : {};
  return OWN_STATUS_FIELDS.filter(
    (f) => sent[f] !== undefined && sent[f] !== null && stored[f] === undefined,
  );
}
