// revertOnDeletion (Flagger §2.13): while the Canary carries our finalizer, deleting
// it first hands traffic back to the target — target scaled up, apex Service and
// mesh objects restored — and only then lets the object go.
import type { Canary } from '../api/canary.js';
import { modifyObject } from '../kube/ensure.js';
import type { KubeObject } from '../kube/types.js';
import { finalizeApexService } from '../routers/kubernetes.js';
import { RouterError } from '../routers/router.js';
import type { ControllerDeps } from './context.js';
import type { Router } from '../routers/router.js';
import { writeStatus } from './status-writer.js';

export const FINALIZER = 'finalizer.flagger.app';

const refOf = (o: KubeObject): { apiVersion: string; kind: string; namespace: string; name: string } => ({
  apiVersion: o.apiVersion,
  kind: o.kind,
  namespace: o.metadata.namespace ?? '',
  name: o.metadata.name,
});

export const hasFinalizer = (o: KubeObject): boolean => (o.metadata.finalizers ?? []).includes(FINALIZER);

/** Adds or removes our finalizer to match spec.revertOnDeletion; returns the stored object. */
export async function syncFinalizer(
  deps: ControllerDeps,
  raw: KubeObject,
  want: boolean,
): Promise<KubeObject> {
  if (hasFinalizer(raw) === want || raw.metadata.deletionTimestamp !== undefined) return raw;
  const updated = await modifyObject(deps.client, refOf(raw), (live) => {
    const list = (live.metadata.finalizers ?? []).filter((f) => f !== FINALIZER);
    live.metadata.finalizers = want ? [...list, FINALIZER] : list;
    return live;
  });
  return updated ?? raw;
}

export type FinalizeOutcome = 'done' | 'waiting';

/** One finalization attempt; 'waiting' means try again shortly (the target is not ready yet). */
export async function finalizeCanary(
  deps: ControllerDeps,
  raw: KubeObject,
  canary: Canary,
  router: Router,
  signal: AbortSignal,
): Promise<FinalizeOutcome> {
  const id = `${canary.metadata.name}.${canary.metadata.namespace ?? ''}`;
  if (canary.status?.phase !== 'Terminating') {
    await writeStatus(deps.client, raw, { ...(canary.status ?? {}), phase: 'Terminating' }, signal);
    await deps.events.emit(canary, {
      type: 'Normal',
      reason: 'Terminating',
      message: `Terminating canary ${id}`,
    });
  }
  await deps.target.finalize(canary);
  const ns = canary.metadata.namespace ?? '';
  const obs = await deps.target.observe(canary, {}).catch(() => undefined);
  if (obs && !obs.targetReadiness.ready) return 'waiting';
  const rctx = {
    client: deps.client,
    signal,
    ingressClass: deps.config.ingressClass,
    ingressAnnotationsPrefix: deps.config.ingressAnnotationsPrefix,
  };
  // Service targets have no apex Service of Flagger's to hand back.
  if (obs && canary.spec.targetRef.kind !== 'Service')
    await finalizeApexService(
      canary,
      { label: obs.selector.label, value: obs.selector.value, ports: obs.ports },
      rctx,
    );
  try {
    await router.finalize(canary, rctx);
  } catch (err) {
    // A mesh object someone already deleted has nothing left to restore.
    if (!(err instanceof RouterError && err.reason === 'NotFound')) throw err;
  }
  await modifyObject(deps.client, refOf(raw), (live) => {
    live.metadata.finalizers = (live.metadata.finalizers ?? []).filter((f) => f !== FINALIZER);
    return live;
  });
  await deps.events.emit(canary, {
    type: 'Normal',
    reason: 'Terminated',
    message: `Terminated canary ${id}`,
  });
  deps.logger.info({ canary: canary.metadata.name, namespace: ns }, 'finalized');
  return 'done';
}
