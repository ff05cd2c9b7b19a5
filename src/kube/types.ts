// The object model of the generic client: any kind, built-in or CRD, as plain JSON.
// Typed-client classes (V1Service, ...) are deliberately not used: they drop fields the
// model does not know and turn timestamps into Dates, which breaks read-modify-write.

import { isRecord, stringMap } from './json.js';

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name: string;
  namespace?: string | undefined;
  uid?: string | undefined;
  resourceVersion?: string | undefined;
  generation?: number | undefined;
  creationTimestamp?: string | undefined;
  deletionTimestamp?: string | undefined;
  labels?: Record<string, string> | undefined;
  annotations?: Record<string, string> | undefined;
  ownerReferences?: OwnerReference[] | undefined;
  finalizers?: string[] | undefined;
  [field: string]: unknown;
}

/** Any Kubernetes object. Kind-specific fields (spec, status, data ...) stay `unknown`. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

/** Identifies one object. `namespace` is omitted for cluster-scoped kinds. */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string | undefined;
}

export function refOf(obj: KubeObject): ObjectRef {
  const { apiVersion, kind } = obj;
  const { name, namespace } = obj.metadata;
  return namespace === undefined ? { apiVersion, kind, name } : { apiVersion, kind, name, namespace };
}

export function describeRef(ref: ObjectRef): string {
  return `${ref.kind} ${ref.namespace ?? ''}${ref.namespace === undefined ? '' : '/'}${ref.name}`;
}

function ownerReferences(value: unknown): OwnerReference[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const out: OwnerReference[] = [];
  for (const item of value) {
    if (!isRecord(item)) continue;
    const { apiVersion, kind, name, uid, controller, blockOwnerDeletion } = item;
    if (typeof apiVersion !== 'string' || typeof kind !== 'string') continue;
    if (typeof name !== 'string' || typeof uid !== 'string') continue;
    const ref: OwnerReference = { apiVersion, kind, name, uid };
    if (typeof controller === 'boolean') ref.controller = controller;
    if (typeof blockOwnerDeletion === 'boolean') ref.blockOwnerDeletion = blockOwnerDeletion;
    out.push(ref);
  }
  return out;
}

/**
 * Narrows a decoded API response to a KubeObject. List items come without apiVersion/kind,
 * so the caller may supply them. Well-known metadata fields are type-checked; the rest of
 * the object is kept verbatim.
 */
export function toKubeObject(value: unknown, fallback?: { apiVersion: string; kind: string }): KubeObject {
  if (!isRecord(value)) throw new TypeError('API response is not an object');
  const apiVersion = typeof value['apiVersion'] === 'string' ? value['apiVersion'] : fallback?.apiVersion;
  const kind = typeof value['kind'] === 'string' ? value['kind'] : fallback?.kind;
  const meta = value['metadata'];
  if (apiVersion === undefined || kind === undefined || !isRecord(meta) || typeof meta['name'] !== 'string') {
    throw new TypeError('API response is not a Kubernetes object (apiVersion, kind, metadata.name)');
  }
  const metadata: ObjectMeta = { ...meta, name: meta['name'] };
  for (const key of ['labels', 'annotations'] as const) {
    if (meta[key] !== undefined) metadata[key] = stringMap(meta[key]);
  }
  const owners = ownerReferences(meta['ownerReferences']);
  if (owners !== undefined) metadata.ownerReferences = owners;
  for (const key of [
    'namespace',
    'uid',
    'resourceVersion',
    'creationTimestamp',
    'deletionTimestamp',
  ] as const) {
    const v = meta[key];
    if (v !== undefined && typeof v !== 'string') metadata[key] = undefined;
  }
  if (meta['generation'] !== undefined && typeof meta['generation'] !== 'number') delete metadata.generation;
  if (meta['finalizers'] !== undefined) {
    metadata.finalizers = Array.isArray(meta['finalizers'])
      ? meta['finalizers'].filter((f): f is string => typeof f === 'string')
      : [];
  }
  return { ...value, apiVersion, kind, metadata };
}
