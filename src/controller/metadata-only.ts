// Metadata-only lists and watches (the API server's PartialObjectMetadata): enough to
// notice that an object changed (its resourceVersion moves) without receiving its
// content. Used for ConfigMaps and Secrets, so the operator never holds every Secret's
// values in memory just to learn that one of them changed.

export const METADATA_LIST_ACCEPT = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1';
// Watches need the singular form: offered the list form, the server streams nothing.
export const METADATA_WATCH_ACCEPT = 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1';
