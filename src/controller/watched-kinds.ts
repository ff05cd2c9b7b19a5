// Watch caches for the objects flagger-ts generates or reads per analysis step beyond the
// workloads: Services, each router's kinds (VirtualService, HTTPRoute, TraefikService ...),
// HPAs and ScaledObjects. A kind is watched from the first canary that needs it, so a cluster
// without Istio never lists VirtualServices. Reads come from these caches (see
// cached-client.ts); a change made by someone else wakes the owning canary to correct drift.
import { RawObjectApi } from '../kube/raw-object-api.js';
import type { KubeTransport } from '../kube/transport.js';
import type { KubeObject } from '../kube/types.js';
import { Informer, type ChangeType } from './informer.js';

export interface WatchedKindsOptions {
  /** '' watches all namespaces. */
  readonly namespace: string;
  /** A watched object changed (not by a write of ours: those are written through silently). */
  readonly onChange: (type: ChangeType, obj: KubeObject) => void;
  readonly onError: (what: string, err: unknown) => void;
  /** Retry pacing while a kind is not served (CRD not installed yet). */
  readonly retryMs?: number;
}

interface Entry {
  informer: Informer | undefined;
  stopped: boolean;
}

const id = (apiVersion: string, kind: string): string => `${apiVersion}|${kind}`;

export class WatchedKinds {
  readonly #transport: KubeTransport;
  readonly #opts: WatchedKindsOptions;
  readonly #discovery: RawObjectApi;
  readonly #entries = new Map<string, Entry>();

  constructor(transport: KubeTransport, opts: WatchedKindsOptions) {
    this.#transport = transport;
    this.#opts = opts;
    this.#discovery = new RawObjectApi(transport);
  }

  /** Starts watching a kind (once); until its first list completes, reads go to the API server. */
  ensure(apiVersion: string, kind: string): void {
    const key = id(apiVersion, kind);
    if (this.#entries.has(key)) return;
    const entry: Entry = { informer: undefined, stopped: false };
    this.#entries.set(key, entry);
    void this.#start(entry, apiVersion, kind);
  }

  /** The kind's cache once it holds a complete list; undefined before (or when not watched). */
  synced(apiVersion: string, kind: string): Informer | undefined {
    const informer = this.#entries.get(id(apiVersion, kind))?.informer;
    return informer?.synced === true ? informer : undefined;
  }

  /** Objects held across all watched kinds (for the memory figures of the benchmark). */
  get size(): number {
    let n = 0;
    for (const e of this.#entries.values()) n += e.informer?.size ?? 0;
    return n;
  }

  stop(): void {
    for (const e of this.#entries.values()) {
      e.stopped = true;
      e.informer?.stop();
    }
  }

  async #start(entry: Entry, apiVersion: string, kind: string): Promise<void> {
    const base = this.#opts.retryMs ?? 2000;
    for (let attempt = 0; !entry.stopped; attempt++) {
      let path: string | undefined;
      try {
        path = await this.#discovery.collectionPath(apiVersion, kind, this.#opts.namespace);
      } catch (err) {
        this.#opts.onError(`${kind} discovery`, err);
      }
      if (path !== undefined) {
        entry.informer = new Informer(this.#transport, {
          path,
          apiVersion,
          kind,
          onChange: (type, obj) => {
            this.#opts.onChange(type, obj);
          },
          onError: (err) => {
            this.#opts.onError(kind, err);
          },
        });
        await entry.informer.start();
        return;
      }
      // Not served yet (a CRD installed later): keep reading live meanwhile, look again.
      await new Promise((r) => setTimeout(r, Math.min(60_000, base * 2 ** Math.min(attempt, 5))).unref());
    }
  }
}
