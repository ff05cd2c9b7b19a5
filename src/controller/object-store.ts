// Read access to the informer caches, plus a guard against acting on a stale copy:
// right after we write a Canary's status, the watch may not have delivered it yet,
// and deciding from the older status would repeat a step. We remember what we wrote
// and use whichever copy is newer.
import type { KubeObject } from '../kube/types.js';

export interface CacheReader {
  canary(namespace: string, name: string): KubeObject | undefined;
  deployment(namespace: string, name: string): KubeObject | undefined;
  daemonSet(namespace: string, name: string): KubeObject | undefined;
  metricTemplate(namespace: string, name: string): KubeObject | undefined;
  alertProvider(namespace: string, name: string): KubeObject | undefined;
  /** The `<canary>-flagger-ts-gate` ConfigMap of a canary, if any (user-requests.ts). */
  userRequest?(namespace: string, canary: string): KubeObject | undefined;
  /** Whether the caches hold their initial lists (readiness). */
  readonly synced: boolean;
}

/** etcd revisions are integers; the API calls them opaque, so fall back to "different". */
function isNewer(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined) return false;
  if (b === undefined) return true;
  const [x, y] = [Number(a), Number(b)];
  return Number.isSafeInteger(x) && Number.isSafeInteger(y) ? x > y : a !== b;
}

export class FreshCanaries {
  readonly #written = new Map<string, KubeObject>();

  /** Record the object the API server returned from our write. */
  remember(obj: KubeObject): void {
    this.#written.set(`${obj.metadata.namespace ?? ''}/${obj.metadata.name}`, obj);
  }

  forget(namespace: string, name: string): void {
    this.#written.delete(`${namespace}/${name}`);
  }

  /** The newest copy we know of: the cached one, or the one we wrote if the cache lags. */
  newest(cached: KubeObject | undefined): KubeObject | undefined {
    if (!cached) return undefined;
    const key = `${cached.metadata.namespace ?? ''}/${cached.metadata.name}`;
    const mine = this.#written.get(key);
    if (!mine || mine.metadata.uid !== cached.metadata.uid) return cached;
    if (isNewer(mine.metadata.resourceVersion, cached.metadata.resourceVersion)) return mine;
    this.#written.delete(key); // the cache caught up
    return cached;
  }
}
