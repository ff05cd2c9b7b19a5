// The workload adapter shared by every kind: Flagger's Deployment/DaemonSet controllers over
// the KubeClient facade. What differs per kind is a WorkloadKind (deployment.ts,
// daemonset.ts); this file decides what to read, where the caller's cache saves a request,
// and what to write.
import type { Canary } from '../api/canary.js';
import {
  canaryNamespace,
  canaryReadyThreshold,
  primaryReadyThreshold,
  progressDeadlineSeconds,
} from '../api/defaults.js';
import { readAutoscalerMin } from '../autoscalers/min-replicas.js';
import type { KubeClient } from '../kube/client.js';
import { isAlreadyExists, isConflict } from '../kube/errors.js';
import { canaryOwnerReference } from '../kube/owner.js';
import { toKubeObject } from '../kube/types.js';
import { observeConfigs, syncPrimaryConfigs } from './config-sync.js';
import type { ConfigTracking } from './config-tracking.js';
import { DEFAULT_SELECTOR_LABELS, findSelectorLabel, type SelectorLabel } from './labels.js';
import { discoverPorts } from './ports.js';
import { toMillis } from './readiness.js';
import { scaleFromZeroReplicas } from './scaling.js';
import { TargetError, type KnownObjects, type TargetObservation, type WorkloadTarget } from './target.js';
import type { Workload, WorkloadKind, WorkloadReadinessContext } from './workload.js';
import { revisionFlaggerId } from './revision-id.js';
import { FLAGGER_ID_ANNOTATION, primaryName, type PrimaryOptions } from './workload-primary.js';
import { deepEqual, isRecord } from '../kube/json.js';

export interface WorkloadAdapterOptions {
  client: KubeClient;
  /** Parsed `-include-label-prefix` (see parseLabelPrefixes); default: copy none. */
  includeLabelPrefix?: readonly string[];
  /** `-selector-labels`; default app, name, app.kubernetes.io/name. */
  selectorLabels?: readonly string[];
  /** `-enable-config-tracking`; default true. */
  configTracking?: boolean;
  /** Clock for progress deadlines (ms since epoch). */
  now?: () => number;
}

const NO_CONFIGS: ConfigTracking = {
  tracked: [],
  checksums: {},
  renames: new Set(),
  missing: [],
  missingOptional: [],
};

export class WorkloadAdapter<W extends Workload> implements WorkloadTarget {
  readonly #kind: WorkloadKind<W>;
  readonly #client: KubeClient;
  readonly #prefixes: readonly string[];
  readonly #selectorLabels: readonly string[];
  readonly #tracking: boolean;
  readonly #now: () => number;

  constructor(kind: WorkloadKind<W>, opts: WorkloadAdapterOptions) {
    this.#kind = kind;
    this.#client = opts.client;
    this.#prefixes = opts.includeLabelPrefix ?? [];
    this.#selectorLabels = opts.selectorLabels ?? DEFAULT_SELECTOR_LABELS;
    this.#tracking = opts.configTracking ?? true;
    this.#now = opts.now ?? Date.now;
  }

  async observe(canary: Canary, known: KnownObjects = {}): Promise<TargetObservation> {
    const kind = this.#kind;
    const target = await this.#target(canary, known);
    const selector = this.#selector(canary, target);
    const primary = await this.#primary(canary, known);
    const configs = await this.#configs(canary, target, known);
    const ctx: WorkloadReadinessContext = {
      canaryName: canary.metadata.name,
      namespace: canaryNamespace(canary),
      now: this.#now(),
      progressDeadlineSeconds: progressDeadlineSeconds(canary),
      hasAutoscaler: canary.spec.autoscalerRef !== undefined,
      lastTransition: toMillis(canary.status?.lastTransitionTime),
      thresholdPercent: canaryReadyThreshold(canary),
    };
    const service = canary.spec.service;
    return {
      kind: kind.kind,
      target,
      primary,
      selector,
      specHash: kind.hash(target),
      primaryHash: primary === undefined ? undefined : kind.hash(primary),
      targetReplicas: kind.replicas(target),
      primaryReplicas: primary === undefined ? undefined : kind.replicas(primary),
      targetReadiness: kind.readiness(target, 'canary', ctx),
      primaryReadiness:
        primary === undefined
          ? undefined
          : kind.readiness(primary, 'primary', { ...ctx, thresholdPercent: primaryReadyThreshold(canary) }),
      ports:
        service.portDiscovery === true
          ? discoverPorts(target.spec?.template.spec, { port: service.port, targetPort: service.targetPort })
          : {},
      trackedConfigs: configs.checksums,
      primaryMatchesTarget:
        primary === undefined
          ? undefined
          : () => this.#primaryMatches(canary, { target, primary, selector, configs }),
    };
  }

