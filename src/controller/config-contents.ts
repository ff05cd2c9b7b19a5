// ConfigMap contents for config tracking without a GET per reconcile: the metadata-only
// informer tells the current resourceVersion, so a ConfigMap read once is reused until
// it changes. Secrets are not kept: their values are read when needed and dropped, so
// the operator never holds Secret data in memory between reconciles.
import type { KubeClient } from '../kube/client.js';
import type { KubeObject } from '../kube/types.js';
import type { ConfigKind } from '../targets/config-refs.js';

/** Entries are the ConfigMaps referenced by canary targets; a recreated one has a new resourceVersion. */
/** What is needed of the metadata-only ConfigMap informer. */
export interface MetadataCache {
  get(namespace: string, name: string): KubeObject | undefined;
}

export class ConfigMapContents {
  readonly #metadata: MetadataCache;
  readonly #client: KubeClient;
  readonly #entries = new Map<string, KubeObject>();

  constructor(metadata: MetadataCache, client: KubeClient) {
    this.#metadata = metadata;
    this.#client = client;
  }

  /** A lookup for observeConfigs: a cached ConfigMap when still current; undefined = read it yourself. */
  lookup(namespace: string): (kind: ConfigKind, name: string) => Promise<KubeObject | null | undefined> {
    return async (kind, name) => {
      if (kind !== 'configmap') return undefined;
      const key = `${namespace}/${name}`;
      const current = this.#metadata.get(namespace, name)?.metadata.resourceVersion;
      const cached = this.#entries.get(key);
      if (current !== undefined && cached?.metadata.resourceVersion === current) return cached;
      const fresh = await this.#client.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace, name });
      if (fresh) this.#entries.set(key, fresh);
      else this.#entries.delete(key);
      return fresh ?? null;
    };
  }
}
