// The meshes' real CRDs on the test cluster, from the modules pinned in hack/crds/pins.txt.
// Older projects (smi-sdk-go, the App Mesh controller v0.5.0) ship apiextensions.k8s.io/v1beta1
// CRDs, which Kubernetes 1.22+ no longer accepts. They are converted mechanically to v1, the
// way the API server itself stored them: per-version schema, subresources and printer
// columns; `type: object` filled in where v1 requires a structural schema, and oneOf/anyOf/
// allOf/not dropped (v1 forbids types inside them); a version without any schema keeps unknown
// fields. A CRD whose stored versions the new one does not serve (another project's
// TrafficSplit) is deleted first, with its objects. Only CustomResourceDefinition documents are applied (the
// App Mesh file also holds the controller's Deployment and RBAC).
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import type { ClusterState } from '../../../hack/cluster/state.js';
import { kubectl, waitEstablished } from '../../harness/kubectl.js';
import { crdSource, type CrdSource } from '../../harness/third-party-crds.js';

type Json = Record<string, unknown>;
const isJson = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

const JUNCTORS = new Set(['oneOf', 'anyOf', 'allOf', 'not']);

/** Adds `type: object` to schema nodes with properties but no type (v1 wants structural schemas). */
function structural(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(structural);
  if (!isJson(schema)) return schema;
  const out: Json = {};
  for (const [k, v] of Object.entries(schema)) {
    // Junctors carrying types (App Mesh's oneOf of backend shapes) cannot be structural in v1;
    // v1beta1 accepted them only with preserveUnknownFields. They are dropped (less validation).
    if (JUNCTORS.has(k)) continue;
    // `properties` maps names to schemas; recurse into each schema, not the map itself.
    out[k] =
      k === 'properties' && isJson(v)
        ? Object.fromEntries(Object.entries(v).map(([n, s]) => [n, structural(s)]))
        : structural(v);
  }
  if (out['type'] === undefined && (out['properties'] !== undefined || out['required'] !== undefined)) {
    out['type'] = 'object';
  }
  // A node described only by the dropped junctors keeps whatever fields it is given.
  if (out['type'] === undefined && Object.keys(schema).some((k) => JUNCTORS.has(k))) {
    out['type'] = 'object';
    out['x-kubernetes-preserve-unknown-fields'] = true;
  }
  return out;
}

const printerColumn = (c: unknown): unknown => {
  if (!isJson(c)) return c;
  const { JSONPath, ...rest } = c;
  return JSONPath === undefined ? c : { ...rest, jsonPath: JSONPath };
};

export function crdToV1(crd: Json): Json {
  if (crd['apiVersion'] === 'apiextensions.k8s.io/v1') return crd;
  const spec = isJson(crd['spec']) ? crd['spec'] : {};
  const validation = isJson(spec['validation']) ? spec['validation']['openAPIV3Schema'] : undefined;
  const fallback =
    validation === undefined ? { 'x-kubernetes-preserve-unknown-fields': true } : structural(validation);
  const listed = Array.isArray(spec['versions']) ? spec['versions'].filter(isJson) : [];
  const versions = (
    listed.length > 0 ? listed : [{ name: spec['version'], served: true, storage: true }]
  ).map((v) => {
    const own = isJson(v['schema']) ? structural(v['schema']['openAPIV3Schema']) : undefined;
    const columns = v['additionalPrinterColumns'] ?? spec['additionalPrinterColumns'];
    return {
      name: v['name'],
      served: v['served'],
      storage: v['storage'],
      schema: { openAPIV3Schema: { type: 'object', ...(isJson(own) ? own : (fallback as Json)) } },
      ...((v['subresources'] ?? spec['subresources'])
        ? { subresources: v['subresources'] ?? spec['subresources'] }
        : {}),
      ...(Array.isArray(columns) ? { additionalPrinterColumns: columns.map(printerColumn) } : {}),
    };
  });
  const meta = isJson(crd['metadata']) ? crd['metadata'] : {};
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: meta['name'] },
    spec: { group: spec['group'], scope: spec['scope'], names: spec['names'], versions },
  };
}

function crdDocuments(source: CrdSource): Json[] {
  return source.files
    .flatMap((f) => parseAllDocuments(readFileSync(f, 'utf8')).map((d) => d.toJS() as unknown))
    .filter((d): d is Json => isJson(d) && d['kind'] === 'CustomResourceDefinition')
    .map(crdToV1);
}

/** Deletes the live CRD of the same name when it stored versions `crd` does not list. */
function replaceIncompatible(cluster: ClusterState, crd: Json): void {
  const name = String((crd['metadata'] as Json)['name']);
  const live = kubectl(cluster, ['get', 'crd', name, '--ignore-not-found', '-o', 'json']);
  if (live.trim() === '') return;
  const stored = ((JSON.parse(live) as Json)['status'] as Json | undefined)?.['storedVersions'];
  const versions = ((crd['spec'] as Json)['versions'] as Json[]).map((v) => v['name']);
  if (Array.isArray(stored) && stored.every((v) => versions.includes(v))) return;
  kubectl(cluster, ['delete', 'crd', name, '--wait=true', '--timeout=60s']);
}

/**
 * Applies a pinned project's CRDs (converted to v1) and waits until they are Established and
 * every served version is discoverable. Projects that define the same CRD (the SMI TrafficSplit
 * of smi-v1alpha1, osm and smi-v1alpha3) replace each other: callers serialise them.
 */
export async function applyMeshCrds(cluster: ClusterState, project: string): Promise<CrdSource> {
  const source = await crdSource(project);
  const docs = crdDocuments(source);
  if (docs.length === 0) throw new Error(`no CRDs in ${source.module}@${source.version}`);
  for (const d of docs) replaceIncompatible(cluster, d);
  kubectl(
    cluster,
    ['apply', '--server-side', '--force-conflicts', '-f', '-'],
    JSON.stringify({ apiVersion: 'v1', kind: 'List', items: docs }),
  );
  waitEstablished(
    cluster,
    docs.map((d) => `crd/${String((d['metadata'] as Json)['name'])}`),
  );
  return source;
}
