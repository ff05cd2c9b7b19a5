// The Deployment adapter: Flagger's DeploymentController over the KubeClient facade. The
// pure parts (desired objects, readiness, hashing) live in their own files; this file only
// decides what to read, where the caller's cache can save a request, and what to write.
import { randomUUID } from 'node:crypto';
import type { V1Deployment } from '@kubernetes/client-node';
import type { Canary } from '../api/canary.js';
import {
  canaryNamespace,
  canaryReadyThreshold,
  primaryReadyThreshold,
  progressDeadlineSeconds,
} from '../api/defaults.js';
import type { KubeClient } from '../kube/client.js';
import { isAlreadyExists, isConflict } from '../kube/errors.js';
import { isRecord } from '../kube/json.js';
import { canaryOwnerReference } from '../kube/owner.js';
import { toKubeObject } from '../kube/types.js';
import { observeConfigs, syncPrimaryConfigs } from './config-sync.js';
import type { ConfigTracking } from './config-tracking.js';
import { desiredPrimary, primaryName, promotedPrimary, type PrimaryOptions } from './deployment-primary.js';
import { computeTargetHash } from './hash.js';
import { DEFAULT_SELECTOR_LABELS, findSelectorLabel, type SelectorLabel } from './labels.js';
import { discoverPorts } from './ports.js';
import { canaryReadiness, primaryReadiness } from './readiness.js';
import { scaleFromZeroReplicas } from './scaling.js';
import { TargetError, type KnownObjects, type TargetAdapter, type TargetObservation } from './target.js';

export interface DeploymentAdapterOptions {
  client: KubeClient;
  /** Parsed `-include-label-prefix` (see parseLabelPrefixes); default: copy none. */
  includeLabelPrefix?: readonly string[];
  /** `-selector-labels`; default app, name, app.kubernetes.io/name. */
  selectorLabels?: readonly string[];
  /** `-enable-config-tracking`; default true. */
  configTracking?: boolean;
  /** Source of flagger-id values; injectable for deterministic tests. */
  newId?: () => string;
  /** Clock for progress deadlines (ms since epoch). */
  now?: () => number;
}

function asDeployment(value: unknown): V1Deployment | undefined {
  // Plain API JSON matches the client-node model shape; timestamps stay strings, which the
  // readiness code accepts.
  return isRecord(value) && value['kind'] === 'Deployment' ? value : undefined;
}

const NO_CONFIGS: ConfigTracking = {
  tracked: [],
  checksums: {},
  renames: new Set(),
  missing: [],
  missingOptional: [],
};

export class DeploymentAdapter implements TargetAdapter {
  readonly #client: KubeClient;
  readonly #prefixes: readonly string[];
  readonly #selectorLabels: readonly string[];
  readonly #tracking: boolean;
  readonly #newId: () => string;
  readonly #now: () => number;

  constructor(opts: DeploymentAdapterOptions) {
    this.#client = opts.client;
    this.#prefixes = opts.includeLabelPrefix ?? [];
    this.#selectorLabels = opts.selectorLabels ?? DEFAULT_SELECTOR_LABELS;
    this.#tracking = opts.configTracking ?? true;
    this.#newId = opts.newId ?? randomUUID;
    this.#now = opts.now ?? Date.now;
  }

