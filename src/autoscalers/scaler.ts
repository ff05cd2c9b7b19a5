// The I/O around the canary's autoscalerRef (Flagger's ScalerReconciler): creating and
// syncing the `-primary` HPA or ScaledObject, and pausing the target's ScaledObject while
// the target is scaled to zero. An HPA needs no pause: the HPA controller itself stops
// acting on a workload whose replicas are 0 (condition ScalingActive=False,
// ScalingDisabled), which is what Flagger relies on too.
import type { Canary } from '../api/canary.js';
import { canaryNamespace } from '../api/defaults.js';
import type { KubeClient } from '../kube/client.js';
import { ensureObject } from '../kube/ensure.js';
import { isNotFound } from '../kube/errors.js';
import type { KubeObject, ObjectRef } from '../kube/types.js';
import { desiredPrimaryHpa, type MetadataMode } from './hpa.js';
import { autoscalerApiVersion, primaryScalerName } from './refs.js';
import { desiredPrimaryScaledObject, isPausedAs, pausePatch } from './scaled-object.js';

export interface AutoscalerOptions {
  client: KubeClient;
  /** Parsed `-include-label-prefix`, for metadata synced on promotion. */
  includeLabelPrefix?: readonly string[];
}

/** The parts of a primary autoscaler flagger-ts manages; the rest (status, KEDA's own fields) is left alone. */
function managed(obj: KubeObject): unknown {
  return {
    spec: obj['spec'],
    labels: obj.metadata.labels ?? {},
    annotations: obj.metadata.annotations ?? {},
  };
}

function replaceManaged(live: KubeObject, desired: KubeObject): KubeObject {
  const next = structuredClone(live);
  next['spec'] = structuredClone(desired['spec']);
  next.metadata.labels = desired.metadata.labels ?? {};
  next.metadata.annotations = desired.metadata.annotations ?? {};
  return next;
}

export class AutoscalerReconciler {
  readonly #client: KubeClient;
  readonly #prefixes: readonly string[];

  constructor(opts: AutoscalerOptions) {
    this.#client = opts.client;
    this.#prefixes = opts.includeLabelPrefix ?? [];
  }

  /**
   * `init`: create the primary autoscaler when missing (one GET when it exists). Otherwise
   * (Promoting, skip-analysis promotion) also bring an existing one in line with the target's.
   */
  async reconcilePrimary(canary: Canary, init: boolean): Promise<void> {
    const ref = this.#ref(canary);
    if (ref === undefined) return;
    const primaryRef = { ...ref, name: primaryScalerName(ref.name) };
    if (init && (await this.#client.get(primaryRef)) !== undefined) return;
    const source = await this.#client.get(ref);
    if (source === undefined) throw new Error(`${ref.kind} ${ref.name}.${ref.namespace ?? ''} not found`);
    const how: MetadataMode = init
      ? { mode: 'create' }
      : { mode: 'sync', includeLabelPrefix: this.#prefixes };
    const desired =
      ref.kind === 'ScaledObject'
        ? desiredPrimaryScaledObject(source, canary, how)
        : desiredPrimaryHpa(source, canary, how);
    await ensureObject(this.#client, desired, {
      project: managed,
      // At init an existing primary is never touched (someone created it concurrently).
      merge: init ? (live) => live : replaceManaged,
    });
  }

  /** KEDA only: hold the target's ScaledObject at 0 replicas while the target is scaled down. */
  async pauseTarget(canary: Canary): Promise<boolean> {
    return this.#setPaused(canary, true);
  }

  /** KEDA only: let the target's ScaledObject scale again (before the target is scaled up). */
  async resumeTarget(canary: Canary): Promise<boolean> {
    return this.#setPaused(canary, false);
  }

  async #setPaused(canary: Canary, paused: boolean): Promise<boolean> {
    const ref = this.#ref(canary);
    if (ref?.kind !== 'ScaledObject') return false;
    const live = await this.#client.get(ref);
    if (live === undefined || isPausedAs(live, paused)) return false;
    try {
      await this.#client.mergePatch(ref, pausePatch(paused));
      return true;
    } catch (err) {
      // Deleted between the read and the patch: nothing left to pause.
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  #ref(canary: Canary): ObjectRef | undefined {
    const ref = canary.spec.autoscalerRef;
    if (ref === undefined) return undefined;
    return {
      apiVersion: autoscalerApiVersion(ref.kind),
      kind: ref.kind,
      name: ref.name,
      namespace: canaryNamespace(canary),
    };
  }
}