  /** The primary's pod template equals what promotion would write now, flagger-id aside. */
  #primaryMatches(
    canary: Canary,
    o: { target: W; primary: W; selector: SelectorLabel; configs: ConfigTracking },
  ): boolean {
    const next = this.#kind.promotedPrimary(o.primary, o.target, {
      ...this.#primaryOptions(canary, o.target, o.selector, o.configs),
      hasAutoscaler: canary.spec.autoscalerRef !== undefined,
    });
    return deepEqual(withoutFlaggerId(next.spec?.template), withoutFlaggerId(o.primary.spec?.template));
  }

  async ensurePrimary(canary: Canary, known: KnownObjects = {}): Promise<'created' | 'exists'> {
    if ((await this.#primary(canary, known)) !== undefined) return 'exists';
    const target = await this.#target(canary, known);
    const selector = this.#selector(canary, target);
    const configs = await this.#configs(canary, target, known);
    const owner = canaryOwnerReference(canary);
    await syncPrimaryConfigs(this.#client, configs, owner, this.#prefixes);
    const desired = this.#kind.desiredPrimary(
      target,
      canary,
      this.#primaryOptions(canary, target, selector, configs),
    );
    try {
      await this.#client.create(toKubeObject(desired));
      return 'created';
    } catch (err) {
      // Created concurrently (or the cache was stale): an existing primary is never overwritten.
      if (isAlreadyExists(err)) return 'exists';
      throw err;
    }
  }

  async promote(canary: Canary): Promise<void> {
    // Promotion copies what the target is *now*, so both objects are read fresh, not from
    // a cache; one retry after a conflict (e.g. the HPA rescaled the primary meanwhile).
    for (let attempt = 0; ; attempt++) {
      const target = await this.#target(canary, {});
      const selector = this.#selector(canary, target);
      const primary = await this.#primary(canary, {});
      if (primary === undefined) {
        throw new TargetError(
          'PrimaryNotFound',
          `${this.#kind.noun} ${primaryName(canary.spec.targetRef.name)}.${canaryNamespace(canary)} not found`,
        );
      }
      const configs = await this.#configs(canary, target, {});
      await syncPrimaryConfigs(this.#client, configs, canaryOwnerReference(canary), this.#prefixes);
      const next = this.#kind.promotedPrimary(primary, target, {
        ...this.#primaryOptions(canary, target, selector, configs),
        hasAutoscaler: canary.spec.autoscalerRef !== undefined,
      });
      // Already promoted (a crash lost the status write after this very update): do not
      // write again. With the revision-derived flagger-id the copy is identical.
      if (deepEqual(toKubeObject(next), toKubeObject(primary))) return;
      try {
        await this.#client.replace(toKubeObject(next));
        return;
      } catch (err) {
        if (attempt > 0 || !isConflict(err)) throw err;
      }
    }
  }

  async scaleToZero(canary: Canary, known: KnownObjects = {}): Promise<boolean> {
    const target = await this.#target(canary, known);
    if (this.#kind.isScaledToZero(target)) return false;
    await this.#patchTarget(canary, this.#kind.zeroPatch());
    return true;
  }

  async scaleFromZero(canary: Canary, known: KnownObjects = {}): Promise<boolean> {
    const target = await this.#target(canary, known);
    if (!this.#kind.isScaledToZero(target)) return false;
    const patch = await this.#kind.fromZeroPatch(async () =>
      scaleFromZeroReplicas({
        targetReplicas: this.#kind.replicas(target),
        // The primary is only consulted without an autoscaler; skip the read otherwise.
        primaryReplicas:
          canary.spec.autoscalerRef === undefined
            ? this.#replicasOf(await this.#primary(canary, known))
            : undefined,
        autoscaler:
          canary.spec.autoscalerRef === undefined
            ? undefined
            : { minReplicas: await readAutoscalerMin(this.#client, canary) },
      }),
    );
    await this.#patchTarget(canary, patch);
    return true;
  }

  async finalize(canary: Canary): Promise<boolean> {
    const target = await this.#target(canary, {});
    const primary = await this.#primary(canary, {});
    const wanted = this.#replicasOf(primary);
    // Kinds without replicas (DaemonSet), or no primary left: simply run the target again.
    if (wanted === undefined) return this.scaleFromZero(canary, { target, primary: primary ?? null });
    if ((this.#kind.replicas(target) ?? 1) === wanted) return false;
    await this.#patchTarget(canary, await this.#kind.fromZeroPatch(() => Promise.resolve(wanted)));
    return true;
  }

  // ---- reads ----

  #replicasOf(workload: W | undefined): number | undefined {
    return workload === undefined ? undefined : this.#kind.replicas(workload);
  }

  async #target(canary: Canary, known: KnownObjects): Promise<W> {
    const name = canary.spec.targetRef.name;
    const namespace = canaryNamespace(canary);
    const obj = known.target ?? (await this.#client.get(this.#ref(name, namespace)));
    const target = this.#kind.as(obj);
    if (target === undefined)
      throw new TargetError('TargetNotFound', `${this.#kind.noun} ${name}.${namespace} not found`);
    return target;
  }

  async #primary(canary: Canary, known: KnownObjects): Promise<W | undefined> {
    if (known.primary === null) return undefined;
    const ref = this.#ref(primaryName(canary.spec.targetRef.name), canaryNamespace(canary));
    return this.#kind.as(known.primary ?? (await this.#client.get(ref)));
  }

  #selector(canary: Canary, target: W): SelectorLabel {
    const id = {
      kind: this.#kind.noun,
      name: canary.spec.targetRef.name,
      namespace: canaryNamespace(canary),
    };
    const found = findSelectorLabel(id, target.spec?.selector, this.#selectorLabels);
    if (!found.ok) throw new TargetError('InvalidTarget', found.message);
    const invalid = this.#kind.invalid(target);
    if (invalid !== undefined) throw new TargetError('InvalidTarget', invalid);
    return { label: found.label, value: found.value };
  }

  async #configs(canary: Canary, target: W, known: KnownObjects): Promise<ConfigTracking> {
    if (!this.#tracking) return NO_CONFIGS;
    const namespace = canaryNamespace(canary);
    const tracking = await observeConfigs(this.#client, namespace, target.spec?.template.spec, known.config);
    if (tracking.missing.length > 0) {
      const names = tracking.missing.map((k) => `${k}.${namespace}`).join(', ');
      throw new TargetError(
        'ConfigNotFound',
        `${this.#kind.noun} ${target.metadata?.name ?? ''}.${namespace} references missing ${names}`,
      );
    }
    return tracking;
  }

  // ---- writes ----

  async #patchTarget(canary: Canary, patch: unknown): Promise<void> {
    // A merge patch of the fields involved: no read-modify-write, so no conflict with other writers.
    await this.#client.mergePatch(this.#ref(canary.spec.targetRef.name, canaryNamespace(canary)), patch);
  }

  #ref(
    name: string,
    namespace: string,
  ): { apiVersion: string; kind: string; name: string; namespace: string } {
    return { apiVersion: 'apps/v1', kind: this.#kind.kind, name, namespace };
  }

  #primaryOptions(
    canary: Canary,
    target: W,
    selector: SelectorLabel,
    configs: ConfigTracking,
  ): PrimaryOptions {
    return {
      includeLabelPrefix: this.#prefixes,
      selectorLabel: selector.label,
      selectorValue: selector.value,
      selectorLabels: this.#selectorLabels,
      configRenames: configs.renames,
      newFlaggerId: revisionFlaggerId(canary.metadata.uid ?? '', this.#kind.hash(target), configs.checksums),
    };
  }
}

/** A pod template without its flagger-id annotation (random per promotion in Flagger). */
function withoutFlaggerId(template: unknown): unknown {
  if (!isRecord(template)) return template;
  const meta = isRecord(template['metadata']) ? template['metadata'] : {};
  const all = isRecord(meta['annotations']) ? meta['annotations'] : {};
  const annotations = Object.fromEntries(Object.entries(all).filter(([k]) => k !== FLAGGER_ID_ANNOTATION));
  return { ...template, metadata: { ...meta, annotations } };
}
