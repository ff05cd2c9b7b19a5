// A per-reconcile view of the API server: within one reconcile, an object read or written
// once is not read again. The gather step reads the VirtualService for the live weights,
// the router's reconcile reads it to compare, setRoutes reads it to write the new weights:
// three GETs of one object in a few milliseconds. Through this view it is one.
//
// Scope is one reconcile (a fresh memo each time), so nothing stale outlives it. A failed
// write forgets the object, so a conflict retry (ensure.ts, modifyObject) reads it fresh.
import { sharedCachedRead } from './cached-client.js';
import type { KubeClient, ListOptions, RequestOptions } from './client.js';
import { refOf, type KubeObject, type ObjectRef } from './types.js';

const keyOf = (ref: ObjectRef): string => `${ref.apiVersion}|${ref.kind}|${ref.namespace ?? ''}|${ref.name}`;

export function reconcileMemo(client: KubeClient): KubeClient {
  // null: known absent (read as 404, or deleted here).
  const memo = new Map<string, KubeObject | null>();
  const shared = sharedCachedRead.get(client);
  const remember = (obj: KubeObject): KubeObject => {
    memo.set(keyOf(refOf(obj)), obj);
    return structuredClone(obj);
  };
  async function write(ref: ObjectRef, call: () => Promise<KubeObject>): Promise<KubeObject> {
    try {
      return remember(await call());
    } catch (err) {
      memo.delete(keyOf(ref));
      throw err;
    }
  }
  return {
    requests: client.requests,
    async get(ref: ObjectRef, options?: RequestOptions) {
      const key = keyOf(ref);
      const known = memo.get(key);
      if (known !== undefined) return known === null ? undefined : structuredClone(known);
      // Served from a watch cache: keep the cache's own (never modified) object, copy once.
      const cached = shared?.(ref);
      if (cached !== undefined) {
        memo.set(key, cached.obj ?? null);
        return cached.obj === undefined ? undefined : structuredClone(cached.obj);
      }
      const live = await client.get(ref, options);
      memo.set(key, live ?? null);
      return live === undefined ? undefined : structuredClone(live);
    },
    list: (apiVersion: string, kind: string, namespace: string | undefined, options?: ListOptions) =>
      client.list(apiVersion, kind, namespace, options),
    create: (obj, options) => write(refOf(obj), () => client.create(obj, options)),
    replace: (obj, options) => write(refOf(obj), () => client.replace(obj, options)),
    mergePatch: (ref, patch, options) => write(ref, () => client.mergePatch(ref, patch, options)),
    patchStatus: (ref, status, options) => write(ref, () => client.patchStatus(ref, status, options)),
    async delete(ref, options) {
      try {
        const gone = await client.delete(ref, options);
        memo.set(keyOf(ref), null);
        return gone;
      } catch (err) {
        memo.delete(keyOf(ref));
        throw err;
      }
    },
  };
}