  async observe(canary: Canary, known: KnownObjects = {}): Promise<TargetObservation> {
    const target = await this.#target(canary, known);
    const selector = this.#selector(canary, target);
    const primary = await this.#primary(canary, known);
    const configs = await this.#configs(canary, target, known);
    const ctx = { canaryName: canary.metadata.name, namespace: canaryNamespace(canary), now: this.#now() };
    const deadline = progressDeadlineSeconds(canary);
    const service = canary.spec.service;
    return {
      target,
      primary,
      selector,
      specHash: computeTargetHash(target),
      targetReadiness: canaryReadiness(target, {
        ...ctx,
        thresholdPercent: canaryReadyThreshold(canary),
        progressDeadlineSeconds: deadline,
      }),
      primaryReadiness:
        primary === undefined
          ? undefined
          : primaryReadiness(primary, {
              ...ctx,
              thresholdPercent: primaryReadyThreshold(canary),
              progressDeadlineSeconds: deadline,
              hasAutoscaler: canary.spec.autoscalerRef !== undefined,
            }),
      ports:
        service.portDiscovery === true
          ? discoverPorts(target.spec?.template.spec, { port: service.port, targetPort: service.targetPort })
          : {},
      trackedConfigs: configs.checksums,
    };
  }

  async ensurePrimary(canary: Canary, known: KnownObjects = {}): Promise<'created' | 'exists'> {
    if ((await this.#primary(canary, known)) !== undefined) return 'exists';
    const target = await this.#target(canary, known);
    const selector = this.#selector(canary, target);
    const configs = await this.#configs(canary, target, known);
    const owner = canaryOwnerReference(canary);
    await syncPrimaryConfigs(this.#client, configs, owner, this.#prefixes);
    const desired = desiredPrimary(target, canary, this.#primaryOptions(selector, configs));
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
          `deployment ${this.#primaryName(canary)}.${canaryNamespace(canary)} not found`,
        );
      }
      const configs = await this.#configs(canary, target, {});
      await syncPrimaryConfigs(this.#client, configs, canaryOwnerReference(canary), this.#prefixes);
      const next = promotedPrimary(primary, target, {
        ...this.#primaryOptions(selector, configs),
        hasAutoscaler: canary.spec.autoscalerRef !== undefined,
      });
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
    if (target.spec?.replicas === 0) return false;
    await this.#scale(canary, 0);
    return true;
  }

  async scaleFromZero(canary: Canary, known: KnownObjects = {}): Promise<boolean> {
    const target = await this.#target(canary, known);
    const current = target.spec?.replicas;
    if (current !== undefined && current > 0) return false;
    const replicas = scaleFromZeroReplicas({
      targetReplicas: current,
      // The primary is only consulted without an autoscaler; skip the read otherwise.
      primaryReplicas:
        canary.spec.autoscalerRef === undefined
          ? (await this.#primary(canary, known))?.spec?.replicas
          : undefined,
      autoscaler:
        canary.spec.autoscalerRef === undefined
          ? undefined
          : { minReplicas: await this.#autoscalerMin(canary) },
    });
    await this.#scale(canary, replicas);
    return true;
  }

  async finalize(canary: Canary): Promise<boolean> {
    const target = await this.#target(canary, {});
    const primary = await this.#primary(canary, {});
    if (primary === undefined) return this.scaleFromZero(canary, { target, primary: null });
    const wanted = primary.spec?.replicas ?? 1;
    if ((target.spec?.replicas ?? 1) === wanted) return false;
    await this.#scale(canary, wanted);
    return true;
  }

  // ---- reads ----

  async #target(canary: Canary, known: KnownObjects): Promise<V1Deployment> {
    const name = canary.spec.targetRef.name;
    const namespace = canaryNamespace(canary);
    const obj =
      known.target ??
      (await this.#client.get({ apiVersion: 'apps/v1', kind: 'Deployment', name, namespace }));
    const target = asDeployment(obj);
    if (target === undefined)
      throw new TargetError('TargetNotFound', `deployment ${name}.${namespace} not found`);
    return target;
  }

  async #primary(canary: Canary, known: KnownObjects): Promise<V1Deployment | undefined> {
    if (known.primary === null) return undefined;
    const ref = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: this.#primaryName(canary),
      namespace: canaryNamespace(canary),
    };
    return asDeployment(known.primary ?? (await this.#client.get(ref)));
  }

  #selector(canary: Canary, target: V1Deployment): SelectorLabel {
    const id = { kind: 'deployment', name: canary.spec.targetRef.name, namespace: canaryNamespace(canary) };
    const found = findSelectorLabel(id, target.spec?.selector, this.#selectorLabels);
    if (!found.ok) throw new TargetError('InvalidTarget', found.message);
    return { label: found.label, value: found.value };
  }

  async #configs(canary: Canary, target: V1Deployment, known: KnownObjects): Promise<ConfigTracking> {
    if (!this.#tracking) return NO_CONFIGS;
    const namespace = canaryNamespace(canary);
    const tracking = await observeConfigs(this.#client, namespace, target.spec?.template.spec, known.config);
    if (tracking.missing.length > 0) {
      const names = tracking.missing.map((k) => `${k}.${namespace}`).join(', ');
      throw new TargetError(
        'ConfigNotFound',
        `deployment ${target.metadata?.name ?? ''}.${namespace} references missing ${names}`,
      );
    }
    return tracking;
  }

  /** HPA minReplicas or ScaledObject minReplicaCount; undefined when unset or unreadable. */
  async #autoscalerMin(canary: Canary): Promise<number | undefined> {
    const ref = canary.spec.autoscalerRef;
    if (ref === undefined) return undefined;
    const isHpa = ref.kind === 'HorizontalPodAutoscaler';
    const apiVersion = isHpa ? 'autoscaling/v2' : 'keda.sh/v1alpha1';
    try {
      const obj = await this.#client.get({
        apiVersion,
        kind: ref.kind,
        name: ref.name,
        namespace: canaryNamespace(canary),
      });
      const spec = isRecord(obj?.['spec']) ? obj['spec'] : {};
      const min = spec[isHpa ? 'minReplicas' : 'minReplicaCount'];
      return typeof min === 'number' ? min : undefined;
    } catch {
      // Flagger falls back to one replica when the autoscaler cannot be read.
      return undefined;
    }
  }

  // ---- writes ----

  async #scale(canary: Canary, replicas: number): Promise<void> {
    const ref = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: canary.spec.targetRef.name,
      namespace: canaryNamespace(canary),
    };
    // A merge patch of one field: no read-modify-write, so no conflict with other writers.
    await this.#client.mergePatch(ref, { spec: { replicas } });
  }

  #primaryName(canary: Canary): string {
    return primaryName(canary.spec.targetRef.name);
  }

  #primaryOptions(selector: SelectorLabel, configs: ConfigTracking): PrimaryOptions {
    return {
      includeLabelPrefix: this.#prefixes,
      selectorLabel: selector.label,
      selectorValue: selector.value,
      selectorLabels: this.#selectorLabels,
      configRenames: configs.renames,
      newFlaggerId: this.#newId(),
    };
  }
}
