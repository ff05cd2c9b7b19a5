// A Canary the operator cannot act on (schema-valid for the API server, but not for
// flagger-ts, or pointing at something unusable) gets Validated=False with a message
// naming the field, and one Warning Event per distinct problem: never a crash loop.
import { CANARY_PHASES, type CanaryCondition, type CanaryPhase } from '../api/status.js';
import { buildConditions, toIso } from '../core/index.js';
import { isRecord } from '../kube/json.js';
import type { KubeObject } from '../kube/types.js';
import type { ControllerDeps } from './context.js';
import { writeStatus } from './status-writer.js';

function rawStatus(raw: KubeObject): Record<string, unknown> {
  return isRecord(raw['status']) ? raw['status'] : {};
}

function rawConditions(status: Record<string, unknown>): CanaryCondition[] {
  const list = Array.isArray(status['conditions']) ? status['conditions'] : [];
  return list.filter(isRecord).map((c) => ({
    type: typeof c['type'] === 'string' ? c['type'] : '',
    status: c['status'] === 'True' || c['status'] === 'False' ? c['status'] : 'Unknown',
    reason: typeof c['reason'] === 'string' ? c['reason'] : '',
    message: typeof c['message'] === 'string' ? c['message'] : '',
    lastUpdateTime: typeof c['lastUpdateTime'] === 'string' ? c['lastUpdateTime'] : '',
    lastTransitionTime: typeof c['lastTransitionTime'] === 'string' ? c['lastTransitionTime'] : '',
  }));
}

export async function reportInvalidSpec(
  deps: ControllerDeps,
  raw: KubeObject,
  message: string,
): Promise<KubeObject | undefined> {
  const status = rawStatus(raw);
  const previous = rawConditions(status);
  const already = previous.some(
    (c) => c.type === 'Validated' && c.status === 'False' && c.message === message,
  );
  const stored = CANARY_PHASES.find((p) => p === status['phase']);
  const phase: CanaryPhase = stored === undefined || stored === '' ? 'Initializing' : stored;
  const conditions = buildConditions(previous, phase, 'Deployment', toIso(deps.now()), { message });
  const written = await writeStatus(deps.client, raw, {
    ...status,
    phase,
    conditions,
    ...(raw.metadata.generation === undefined ? {} : { observedGeneration: raw.metadata.generation }),
  });
  if (!already) {
    await deps.events.emitRaw(raw, { type: 'Warning', reason: 'InvalidSpec', message });
  }
  return written;
}
