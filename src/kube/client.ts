// KubeClient: the one way flagger-ts talks to the API server. A small facade over a generic
// object API (raw-object-api.ts), so routers and targets handle CRDs (VirtualService,
// HTTPRoute ...) and built-ins alike as plain JSON, and tests swap in FakeKubeClient.

import type { Verb } from './errors.js';
import type { KubeConfigData } from './kubeconfig.js';
import { loadKubeConfig } from './kubeconfig-load.js';
import { RawObjectApi } from './raw-object-api.js';
import { KubeTransport } from './transport.js';
import type { KubeObject, ObjectRef } from './types.js';

export type { Verb } from './errors.js';

export interface RequestOptions {
  signal?: AbortSignal | undefined;
}

export interface ListOptions extends RequestOptions {
  labelSelector?: string | undefined;
}

export interface KubeClient {
  /** Every request made through this client, per verb (API requests per analysis step). */
  readonly requests: RequestCounter;
  /** The object, or undefined when it does not exist (404). */
  get(ref: ObjectRef, options?: RequestOptions): Promise<KubeObject | undefined>;
  /** All objects of a kind; `namespace` undefined lists across namespaces. */
  list(
    apiVersion: string,
    kind: string,
    namespace: string | undefined,
    options?: ListOptions,
  ): Promise<KubeObject[]>;
  create(obj: KubeObject, options?: RequestOptions): Promise<KubeObject>;
  /**
   * PUT the whole object. With `metadata.resourceVersion` set, a concurrent change makes
   * it fail with a conflict (isConflict), which is how read-modify-write stays safe.
   */
  replace(obj: KubeObject, options?: RequestOptions): Promise<KubeObject>;
  /** JSON merge patch (RFC 7386); `null` deletes a field. */
  mergePatch(ref: ObjectRef, patch: unknown, options?: RequestOptions): Promise<KubeObject>;
  /** JSON merge patch of the status subresource (Canary status writes). */
  patchStatus(ref: ObjectRef, status: unknown, options?: RequestOptions): Promise<KubeObject>;
  /** Deletes the object; false when it was already gone. */
  delete(ref: ObjectRef, options?: RequestOptions): Promise<boolean>;
}

/** Counts requests per verb; the benchmark reads it around an analysis step. */
export class RequestCounter {
  #counts = new Map<Verb, number>();
  #listeners: ((verb: Verb) => void)[] = [];

  record(verb: Verb): void {
    this.#counts.set(verb, (this.#counts.get(verb) ?? 0) + 1);
    for (const listener of this.#listeners) listener(verb);
  }

  /** Also report each request elsewhere (the operator's /metrics). */
  onRecord(listener: (verb: Verb) => void): void {
    this.#listeners.push(listener);
  }

  count(verb: Verb): number {
    return this.#counts.get(verb) ?? 0;
  }

  get total(): number {
    let sum = 0;
    for (const n of this.#counts.values()) sum += n;
    return sum;
  }

  snapshot(): Record<Verb, number> {
    const c = (verb: Verb): number => this.count(verb);
    return {
      get: c('get'),
      list: c('list'),
      create: c('create'),
      replace: c('replace'),
      patch: c('patch'),
      patchStatus: c('patchStatus'),
      delete: c('delete'),
    };
  }

  reset(): void {
    this.#counts.clear();
  }
}

/** The real client. Failures surface as KubeApiError (see errors.ts). */
export class ApiServerClient implements KubeClient {
  readonly requests = new RequestCounter();
  readonly #api: RawObjectApi;

  /** The transport is shared with the informers (one keep-alive agent); a kubeconfig makes one. */
  constructor(source: KubeTransport | KubeConfigData) {
    this.#api = new RawObjectApi(source instanceof KubeTransport ? source : new KubeTransport(source));
  }

  async get(ref: ObjectRef, options?: RequestOptions): Promise<KubeObject | undefined> {
    this.requests.record('get');
    return this.#api.getObject(ref, options?.signal);
  }

  async list(
    apiVersion: string,
    kind: string,
    namespace: string | undefined,
    options?: ListOptions,
  ): Promise<KubeObject[]> {
    this.requests.record('list');
    return this.#api.listObjects({ apiVersion, kind, namespace, ...options });
  }

  async create(obj: KubeObject, options?: RequestOptions): Promise<KubeObject> {
    this.requests.record('create');
    return this.#api.writeObject('create', obj, options?.signal);
  }

  async replace(obj: KubeObject, options?: RequestOptions): Promise<KubeObject> {
    this.requests.record('replace');
    return this.#api.writeObject('replace', obj, options?.signal);
  }

  async mergePatch(ref: ObjectRef, patch: unknown, options?: RequestOptions): Promise<KubeObject> {
    this.requests.record('patch');
    return this.#api.patchObject('patch', ref, patch, options?.signal);
  }

  async patchStatus(ref: ObjectRef, status: unknown, options?: RequestOptions): Promise<KubeObject> {
    this.requests.record('patchStatus');
    return this.#api.patchObject('patchStatus', ref, { status }, options?.signal);
  }

  async delete(ref: ObjectRef, options?: RequestOptions): Promise<boolean> {
    this.requests.record('delete');
    return this.#api.deleteObject(ref, options?.signal);
  }
}

/**
 * A client over `source`: a transport, or a kubeconfig (ours, or a client-node KubeConfig, whose
 * fields are the same); without one, the kubeconfig is found the usual way (KUBECONFIG,
 * ~/.kube/config, in-cluster).
 */
export function createKubeClient(source?: KubeTransport | KubeConfigData): KubeClient {
  return new ApiServerClient(source ?? loadKubeConfig());
}
