// A KubeClient whose reads come from watch caches. Per analysis step the engine used to GET the
// Services, the router's objects and the autoscaler's primary before writing the one that
// changed; with these reads served from memory a step costs only its writes.
//
// Correctness rests on three rules:
// - write-through: what a write returns goes into the cache at once, so the next read sees our
//   own write even before the watch reports it;
// - after a 409 (a stale cache made us write over a newer object, or create one that exists),
//   the next read of that object goes to the API server, so the retry works from the truth;
// - a kind whose cache has not completed its first list is read from the API server.
import { isAlreadyExists, isConflict } from './errors.js';
import type { KubeClient, ListOptions, RequestOptions } from './client.js';
import { refOf, type KubeObject, type ObjectRef } from './types.js';

/** One kind's watch cache, as far as reads and write-through need it. */
export interface ObjectCache {
  get(namespace: string | undefined, name: string): KubeObject | undefined;
  observe(obj: KubeObject): void;
  forgetObject(namespace: string | undefined, name: string): void;
}

/** The synced cache of a kind, or undefined to read it from the API server. */
export type CacheLookup = (apiVersion: string, kind: string) => ObjectCache | undefined;

const keyOf = (ref: ObjectRef): string => `${ref.apiVersion}|${ref.kind}|${ref.namespace ?? ''}|${ref.name}`;

/**
 * The cached object itself, not a copy, for a wrapper that copies anyway (reconcile-memo.ts):
 * the cache's objects are replaced, never modified, so holding one is safe. Undefined when the
 * read must go to the API server. Saves the second deep copy of every cached read.
 */
export const sharedCachedRead = new WeakMap<
  KubeClient,
  (ref: ObjectRef) => { readonly obj: KubeObject | undefined } | undefined
>();

export function cachedClient(client: KubeClient, lookup: CacheLookup): KubeClient {
  /** Objects whose cached copy proved stale (409): read live once. */
  const distrusted = new Set<string>();

  async function write(ref: ObjectRef, call: () => Promise<KubeObject>): Promise<KubeObject> {
    try {
      const written = await call();
      lookup(written.apiVersion, written.kind)?.observe(written);
      return written;
    } catch (err) {
      if (isConflict(err) || isAlreadyExists(err)) distrusted.add(keyOf(ref));
      throw err;
    }
  }

  const view: KubeClient = {
    requests: client.requests,
    async get(ref: ObjectRef, options?: RequestOptions) {
      const cache = lookup(ref.apiVersion, ref.kind);
      const key = keyOf(ref);
      if (cache !== undefined && !distrusted.has(key)) {
        const hit = cache.get(ref.namespace, ref.name);
        // Callers may modify what they get (read-modify-write); the cache must not change.
        return hit === undefined ? undefined : structuredClone(hit);
      }
      distrusted.delete(key);
      const live = await client.get(ref, options);
      if (live !== undefined) cache?.observe(live);
      return live;
    },
    list: (apiVersion: string, kind: string, namespace: string | undefined, options?: ListOptions) =>
      client.list(apiVersion, kind, namespace, options),
    create: (obj, options) => write(refOf(obj), () => client.create(obj, options)),
    replace: (obj, options) => write(refOf(obj), () => client.replace(obj, options)),
    mergePatch: (ref, patch, options) => write(ref, () => client.mergePatch(ref, patch, options)),
    patchStatus: (ref, status, options) => write(ref, () => client.patchStatus(ref, status, options)),
    async delete(ref, options) {
      const gone = await client.delete(ref, options);
      lookup(ref.apiVersion, ref.kind)?.forgetObject(ref.namespace, ref.name);
      return gone;
    },
  };
  sharedCachedRead.set(view, (ref) => {
    const cache = lookup(ref.apiVersion, ref.kind);
    if (cache === undefined || distrusted.has(keyOf(ref))) return undefined;
    return { obj: cache.get(ref.namespace, ref.name) };
  });
  return view;
}
