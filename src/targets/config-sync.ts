// The I/O half of config tracking: reads the referenced ConfigMaps/Secrets (from the
// caller's cache when it has them) and upserts their `-primary` copies.
import type { V1PodSpec } from '@kubernetes/client-node';
import type { KubeClient } from '../kube/client.js';
import { ensureObject } from '../kube/ensure.js';
import { isRecord } from '../kube/json.js';
import { toKubeObject, type KubeObject, type OwnerReference } from '../kube/types.js';
import { findConfigRefs, type ConfigKind, type ConfigRef } from './config-refs.js';
import {
  desiredPrimaryConfigMap,
  desiredPrimarySecret,
  trackConfigs,
  type ConfigObject,
  type ConfigTracking,
} from './config-tracking.js';

const KIND: Record<ConfigKind, 'ConfigMap' | 'Secret'> = { configmap: 'ConfigMap', secret: 'Secret' };

/** Cache lookup: the object, null when known absent, undefined when not cached. */
export type ConfigLookup = (kind: ConfigKind, name: string) => unknown;

function asConfigObject(value: unknown): ConfigObject | undefined {
  // Plain API JSON has the same shape as the client-node models, minus Date decoding,
  // which ConfigMaps and Secrets do not use in the fields read here.
  return isRecord(value) ? value : undefined;
}

/** Resolves every reference of `spec` (cache first, then GET) and decides what is tracked. */
export async function observeConfigs(
  client: KubeClient,
  namespace: string,
  spec: V1PodSpec | undefined,
  lookup: ConfigLookup | undefined,
): Promise<ConfigTracking> {
  const refs = findConfigRefs(spec);
  const found = new Map<ConfigRef, ConfigObject | undefined>();
  await Promise.all(
    refs.map(async (ref) => {
      const cached: unknown = await lookup?.(ref.kind, ref.name);
      const obj =
        cached !== undefined
          ? cached
          : await client.get({ apiVersion: 'v1', kind: KIND[ref.kind], name: ref.name, namespace });
      found.set(ref, obj === null ? undefined : asConfigObject(obj));
    }),
  );
  return trackConfigs(refs, (ref) => found.get(ref));
}

/**
 * Keeps the live copy's annotations and other owners' references, replaces the managed
 * parts. Owners are recomputed against the live object so co-owning canaries survive.
 */
function mergeCopy(owner: OwnerReference, live: KubeObject, desired: KubeObject): KubeObject {
  const next = structuredClone(live);
  const others = (live.metadata.ownerReferences ?? [])
    .filter((r) => r.kind === owner.kind && r.uid !== owner.uid)
    .map((r) => ({ ...r, controller: false }));
  next.metadata.labels = desired.metadata.labels ?? {};
  next.metadata.ownerReferences = [owner, ...others];
  for (const field of ['data', 'binaryData', 'type'] as const) {
    if (desired[field] === undefined) Reflect.deleteProperty(next, field);
    else next[field] = structuredClone(desired[field]);
  }
  return next;
}

function projectCopy(obj: KubeObject): unknown {
  const { labels, ownerReferences } = obj.metadata;
  return { labels, ownerReferences, data: obj['data'], binaryData: obj['binaryData'], type: obj['type'] };
}

/** Creates or updates the `-primary` copy of every tracked config; no write when in sync. */
export async function syncPrimaryConfigs(
  client: KubeClient,
  tracking: ConfigTracking,
  owner: OwnerReference,
  includeLabelPrefix: readonly string[],
): Promise<void> {
  const opts = { owner, includeLabelPrefix };
  await Promise.all(
    tracking.tracked.map(async (t) => {
      const desired =
        t.kind === 'configmap'
          ? desiredPrimaryConfigMap(t.object, opts)
          : desiredPrimarySecret(t.object, opts);
      await ensureObject(client, toKubeObject(desired), {
        project: projectCopy,
        merge: (live, want) => mergeCopy(owner, live, want),
      });
    }),
  );
}
