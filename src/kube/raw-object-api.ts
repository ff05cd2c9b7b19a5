// Plain-JSON requests on top of client-node's KubernetesObjectApi: we reuse its resource
// discovery (kind → plural, namespaced or not) and its auth, but send and return JSON
// verbatim. The parent's model (de)serialisation would drop fields its bundled models do
// not know (newer Service fields, CRD fields under metadata) and would turn timestamps
// into Dates, which corrupts a read-modify-write round trip.

import {
  ApiException,
  HttpMethod,
  KubernetesObjectApi,
  type KubeConfig,
  type RequestContext,
  type ResponseContext,
} from '@kubernetes/client-node';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { KIND_NOT_SERVED, KubeApiError, statusDetails, type Verb } from './errors.js';
import { asArray, isRecord } from './json.js';
import { refOf, toKubeObject, type KubeObject, type ObjectRef } from './types.js';

interface ListQuery {
  apiVersion: string;
  kind: string;
  namespace: string | undefined;
  labelSelector?: string | undefined;
  signal?: AbortSignal | undefined;
}

const MERGE_PATCH = 'application/merge-patch+json';

/** What makes two of client-node's per-request agents interchangeable: their TLS identity. */
function tlsIdentity(agent: HttpsAgent): string {
  const o = agent.options;
  const text = (v: unknown): string => {
    if (Buffer.isBuffer(v)) return v.toString('base64');
    if (Array.isArray(v)) return v.map(text).join('|');
    return typeof v === 'string' || typeof v === 'boolean' ? String(v) : '';
  };
  return [o.ca, o.cert, o.key, o.pfx, o.passphrase, o.rejectUnauthorized, o.servername].map(text).join('\0');
}

export class RawObjectApi extends KubernetesObjectApi {
  /** The keep-alive agent every request goes through, and the TLS identity it was made for. */
  #shared: { identity: string; agent: HttpAgent } | undefined;

  static fromConfig(kc: KubeConfig): RawObjectApi {
    const api = kc.makeApiClient(RawObjectApi);
    api.setDefaultNamespace(kc);
    return api;
  }

  async getObject(ref: ObjectRef, signal?: AbortSignal): Promise<KubeObject | undefined> {
    const path = await this.pathFor('get', ref, 'read');
    const res = await this.send('get', ref, this.context(path, HttpMethod.GET, signal), true);
    return res === undefined ? undefined : toKubeObject(res, ref);
  }

  async listObjects(q: ListQuery): Promise<KubeObject[]> {
    const header = { apiVersion: q.apiVersion, kind: q.kind, name: '', namespace: q.namespace };
    const path = await this.pathFor('list', header, 'list');
    const ctx = this.context(path, HttpMethod.GET, q.signal);
    if (q.labelSelector !== undefined && q.labelSelector !== '')
      ctx.setQueryParam('labelSelector', q.labelSelector);
    const res = await this.send('list', undefined, ctx, false);
    const items = isRecord(res) ? asArray(res['items']) : [];
    return items.map((item) => toKubeObject(item, q));
  }

  async writeObject(verb: 'create' | 'replace', obj: KubeObject, signal?: AbortSignal): Promise<KubeObject> {
    const ref = refOf(obj);
    const path = await this.pathFor(verb, ref, verb);
    const ctx = this.context(path, verb === 'create' ? HttpMethod.POST : HttpMethod.PUT, signal);
    ctx.setHeaderParam('Content-Type', 'application/json');
    ctx.setBody(JSON.stringify(obj));
    return toKubeObject(await this.send(verb, ref, ctx, false), obj);
  }

  async patchObject(
    verb: 'patch' | 'patchStatus',
    ref: ObjectRef,
    patch: unknown,
    signal?: AbortSignal,
  ): Promise<KubeObject> {
    const base = await this.pathFor(verb, ref, 'patch');
    const ctx = this.context(verb === 'patchStatus' ? `${base}/status` : base, HttpMethod.PATCH, signal);
    ctx.setHeaderParam('Content-Type', MERGE_PATCH);
    ctx.setBody(JSON.stringify(patch));
    return toKubeObject(await this.send(verb, ref, ctx, false), ref);
  }

  async deleteObject(ref: ObjectRef, signal?: AbortSignal): Promise<boolean> {
    const path = await this.pathFor('delete', ref, 'delete');
    // Background propagation: dependents (owned objects) are collected by the GC later.
    const ctx = this.context(path, HttpMethod.DELETE, signal);
    ctx.setHeaderParam('Content-Type', 'application/json');
    ctx.setBody(JSON.stringify({ propagationPolicy: 'Background' }));
    return (await this.send('delete', ref, ctx, true)) !== undefined;
  }

