// What belongs to the canary's current run, for `status` and `watch`: when it started (the
// last "New revision detected" event, Flagger's and ours), which gate it waits on and how
// to approve it, and the images the canary and the primary run (hashes alone say nothing).
import type { Canary, CanaryWebhook } from '../../api/canary.js';
import { isRecord } from '../../kube/json.js';
import type { EventView } from './canary-view.js';

/** When the current run began, or '' when no event of its start is kept (events expire). */
export function currentRunStart(events: readonly EventView[]): string {
  const starts = events.filter((e) => e.message.startsWith('New revision detected'));
  return starts.at(-1)?.lastTimestamp ?? '';
}

/** `container=image` of a workload's pod template, comma-separated; '' when unknown. */
export function imagesOf(workload: unknown): string {
  const spec = isRecord(workload) ? workload['spec'] : undefined;
  const template = isRecord(spec) ? spec['template'] : undefined;
  const podSpec = isRecord(template) ? template['spec'] : undefined;
  const containers = isRecord(podSpec) && Array.isArray(podSpec['containers']) ? podSpec['containers'] : [];
  return containers
    .filter(isRecord)
    .map(
      (c) =>
        `${typeof c['name'] === 'string' ? c['name'] : '?'}=${typeof c['image'] === 'string' ? c['image'] : '?'}`,
    )
    .join(', ');
}

const GATE_OF_PHASE: Readonly<Record<string, CanaryWebhook['type']>> = {
  Waiting: 'confirm-rollout',
  WaitingPromotion: 'confirm-promotion',
};

/** The gate webhook the run is held at, if any (Progressing: a traffic-increase gate). */
function waitingGate(c: Canary, events: readonly EventView[]): CanaryWebhook | undefined {
  const phase = c.status?.phase ?? '';
  const hooks = c.spec.analysis.webhooks ?? [];
  const type =
    GATE_OF_PHASE[phase] ??
    (phase === 'Progressing' && /waiting for traffic increase approval/.test(events.at(-1)?.message ?? '')
      ? 'confirm-traffic-increase'
      : undefined);
  if (type === undefined) return undefined;
  // The event names the hook that said no; else the first of that type.
  const named = hooks.find((h) => h.type === type && (events.at(-1)?.message ?? '').endsWith(` ${h.name}`));
  return named ?? hooks.find((h) => h.type === type);
}

/** How to let a run held at a gate go on, or undefined when it is not held. */
export function approvalHint(c: Canary, events: readonly EventView[]): string | undefined {
  const gate = waitingGate(c, events);
  if (gate === undefined) return undefined;
  const ns = c.metadata.namespace ?? '';
  const body = JSON.stringify({ name: c.metadata.name, namespace: ns });
  let out = `waiting at gate "${gate.name}" (${gate.type}): it opens when ${gate.url} answers 2xx.`;
  // Flagger's load tester (and ours) keeps gates per canary: /gate/open opens this one.
  if (/\/gate\/check$/.test(gate.url)) {
    out += ` With the load tester: curl -d '${body}' ${gate.url.replace(/\/gate\/check$/, '/gate/open')}`;
  }
  if (gate.type !== 'confirm-rollout') {
    out += ` Or skip the rest of the analysis: flagger-ts promote ${c.metadata.name} -n ${ns}`;
  }
  return out;
}
