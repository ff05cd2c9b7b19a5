// A list-then-watch cache of one kind (the informer pattern): the controller reads
// objects from memory instead of the API server, and changes arrive as events, so a
// new revision is noticed from the watch, not at the next analysis tick.
import { KubeApiError, statusDetails } from '../kube/errors.js';
import { isRecord } from '../kube/json.js';
import type { KubeTransport } from '../kube/transport.js';
import { toKubeObject, type KubeObject } from '../kube/types.js';
import { startWatch } from '../kube/watch.js';
import { METADATA_LIST_ACCEPT, METADATA_WATCH_ACCEPT } from './metadata-only.js';

export type ChangeType = 'added' | 'modified' | 'deleted';
export type ChangeHandler = (type: ChangeType, obj: KubeObject, old: KubeObject | undefined) => void;

export interface InformerOptions {
  /** e.g. /apis/apps/v1/deployments or /apis/apps/v1/namespaces/x/deployments */
  readonly path: string;
  readonly apiVersion: string;
  readonly kind: string;
  readonly onChange?: ChangeHandler;
  readonly onError?: (err: unknown) => void;
  /** The watch is open again after failures (the API server answers again after an outage). */
  readonly onRecovered?: () => void;
  readonly retryMs?: number;
  /**
   * Every change of what the store holds for a key, ours (write-through) included: for
   * indexes that must match the store exactly (undefined = removed).
   */
  readonly onStore?: (obj: KubeObject | undefined, old: KubeObject | undefined) => void;
  /** List and watch PartialObjectMetadata only (no spec/data): change notices for ConfigMaps/Secrets. */
  readonly metadataOnly?: boolean;
}

const key = (o: KubeObject): string => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;

/**
 * True when `candidate` is older than `current`. resourceVersions are opaque to clients, but
 * every etcd-backed API server issues increasing integers; anything else is never "older".
 */
function olderThan(candidate: KubeObject, current: KubeObject | undefined): boolean {
  const a = candidate.metadata.resourceVersion;
  const b = current?.metadata.resourceVersion;
  if (a === undefined || b === undefined || !/^\d+$/.test(a) || !/^\d+$/.test(b)) return false;
  return a.length === b.length ? a < b : a.length < b.length;
}

/** managedFields are never read and are often the largest part of an object: not kept. */
function slim(obj: KubeObject): KubeObject {
  if (obj.metadata['managedFields'] === undefined) return obj;
  const { managedFields: _dropped, ...metadata } = obj.metadata;
  return { ...obj, metadata: { ...metadata, name: obj.metadata.name } };
}

/**
 * The server ends each watch after a random 5–10 minutes (client-go's range) and the informer
 * resumes from the last resourceVersion: a connection that silently stopped delivering is
 * replaced within minutes, and the API server's watch load is spread out.
 */
const watchTimeoutSeconds = (): number => 300 + Math.floor(Math.random() * 300);

export class Informer {
  readonly #transport: KubeTransport;
  readonly #opts: InformerOptions;
  readonly #store = new Map<string, KubeObject>();
  #resourceVersion = '';
  #watch: AbortController | undefined;
  #stopped = false;
  #synced = false;
  /** A list or watch failed and no watch has been opened since. */
  #failing = false;

  constructor(transport: KubeTransport, opts: InformerOptions) {
    this.#transport = transport;
    this.#opts = opts;
  }

  get synced(): boolean {
    return this.#synced;
  }

  /** Objects held. */
  get size(): number {
    return this.#store.size;
  }

  get(namespace: string | undefined, name: string): KubeObject | undefined {
    return this.#store.get(`${namespace ?? ''}/${name}`);
  }

  /**
   * Write-through: the object a write of ours returned, stored at once so the next reconcile
   * reads what it wrote instead of a cache the watch has not caught up with. The watch event
   * for the same resourceVersion then changes nothing (and wakes nobody). Never replaces a
   * newer object, and no change handler runs: this is our own write, not news.
   */
  observe(obj: KubeObject): void {
    const k = key(obj);
    const current = this.#store.get(k);
    if (olderThan(obj, current)) return;
    const stored = slim(obj);
    this.#store.set(k, stored);
    this.#opts.onStore?.(stored, current);
  }

  /** Forgets an object we deleted (the watch's DELETED event will find nothing to do). */
  forgetObject(namespace: string | undefined, name: string): void {
    const k = `${namespace ?? ''}/${name}`;
    const old = this.#store.get(k);
    this.#store.delete(k);
    if (old !== undefined) this.#opts.onStore?.(undefined, old);
  }

