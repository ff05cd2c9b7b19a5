// Kind → resource (plural name, namespaced or not) from the API server's discovery documents
// (GET /api/v1, /apis/<group>/<version>), cached per apiVersion. A kind missing from the
// cached document is looked up again, so a CRD installed after start-up is found; one request
// per apiVersion is in flight at a time however many callers miss together.
import { KubeApiError, statusDetails, type StatusDetails, type Verb } from './errors.js';
import { isRecord } from './json.js';
import type { KubeTransport } from './transport.js';
import type { ObjectRef } from './types.js';

export interface ApiResource {
  /** The plural, e.g. deployments. */
  readonly name: string;
  readonly kind: string;
  readonly namespaced: boolean;
}

/** /api/v1 or /apis/<group>/<version>. */
export const apiVersionPath = (apiVersion: string): string =>
  apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;

function resourcesOf(body: unknown): ApiResource[] {
  const list = isRecord(body) && Array.isArray(body['resources']) ? body['resources'] : [];
  const out: ApiResource[] = [];
  for (const r of list) {
    if (!isRecord(r) || typeof r['name'] !== 'string' || typeof r['kind'] !== 'string') continue;
    // deployments/status and deployments/scale are subresources, not the kind's collection.
    if (r['name'].includes('/')) continue;
    out.push({ name: r['name'], kind: r['kind'], namespaced: r['namespaced'] === true });
  }
  return out;
}

/** A discovery document's resources, or why it could not be read. */
type Fetched = { readonly resources: readonly ApiResource[] } | { readonly failed: StatusDetails };

export class Discovery {
  readonly #transport: KubeTransport;
  readonly #cache = new Map<string, readonly ApiResource[]>();
  readonly #inFlight = new Map<string, Promise<Fetched>>();

  constructor(transport: KubeTransport) {
    this.#transport = transport;
  }

  /**
   * The resource of a kind; undefined when the API server does not serve it (group/version
   * unknown, or the kind is not in it). Other failures throw a KubeApiError named after the
   * request that needed the answer (`verb`, `ref`).
   */
  async resource(
    apiVersion: string,
    kind: string,
    verb: Verb,
    ref?: ObjectRef,
  ): Promise<ApiResource | undefined> {
    const cached = this.#cache.get(apiVersion)?.find((r) => r.kind === kind);
    if (cached !== undefined) return cached;
    const fetched = await this.#fetch(apiVersion);
    if ('failed' in fetched) {
      const { failed } = fetched;
      const message = `discovery of ${apiVersion} failed${failed.message === '' ? '' : `: ${failed.message}`}`;
      throw new KubeApiError(verb, ref, { ...failed, message });
    }
    return fetched.resources.find((r) => r.kind === kind);
  }

  #fetch(apiVersion: string): Promise<Fetched> {
    let pending = this.#inFlight.get(apiVersion);
    if (pending === undefined) {
      pending = this.#get(apiVersion).finally(() => this.#inFlight.delete(apiVersion));
      this.#inFlight.set(apiVersion, pending);
    }
    return pending;
  }

  async #get(apiVersion: string): Promise<Fetched> {
    const res = await this.#transport.request({ method: 'GET', path: apiVersionPath(apiVersion) });
    // 404: the group/version is not served (CRD not installed): no resources, not an error.
    if (res.status === 404) return { resources: [] };
    if (res.status < 200 || res.status >= 300) return { failed: statusDetails(res.status, res.text) };
    const resources = resourcesOf(JSON.parse(res.text) as unknown);
    this.#cache.set(apiVersion, resources);
    return { resources };
  }
}