  /**
   * The list/watch path of a kind (all namespaces when `namespace` is '' or the kind is
   * cluster-scoped), from discovery; undefined when the API server does not serve the kind.
   */
  async collectionPath(apiVersion: string, kind: string, namespace: string): Promise<string | undefined> {
    const resource = await this.resource(apiVersion, kind);
    if (resource === undefined) return undefined;
    const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    return resource.namespaced && namespace !== ''
      ? `${base}/namespaces/${namespace}/${resource.name}`
      : `${base}/${resource.name}`;
  }

  /**
   * Resolves the URL path via discovery (cached per apiVersion by the parent class). A kind
   * the server does not serve (CRD not installed) becomes a KubeApiError with reason
   * KindNotServed, which isNotFound does not mistake for a missing object.
   */
  private async pathFor(
    verb: Verb,
    ref: ObjectRef,
    action: 'read' | 'list' | 'create' | 'replace' | 'patch' | 'delete',
  ): Promise<string> {
    // specUriPath mutates its argument (defaults the namespace), so hand it a fresh header.
    const metadata =
      ref.namespace === undefined ? { name: ref.name } : { name: ref.name, namespace: ref.namespace };
    try {
      return await this.specUriPath({ apiVersion: ref.apiVersion, kind: ref.kind, metadata }, action);
    } catch (err) {
      const unserved =
        (err instanceof ApiException && err.code === 404) ||
        (err instanceof Error && err.message.startsWith('Unrecognized API version and kind'));
      if (!unserved) throw err;
      const message = `${ref.apiVersion} ${ref.kind} is not served by the API server (is its CRD installed?)`;
      throw new KubeApiError(verb, ref, { code: 404, reason: KIND_NOT_SERVED, message }, { cause: err });
    }
  }

  private context(path: string, method: HttpMethod, signal: AbortSignal | undefined): RequestContext {
    const ctx = this.configuration.baseServer.makeRequestContext(path, method);
    ctx.setHeaderParam('Accept', 'application/json');
    if (signal !== undefined) ctx.setSignal(signal);
    return ctx;
  }

  /**
   * client-node gives every request a new Agent (KubeConfig.applySecurityAuthentication), so
   * every request opened a new connection and, against a real API server, a new TLS
   * handshake: a CPU hot spot of a 200-canary run (docs/benchmarks.md). One keep-alive agent
   * with the same TLS options is reused instead, and replaced when those options change
   * (a rotated client certificate). Bearer tokens travel in headers, not in the agent.
   */
  private keepAliveAgent(fresh: HttpAgent | undefined): HttpAgent {
    if (fresh === undefined)
      return (this.#shared ??= { identity: '', agent: new HttpAgent({ keepAlive: true }) }).agent;
    const identity = fresh instanceof HttpsAgent ? tlsIdentity(fresh) : 'http';
    if (this.#shared?.identity !== identity) {
      this.#shared?.agent.destroy();
      const agent =
        fresh instanceof HttpsAgent
          ? new HttpsAgent({ ...fresh.options, keepAlive: true })
          : new HttpAgent({ keepAlive: true });
      this.#shared = { identity, agent };
    }
    fresh.destroy();
    return this.#shared.agent;
  }

  /**
   * Authenticates, runs the configured middleware and sends the request. Returns the decoded
   * JSON body; with `allowNotFound` a 404 yields undefined instead of an error.
   */
  private async send(
    verb: Verb,
    ref: ObjectRef | undefined,
    request: RequestContext,
    allowNotFound: boolean,
  ): Promise<unknown> {
    let ctx = request;
    const auth = this.configuration.authMethods;
    await auth.BearerToken?.applySecurityAuthentication(ctx);
    await auth.default?.applySecurityAuthentication(ctx);
    ctx.setAgent(this.keepAliveAgent(ctx.getAgent()));
    for (const mw of this.configuration.middleware) ctx = await mw.pre(ctx).toPromise();
    let response: ResponseContext = await this.configuration.httpApi.send(ctx).toPromise();
    for (const mw of this.configuration.middleware) response = await mw.post(response).toPromise();
    const text = await response.body.text();
    const code = response.httpStatusCode;
    if (code >= 200 && code < 300) return text === '' ? {} : (JSON.parse(text) as unknown);
    if (code === 404 && allowNotFound) return undefined;
    throw new KubeApiError(verb, ref, statusDetails(code, text));
  }
}