  list(namespace?: string): KubeObject[] {
    const all = [...this.#store.values()];
    return namespace === undefined ? all : all.filter((o) => o.metadata.namespace === namespace);
  }

  /** Lists once and starts watching; resolves when the cache holds the initial list. */
  async start(): Promise<void> {
    await this.#initialListWithRetry();
    if (this.#stopped) return;
    this.#synced = true;
    await this.#startWatch();
  }

  /**
   * The first list retries with back-off instead of failing start-up: right after an
   * install the API server answers 429 "storage is (re)initializing" for new CRDs, and a
   * missing CRD or RBAC rule should show as "not ready" plus a logged error, not a crash loop.
   */
  async #initialListWithRetry(): Promise<void> {
    const base = this.#opts.retryMs ?? 1000;
    for (let attempt = 0; !this.#stopped; attempt++) {
      try {
        await this.#relist();
        return;
      } catch (err) {
        this.#fail(err);
        const delay = Math.min(30_000, base * 2 ** Math.min(attempt, 5));
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }

  stop(): void {
    this.#stopped = true;
    this.#watch?.abort();
  }

  /** Full list; objects that vanished while we were not watching become deletions. */
  async #relist(): Promise<void> {
    const body = await this.#getJson(this.#opts.path);
    const items = isRecord(body) && Array.isArray(body['items']) ? body['items'] : [];
    const meta = isRecord(body) && isRecord(body['metadata']) ? body['metadata'] : {};
    const seen = new Set<string>();
    for (const raw of items) {
      const obj = toKubeObject(raw, { apiVersion: this.#opts.apiVersion, kind: this.#opts.kind });
      seen.add(key(obj));
      this.#apply('ADDED', obj);
    }
    for (const [k, obj] of [...this.#store]) {
      if (!seen.has(k)) this.#apply('DELETED', obj);
    }
    this.#resourceVersion = typeof meta['resourceVersion'] === 'string' ? meta['resourceVersion'] : '';
  }

  #apply(type: string, received: KubeObject): void {
    const obj = slim(received);
    const k = key(obj);
    const old = this.#store.get(k);
    if (type === 'DELETED') {
      this.#store.delete(k);
      if (old !== undefined) this.#opts.onStore?.(undefined, old);
      this.#opts.onChange?.('deleted', obj, old);
      return;
    }
    // A relist re-delivers unchanged objects; only real changes reach the handler.
    if (
      old?.metadata.resourceVersion !== undefined &&
      (old.metadata.resourceVersion === obj.metadata.resourceVersion || olderThan(obj, old))
    )
      return;
    this.#store.set(k, obj);
    this.#opts.onStore?.(obj, old);
    this.#opts.onChange?.(old === undefined ? 'added' : 'modified', obj, old);
  }

  async #startWatch(): Promise<void> {
    if (this.#stopped) return;
    let expired = false;
    // Set when this watch is over, possibly before startWatch returns (an error answer).
    const life = { ended: false };
    const startedAt = Date.now();
    const retryMs = this.#opts.retryMs ?? 1000;
    this.#watch = await startWatch(
      this.#transport,
      {
        path: this.#opts.path,
        resourceVersion: this.#resourceVersion,
        allowWatchBookmarks: true,
        timeoutSeconds: watchTimeoutSeconds(),
        ...(this.#opts.metadataOnly === true ? { accept: METADATA_WATCH_ACCEPT } : {}),
      },
      (phase: string, apiObj: unknown) => {
        const rv =
          isRecord(apiObj) && isRecord(apiObj['metadata'])
            ? apiObj['metadata']['resourceVersion']
            : undefined;
        if (phase === 'ERROR') {
          // 410 Gone: our resourceVersion is too old; start over with a fresh list.
          expired = isRecord(apiObj) && apiObj['code'] === 410;
          return;
        }
        if (typeof rv === 'string') this.#resourceVersion = rv;
        if (phase === 'BOOKMARK') return;
        this.#apply(
          phase,
          toKubeObject(apiObj, { apiVersion: this.#opts.apiVersion, kind: this.#opts.kind }),
        );
      },
      (err: unknown) => {
        life.ended = true;
        if (this.#stopped) return;
        if (err !== null && err !== undefined) this.#fail(err);
        // A watch the server ended on time (timeoutSeconds) resumes at once; anything else waits.
        const clean = err === null && !expired && Date.now() - startedAt >= retryMs;
        setTimeout(
          () => {
            void this.#restart(expired || err !== null);
          },
          clean ? 0 : retryMs,
        ).unref();
      },
    );
    // stop() while the watch was being opened: it found nothing to abort.
    if (this.#hasStopped()) {
      this.#watch.abort();
      return;
    }
    if (this.#failing && !life.ended) {
      this.#failing = false;
      this.#opts.onRecovered?.();
    }
  }

  #fail(err: unknown): void {
    this.#failing = true;
    this.#opts.onError?.(err);
  }

  /** A method, not the field: the compiler would assume the field unchanged across an await. */
  #hasStopped(): boolean {
    return this.#stopped;
  }

  async #restart(relist: boolean): Promise<void> {
    if (this.#stopped) return;
    try {
      if (relist) await this.#relist();
      await this.#startWatch();
    } catch (err) {
      this.#fail(err);
      setTimeout(() => {
        void this.#restart(true);
      }, this.#opts.retryMs ?? 1000).unref();
    }
  }

  async #getJson(path: string): Promise<unknown> {
    const accept = this.#opts.metadataOnly === true ? METADATA_LIST_ACCEPT : 'application/json';
    const res = await this.#transport.request({ method: 'GET', path, headers: { Accept: accept } });
    if (res.status < 200 || res.status >= 300) {
      const status = statusDetails(res.status, res.text);
      throw new KubeApiError('list', undefined, { ...status, message: `${path}: ${status.message}` });
    }
    return JSON.parse(res.text) as unknown;
  }
}
