// Metadata-only lists and watches (the API server's PartialObjectMetadata): enough to
// notice that an object changed (its resourceVersion moves) without receiving its
// content. Used for ConfigMaps and Secrets, so the operator never holds every Secret's
// values in memory just to learn that one of them changed.
import { KubeConfig } from '@kubernetes/client-node';
import type { RequestOptions } from 'node:https';

export const METADATA_LIST_ACCEPT = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1';
// Watches need the singular form: offered the list form, the server streams nothing.
export const METADATA_WATCH_ACCEPT = 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1';

/** client-node's Watch takes no headers; this KubeConfig adds the Accept header to its requests. */
class MetadataWatchConfig extends KubeConfig {
  override applyToFetchOptions(opts: RequestOptions): ReturnType<KubeConfig['applyToFetchOptions']> {
    // Watch passes no headers of its own; a header list (the array form) is not used here.
    const own = opts.headers === undefined || Array.isArray(opts.headers) ? {} : opts.headers;
    return super.applyToFetchOptions({
      ...opts,
      headers: Object.assign({}, own, { Accept: METADATA_WATCH_ACCEPT }),
    });
  }
}

/** A copy of `kc` (same clusters, users, context) whose watches ask for metadata only. */
export function metadataWatchConfig(kc: KubeConfig): KubeConfig {
  const copy = new MetadataWatchConfig();
  copy.loadFromOptions({
    clusters: kc.getClusters(),
    users: kc.getUsers(),
    contexts: kc.getContexts(),
    currentContext: kc.getCurrentContext(),
  });
  return copy;
}
