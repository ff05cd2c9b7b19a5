// Plain-JSON requests for any kind, built-in or CRD: discovery says where a kind lives
// (kind → plural, namespaced or not) and the transport sends and returns JSON verbatim.
// Verbatim matters: client-node's model (de)serialisation used to drop fields its bundled
// models did not know (newer Service fields, CRD fields under metadata) and turned timestamps
// into Dates, which corrupts a read-modify-write round trip.
import { Discovery, apiVersionPath } from './discovery.js';
import { KIND_NOT_SERVED, KubeApiError, statusDetails, type Verb } from './errors.js';
import { asArray, isRecord } from './json.js';
import type { ApiRequest, KubeTransport } from './transport.js';
import { refOf, toKubeObject, type KubeObject, type ObjectRef } from './types.js';

interface ListQuery {
  apiVersion: string;
  kind: string;
  namespace: string | undefined;
  labelSelector?: string | undefined;
  signal?: AbortSignal | undefined;
}

const MERGE_PATCH = 'application/merge-patch+json';

/** The shape of the URL: a collection (list, create) or one object. */
type Target = 'collection' | 'object';

export class RawObjectApi {
  readonly #transport: KubeTransport;
  readonly #discovery: Discovery;

  constructor(transport: KubeTransport) {
    this.#transport = transport;
    this.#discovery = new Discovery(transport);
  }

  async getObject(ref: ObjectRef, signal?: AbortSignal): Promise<KubeObject | undefined> {
    const path = await this.#pathFor('get', ref, 'object');
    const res = await this.#send('get', ref, { method: 'GET', path, signal }, true);
    return res === undefined ? undefined : toKubeObject(res, ref);
  }

  async listObjects(q: ListQuery): Promise<KubeObject[]> {
    const path = await this.#pathFor(
      'list',
      { apiVersion: q.apiVersion, kind: q.kind, name: '', namespace: q.namespace },
      'collection',
    );
    const query =
      q.labelSelector !== undefined && q.labelSelector !== ''
        ? { labelSelector: q.labelSelector }
        : undefined;
    const res = await this.#send('list', undefined, { method: 'GET', path, query, signal: q.signal }, false);
    const items = isRecord(res) ? asArray(res['items']) : [];
    return items.map((item) => toKubeObject(item, q));
  }

  async writeObject(verb: 'create' | 'replace', obj: KubeObject, signal?: AbortSignal): Promise<KubeObject> {
    const ref = refOf(obj);
    const path = await this.#pathFor(verb, ref, verb === 'create' ? 'collection' : 'object');
    const res = await this.#send(
      verb,
      ref,
      {
        method: verb === 'create' ? 'POST' : 'PUT',
        path,
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(obj),
        signal,
      },
      false,
    );
    return toKubeObject(res, obj);
  }

  async patchObject(
    verb: 'patch' | 'patchStatus',
    ref: ObjectRef,
    patch: unknown,
    signal?: AbortSignal,
  ): Promise<KubeObject> {
    const base = await this.#pathFor(verb, ref, 'object');
    const res = await this.#send(
      verb,
      ref,
      {
        method: 'PATCH',
        path: verb === 'patchStatus' ? `${base}/status` : base,
        headers: { 'Content-Type': MERGE_PATCH },
        body: JSON.stringify(patch),
        signal,
      },
      false,
    );
    return toKubeObject(res, ref);
  }

  async deleteObject(ref: ObjectRef, signal?: AbortSignal): Promise<boolean> {
    const path = await this.#pathFor('delete', ref, 'object');
    // Background propagation: dependents (owned objects) are collected by the GC later.
    const body = JSON.stringify({ propagationPolicy: 'Background' });
    const req: ApiRequest = {
      method: 'DELETE',
      path,
      headers: { 'Content-Type': 'application/json' },
      body,
      signal,
    };
    return (await this.#send('delete', ref, req, true)) !== undefined;
  }

  /**
   * The list/watch path of a kind (all namespaces when `namespace` is '' or the kind is
   * cluster-scoped), from discovery; undefined when the API server does not serve the kind.
   */
  async collectionPath(apiVersion: string, kind: string, namespace: string): Promise<string | undefined> {
    const resource = await this.#discovery.resource(apiVersion, kind, 'list');
    if (resource === undefined) return undefined;
    const base = apiVersionPath(apiVersion);
    return resource.namespaced && namespace !== ''
      ? `${base}/namespaces/${encodeURIComponent(namespace)}/${resource.name}`
      : `${base}/${resource.name}`;
  }

  /**
   * The URL path from discovery. A namespaced object without a namespace goes to the
   * kubeconfig context's namespace (a list without one spans all namespaces). A kind the
   * server does not serve (CRD not installed) becomes a KubeApiError with reason
   * KindNotServed, which isNotFound does not mistake for a missing object.
   */
  async #pathFor(verb: Verb, ref: ObjectRef, target: Target): Promise<string> {
    const resource = await this.#discovery.resource(ref.apiVersion, ref.kind, verb, ref);
    if (resource === undefined) {
      const message = `${ref.apiVersion} ${ref.kind} is not served by the API server (is its CRD installed?)`;
      throw new KubeApiError(verb, ref, { code: 404, reason: KIND_NOT_SERVED, message });
    }
    const parts = [apiVersionPath(ref.apiVersion)];
    const namespace = ref.namespace ?? (verb === 'list' ? undefined : this.#transport.namespace);
    if (resource.namespaced && namespace !== undefined && namespace !== '')
      parts.push('namespaces', encodeURIComponent(namespace));
    parts.push(resource.name);
    if (target === 'object') parts.push(encodeURIComponent(ref.name));
    return parts.join('/');
  }

  /** The decoded JSON body; with `allowNotFound` a 404 yields undefined instead of an error. */
  async #send(
    verb: Verb,
    ref: ObjectRef | undefined,
    req: ApiRequest,
    allowNotFound: boolean,
  ): Promise<unknown> {
    const { status, text } = await this.#transport.request(req);
    if (status >= 200 && status < 300) return text === '' ? {} : (JSON.parse(text) as unknown);
    if (status === 404 && allowNotFound) return undefined;
    throw new KubeApiError(verb, ref, statusDetails(status, text));
  }
}
