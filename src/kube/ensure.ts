// ensureObject: the one get → create | compare → update sequence every router and target
// uses (Flagger repeats it by hand in each router). The caller says which parts it manages
// (`project`) and how to fold its desired object into the live one (`merge`); everything
// else on the live object (server defaults, other controllers' fields) is kept.

import type { KubeClient } from './client.js';
import { isAlreadyExists, isConflict } from './errors.js';
import { deepEqual } from './json.js';
import { refOf, type KubeObject, type ObjectRef, type OwnerReference } from './types.js';

export type EnsureAction = 'created' | 'updated' | 'unchanged';

export interface EnsureResult {
  action: EnsureAction;
  /** The object as stored after this call (the live one when unchanged). */
  object: KubeObject;
}

export interface EnsureOptions {
  /**
   * The managed parts of an object. An update is sent only when
   * project(live) differs from project(merge(live, desired)).
   */
  project: (obj: KubeObject) => unknown;
  /**
   * Folds `desired` into a copy of `live`, producing the object to write. Defaults to
   * `mergeTopLevel`. Use it to keep fields the caller does not own (Service clusterIP and
   * nodePorts, unmanaged labels, weights the router sets elsewhere ...).
   */
  merge?: ((live: KubeObject, desired: KubeObject) => KubeObject) | undefined;
  /** Added on create only: objects that existed before Flagger are not adopted. */
  owner?: OwnerReference | undefined;
  signal?: AbortSignal | undefined;
  /** Read-modify-write attempts when a concurrent writer causes 409 Conflict (default 3). */
  attempts?: number | undefined;
}

/**
 * The default merge: every top-level field of `desired` except metadata and status replaces
 * the live one; desired labels and annotations are laid over the live ones (extra live keys,
 * e.g. other controllers' annotations, are kept); ownerReferences and finalizers stay.
 */
export function mergeTopLevel(live: KubeObject, desired: KubeObject): KubeObject {
  const { metadata, status: _status, ...fields } = desired;
  const next: KubeObject = { ...structuredClone(live), ...structuredClone(fields) };
  next.metadata = {
    ...next.metadata,
    labels: { ...live.metadata.labels, ...metadata.labels },
    annotations: { ...live.metadata.annotations, ...metadata.annotations },
  };
  return next;
}

function withOwner(obj: KubeObject, owner: OwnerReference | undefined): KubeObject {
  const copy = structuredClone(obj);
  delete copy.metadata.resourceVersion;
  if (owner === undefined) return copy;
  const others = (copy.metadata.ownerReferences ?? []).filter((r) => r.uid !== owner.uid);
  copy.metadata.ownerReferences = [...others, owner];
  return copy;
}

/**
 * Makes the managed parts of `desired` true in the cluster with the fewest writes: none when
 * they already match. A stale read (409) is retried from a fresh get; a create that races
 * another creator (AlreadyExists) falls through to the update path.
 */
export async function ensureObject(
  client: KubeClient,
  desired: KubeObject,
  options: EnsureOptions,
): Promise<EnsureResult> {
  const ref = refOf(desired);
  const merge = options.merge ?? mergeTopLevel;
  const request = { signal: options.signal };
  const attempts = Math.max(1, options.attempts ?? 3);
  let lastError: unknown;
  for (let attempt = 0; attempt < attempts; attempt++) {
    const live = await client.get(ref, request);
    if (live === undefined) {
      try {
        return { action: 'created', object: await client.create(withOwner(desired, options.owner), request) };
      } catch (err) {
        if (!isAlreadyExists(err)) throw err;
        lastError = err;
        continue;
      }
    }
    const next = merge(live, desired);
    if (deepEqual(options.project(live), options.project(next))) return { action: 'unchanged', object: live };
    next.metadata.resourceVersion = live.metadata.resourceVersion;
    try {
      return { action: 'updated', object: await client.replace(next, request) };
    } catch (err) {
      if (!isConflict(err)) throw err;
      lastError = err;
    }
  }
  throw lastError;
}

export interface ModifyOptions {
  signal?: AbortSignal | undefined;
  /** Read-modify-write attempts on 409 Conflict (default 3). */
  attempts?: number | undefined;
}

/**
 * Read-modify-write of an existing object, retried from a fresh read on 409 Conflict.
 * `mutate` returns the object to write, or undefined for "nothing to change" (no write).
 * Returns undefined when the object does not exist.
 */
export async function modifyObject(
  client: KubeClient,
  ref: ObjectRef,
  mutate: (live: KubeObject) => KubeObject | undefined,
  options: ModifyOptions = {},
): Promise<KubeObject | undefined> {
  const request = { signal: options.signal };
  const attempts = Math.max(1, options.attempts ?? 3);
  let lastError: unknown;
  for (let attempt = 0; attempt < attempts; attempt++) {
    const live = await client.get(ref, request);
    if (live === undefined) return undefined;
    const next = mutate(structuredClone(live));
    if (next === undefined || deepEqual(next, live)) return live;
    next.metadata.resourceVersion = live.metadata.resourceVersion;
    try {
      return await client.replace(next, request);
    } catch (err) {
      if (!isConflict(err)) throw err;
      lastError = err;
    }
  }
  throw lastError;
}
