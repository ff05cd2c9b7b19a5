// Take-over of a user's pre-existing routing object: the spec it had before Flagger is kept
// in an annotation so finalize (revertOnDeletion) can hand routing back unchanged.

import { isRecord } from '../../kube/json.js';
import type { KubeObject } from '../../kube/types.js';

export const ORIGINAL_CONFIG_ANNOTATION = 'flagger.kubernetes.io/original-configuration';
export const KUBECTL_LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Adds the original-configuration annotation to `next` when `live` is being taken over: it
 * has neither a kubectl last-applied record (which already says what the user wants) nor
 * an earlier saved spec (the first take-over is the one worth remembering).
 */
export function recordOriginalSpec(live: KubeObject, next: KubeObject): void {
  const annotations = live.metadata.annotations ?? {};
  if (
    annotations[KUBECTL_LAST_APPLIED] !== undefined ||
    annotations[ORIGINAL_CONFIG_ANNOTATION] !== undefined
  ) {
    return;
  }
  next.metadata.annotations = {
    ...next.metadata.annotations,
    [ORIGINAL_CONFIG_ANNOTATION]: JSON.stringify(live['spec'] ?? {}),
  };
}

/**
 * The spec to restore on finalize: from kubectl's last-applied object first (it reflects the
 * user's latest apply), then from the saved original. Undefined when neither is usable.
 */
export function originalSpec(live: KubeObject): Record<string, unknown> | undefined {
  const annotations = live.metadata.annotations ?? {};
  const applied = parseJson(annotations[KUBECTL_LAST_APPLIED]);
  if (isRecord(applied) && isRecord(applied['spec'])) return applied['spec'];
  const saved = parseJson(annotations[ORIGINAL_CONFIG_ANNOTATION]);
  return isRecord(saved) ? saved : undefined;
}
