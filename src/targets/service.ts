// Target kind `Service` (spec §2.4, §9.3): Flagger's canary of a plain Kubernetes Service,
// for meshes and gateways that route to Services rather than pods. There is no primary
// workload: `<target>-canary` is a full copy of the target Service, re-synced every tick,
// `<target>-primary` a copy made once and overwritten on promotion. Nothing scales, both
// sides are always ready, and the Kubernetes Service router does nothing for this kind.
import type { Canary } from '../api/canary.js';
import { canaryNamespace } from '../api/defaults.js';
import type { KubeClient } from '../kube/client.js';
import { ensureObject } from '../kube/ensure.js';
import { isAlreadyExists } from '../kube/errors.js';
import { isRecord } from '../kube/json.js';
import { canaryOwnerReference } from '../kube/owner.js';
import type { KubeObject, ObjectRef } from '../kube/types.js';
import { hashValue } from './hash.js';
import { includeLabelsByPrefix } from './labels.js';
import { READY } from './readiness.js';
import { TargetError, type KnownObjects, type TargetObservation, type WorkloadTarget } from './target.js';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
/** Fields the API server assigns per Service; a copy must not carry the source's. */
const ASSIGNED = ['clusterIP', 'clusterIPs'] as const;

const ref = (canary: Canary, name: string): ObjectRef => ({
  apiVersion: 'v1',
  kind: 'Service',
  name,
  namespace: canaryNamespace(canary),
});

const specOf = (svc: KubeObject): Record<string, unknown> => (isRecord(svc['spec']) ? svc['spec'] : {});

/** The spec without API-assigned addresses: what change detection and promotion compare. */
export function portableSpec(svc: KubeObject): Record<string, unknown> {
  const { clusterIP: _ip, clusterIPs: _ips, ...rest } = specOf(svc);
  return rest;
}

/** The spec hash of a Service target (Flagger hashes the whole Service spec). */
export const serviceSpecHash = (svc: KubeObject): string => hashValue(portableSpec(svc));

/** `src` copied under `name` (Flagger's buildService): owned by the Canary, no kubectl record. */
export function serviceCopy(canary: Canary, src: KubeObject, name: string): KubeObject {
  const { [LAST_APPLIED]: _applied, ...annotations } = src.metadata.annotations ?? {};
  const spec = portableSpec(src);
  const distribution = canary.spec.service.trafficDistribution;
  if (distribution !== undefined) spec['trafficDistribution'] = distribution;
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name,
      namespace: canaryNamespace(canary),
      ...(src.metadata.labels ? { labels: { ...src.metadata.labels } } : {}),
      annotations,
      ownerReferences: [canaryOwnerReference(canary)],
    },
    spec,
  };
}

/** `live` with `desired`'s spec and metadata, keeping the live addresses (type ClusterIP keeps its IP). */
function keepAddresses(live: KubeObject, desired: KubeObject): KubeObject {
  const spec = { ...specOf(desired) };
  for (const key of ASSIGNED) if (specOf(live)[key] !== undefined) spec[key] = specOf(live)[key];
  return { ...structuredClone(live), metadata: { ...live.metadata, ...desired.metadata }, spec };
}

export class ServiceTargetAdapter implements WorkloadTarget {
  readonly #client: KubeClient;
  readonly #prefixes: readonly string[];

  constructor(opts: { client: KubeClient; includeLabelPrefix?: readonly string[] }) {
    this.#client = opts.client;
    this.#prefixes = opts.includeLabelPrefix ?? [];
  }

  async #target(canary: Canary, known: KnownObjects = {}): Promise<KubeObject> {
    const name = canary.spec.targetRef.name;
    const found = known.target ?? (await this.#client.get(ref(canary, name)));
    if (!isRecord(found) || found['kind'] !== 'Service') {
      throw new TargetError('TargetNotFound', `service ${name}.${canaryNamespace(canary)} not found`);
    }
    return found as KubeObject;
  }

  async #get(canary: Canary, name: string): Promise<KubeObject | undefined> {
    return this.#client.get(ref(canary, name));
  }

  async observe(canary: Canary, known: KnownObjects = {}): Promise<TargetObservation> {
    const target = await this.#target(canary, known);
    const primary = await this.#get(canary, `${canary.spec.targetRef.name}-primary`);
    const selector = isRecord(specOf(target)['selector'])
      ? (specOf(target)['selector'] as Record<string, string>)
      : {};
    const [label, value] = Object.entries(selector)[0] ?? ['app', canary.spec.targetRef.name];
    return {
      kind: 'Service',
      target,
      primary,
      primaryHash: primary === undefined ? undefined : serviceSpecHash(primary),
      targetReplicas: undefined,
      primaryReplicas: undefined,
      selector: { label, value },
      specHash: serviceSpecHash(target),
      targetReadiness: READY,
      primaryReadiness: primary === undefined ? undefined : READY,
      ports: {},
      trackedConfigs: {},
    };
  }

  /** Syncs `<target>-canary` from the target (every tick) and creates `<target>-primary` once. */
  async ensurePrimary(canary: Canary, known: KnownObjects = {}): Promise<'created' | 'exists'> {
    const target = await this.#target(canary, known);
    const name = canary.spec.targetRef.name;
    await ensureObject(this.#client, serviceCopy(canary, target, `${name}-canary`), {
      project: (o) => ({
        spec: portableSpec(o),
        labels: o.metadata.labels ?? {},
        annotations: o.metadata.annotations ?? {},
      }),
      merge: keepAddresses,
    });
    if ((await this.#get(canary, `${name}-primary`)) !== undefined) return 'exists';
    try {
      await this.#client.create(serviceCopy(canary, target, `${name}-primary`));
      return 'created';
    } catch (err) {
      if (isAlreadyExists(err)) return 'exists';
      throw err;
    }
  }

  /** The target's spec onto the primary (keeping its address); labels/annotations by prefix. */
  async promote(canary: Canary): Promise<void> {
    const target = await this.#target(canary);
    const primaryName = `${canary.spec.targetRef.name}-primary`;
    const desired: KubeObject = {
      ...serviceCopy(canary, target, primaryName),
      metadata: {
        name: primaryName,
        namespace: canaryNamespace(canary),
        labels: includeLabelsByPrefix(target.metadata.labels ?? {}, this.#prefixes),
        annotations: includeLabelsByPrefix(target.metadata.annotations ?? {}, this.#prefixes),
      },
    };
    if ((await this.#get(canary, primaryName)) === undefined) {
      throw new TargetError('PrimaryNotFound', `service ${primaryName}.${canaryNamespace(canary)} not found`);
    }
    await ensureObject(this.#client, desired, {
      project: (o) => ({
        spec: portableSpec(o),
        labels: o.metadata.labels ?? {},
        annotations: o.metadata.annotations ?? {},
      }),
      merge: (live, d) => {
        const next = keepAddresses(live, d);
        next.metadata.labels = d.metadata.labels;
        next.metadata.annotations = d.metadata.annotations;
        return next;
      },
    });
  }

  scaleToZero(): Promise<boolean> {
    return Promise.resolve(false);
  }

  scaleFromZero(): Promise<boolean> {
    return Promise.resolve(false);
  }

  finalize(): Promise<boolean> {
    return Promise.resolve(false);
  }
}
