// An in-memory KubeClient for tests and benchmarks. It behaves like the API server where
// callers depend on it: resourceVersion bumps on every write and a stale replace fails with
// 409 Conflict, create of an existing name fails with AlreadyExists, main-resource writes
// never touch `status` (the status subresource does), generation counts spec changes,
// delete of an object with finalizers only sets deletionTimestamp, and Services get the
// server-side defaults (clusterIP, protocol ...) that a real apiserver would add.

import { RequestCounter, type KubeClient, type ListOptions, type RequestOptions } from './client.js';
import { KubeApiError, type StatusDetails, type Verb } from './errors.js';
import { deepEqual, isRecord } from './json.js';
import { matchesLabelSelector } from './label-selector.js';
import { applyMergePatch } from './merge-patch.js';
import { defaultObject } from './fake-defaults.js';
import { refOf, toKubeObject, type KubeObject, type ObjectRef } from './types.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';
export type WatchListener = (type: WatchEventType, obj: KubeObject) => void;

/** An injected failure: the next `times` matching requests fail with `status`. */
export interface FaultRule {
  verb: Verb;
  kind?: string;
  name?: string;
  status: { code: number; reason: string; message?: string };
  times?: number;
}

export interface FakeKubeClientOptions {
  now?: () => Date;
}

function keyOf(ref: ObjectRef): string {
  return `${ref.apiVersion}|${ref.kind}|${ref.namespace ?? ''}|${ref.name}`;
}

function specOf(obj: KubeObject): unknown {
  const { metadata: _m, status: _s, ...rest } = obj;
  return rest;
}

export class FakeKubeClient implements KubeClient {
  readonly requests = new RequestCounter();
  readonly #objects = new Map<string, KubeObject>();
  readonly #listeners = new Set<WatchListener>();
  readonly #faults: FaultRule[] = [];
  readonly #now: () => Date;
  #version = 0;

  constructor(options: FakeKubeClientOptions = {}) {
    this.#now = options.now ?? ((): Date => new Date());
  }

  // ---- test helpers (not counted as requests) ----

  /** Puts objects as they are (status included), e.g. to set up a scenario. */
  seed(...objects: KubeObject[]): void {
    for (const obj of objects) {
      const live = this.#objects.get(keyOf(refOf(obj)));
      const stored = this.#stamp(structuredClone(obj), live);
      this.#store(stored);
      this.#emit(live === undefined ? 'ADDED' : 'MODIFIED', stored);
    }
  }

  /** Reads an object without counting a request. */
  peek(ref: ObjectRef): KubeObject | undefined {
    const obj = this.#objects.get(keyOf(ref));
    return obj === undefined ? undefined : structuredClone(obj);
  }

  all(): KubeObject[] {
    return [...this.#objects.values()].map((o) => structuredClone(o));
  }

  watch(listener: WatchListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Makes the next matching request(s) fail, e.g. a 409 from a concurrent writer. */
  fail(rule: FaultRule): void {
    this.#faults.push({ ...rule, times: rule.times ?? 1 });
  }

  // ---- KubeClient ----

  get(ref: ObjectRef, _options?: RequestOptions): Promise<KubeObject | undefined> {
    return this.#run('get', ref, () => this.peek(ref));
  }

  list(
    apiVersion: string,
    kind: string,
    namespace: string | undefined,
    options?: ListOptions,
  ): Promise<KubeObject[]> {
    return this.#run('list', { apiVersion, kind, name: '' }, () =>
      this.all().filter(
        (o) =>
          o.apiVersion === apiVersion &&
          o.kind === kind &&
          (namespace === undefined || o.metadata.namespace === namespace) &&
          matchesLabelSelector(options?.labelSelector, o.metadata.labels ?? {}),
      ),
    );
  }

  create(obj: KubeObject, _options?: RequestOptions): Promise<KubeObject> {
    const ref = refOf(obj);
    return this.#run('create', ref, () => {
      if (this.#objects.has(keyOf(ref))) {
        throw this.#error('create', ref, 409, 'AlreadyExists', `${ref.kind} "${ref.name}" already exists`);
      }
      const { status: _ignored, ...rest } = structuredClone(obj);
      const created: KubeObject = {
        ...rest,
        metadata: {
          ...rest.metadata,
          uid: `uid-${String(++this.#version)}`,
          creationTimestamp: this.#now().toISOString(),
          generation: 1,
        },
      };
      delete created.metadata.resourceVersion;
      delete created.metadata.deletionTimestamp;
      return this.#commit(defaultObject('create', created, undefined), undefined);
    });
  }

  replace(obj: KubeObject, _options?: RequestOptions): Promise<KubeObject> {
    const ref = refOf(obj);
    return this.#run('replace', ref, () => {
      const live = this.#mustGet('replace', ref);
      this.#checkVersion('replace', ref, obj.metadata.resourceVersion, live);
      const next = structuredClone(obj);
      if (live['status'] === undefined) delete next['status'];
      else next['status'] = live['status'];
      return this.#commit(defaultObject('replace', next, live), live);
    });
  }

  mergePatch(ref: ObjectRef, patch: unknown, _options?: RequestOptions): Promise<KubeObject> {
    return this.#run('patch', ref, () => {
      const live = this.#mustGet('patch', ref);
      const meta = isRecord(patch) && isRecord(patch['metadata']) ? patch['metadata'] : {};
      const rv = meta['resourceVersion'];
      this.#checkVersion('patch', ref, typeof rv === 'string' ? rv : undefined, live);
      const next = toKubeObject(applyMergePatch(live, patch), ref);
      if (live['status'] === undefined) delete next['status'];
      else next['status'] = live['status'];
      return this.#commit(defaultObject('patch', next, live), live);
    });
  }

  patchStatus(ref: ObjectRef, status: unknown, _options?: RequestOptions): Promise<KubeObject> {
    return this.#run('patchStatus', ref, () => {
      const live = this.#mustGet('patchStatus', ref);
      const next = structuredClone(live);
      next['status'] = applyMergePatch(live['status'], status);
      return this.#commit(next, live);
    });
  }

  delete(ref: ObjectRef, _options?: RequestOptions): Promise<boolean> {
    return this.#run('delete', ref, () => {
      const live = this.#objects.get(keyOf(ref));
      if (live === undefined) return false;
      if ((live.metadata.finalizers ?? []).length > 0) {
        if (live.metadata.deletionTimestamp === undefined) {
          // Bypasses #commit, which keeps clients from writing deletionTimestamp.
          const next = structuredClone(live);
          next.metadata.deletionTimestamp = this.#now().toISOString();
          next.metadata.resourceVersion = String(++this.#version);
          this.#store(next);
          this.#emit('MODIFIED', next);
        }
        return true;
      }
      this.#remove(live);
      return true;
    });
  }

  // ---- internals ----

  async #run<T>(verb: Verb, ref: ObjectRef, op: () => T): Promise<T> {
    this.requests.record(verb);
    // A real request is never synchronous; keep callers honest about awaiting.
    await Promise.resolve();
    const fault = this.#faults.find(
      (f) => f.verb === verb && (f.kind ?? ref.kind) === ref.kind && (f.name ?? ref.name) === ref.name,
    );
    if (fault !== undefined) {
      fault.times = (fault.times ?? 1) - 1;
      if (fault.times <= 0) this.#faults.splice(this.#faults.indexOf(fault), 1);
      const { code, reason, message = 'injected failure' } = fault.status;
      throw this.#error(verb, ref, code, reason, message);
    }
    return op();
  }

  #error(verb: Verb, ref: ObjectRef, code: number, reason: string, message: string): KubeApiError {
    const status: StatusDetails = { code, reason, message };
    return new KubeApiError(verb, ref, status);
  }

  #mustGet(verb: Verb, ref: ObjectRef): KubeObject {
    const live = this.#objects.get(keyOf(ref));
    if (live === undefined)
      throw this.#error(verb, ref, 404, 'NotFound', `${ref.kind} "${ref.name}" not found`);
    return live;
  }

  #checkVersion(verb: Verb, ref: ObjectRef, sent: string | undefined, live: KubeObject): void {
    if (sent === undefined || sent === '' || sent === live.metadata.resourceVersion) return;
    throw this.#error(
      verb,
      ref,
      409,
      'Conflict',
      `Operation cannot be fulfilled on ${ref.kind} "${ref.name}": the object has been modified; ` +
        'please apply your changes to the latest version and try again',
    );
  }

  /** Fills the server-owned metadata of a new or replaced object. */
  #stamp(obj: KubeObject, live: KubeObject | undefined): KubeObject {
    const meta = obj.metadata;
    meta.uid = live?.metadata.uid ?? meta.uid ?? `uid-${String(++this.#version)}`;
    meta.creationTimestamp =
      live?.metadata.creationTimestamp ?? meta.creationTimestamp ?? this.#now().toISOString();
    meta.resourceVersion = String(++this.#version);
    meta.generation = meta.generation ?? live?.metadata.generation ?? 1;
    return obj;
  }

  #commit(next: KubeObject, live: KubeObject | undefined): KubeObject {
    if (live !== undefined) {
      // Server-owned metadata is not writable by clients.
      next.metadata.uid = live.metadata.uid;
      next.metadata.creationTimestamp = live.metadata.creationTimestamp;
      if (live.metadata.deletionTimestamp !== undefined) {
        next.metadata.deletionTimestamp = live.metadata.deletionTimestamp;
      } else delete next.metadata.deletionTimestamp;
      const gen = live.metadata.generation ?? 1;
      next.metadata.generation = deepEqual(specOf(next), specOf(live)) ? gen : gen + 1;
      const sameVersion = {
        ...next,
        metadata: { ...next.metadata, resourceVersion: live.metadata.resourceVersion },
      };
      if (deepEqual(sameVersion, live)) {
        // A no-op write does not bump resourceVersion on a real server either.
        return structuredClone(live);
      }
    }
    next.metadata.resourceVersion = String(++this.#version);
    if (next.metadata.deletionTimestamp !== undefined && (next.metadata.finalizers ?? []).length === 0) {
      this.#remove(next);
      return structuredClone(next);
    }
    this.#store(next);
    this.#emit(live === undefined ? 'ADDED' : 'MODIFIED', next);
    return structuredClone(next);
  }

  #store(obj: KubeObject): void {
    this.#objects.set(keyOf(refOf(obj)), obj);
  }

  #remove(obj: KubeObject): void {
    this.#objects.delete(keyOf(refOf(obj)));
    this.#emit('DELETED', obj);
  }

  #emit(type: WatchEventType, obj: KubeObject): void {
    for (const listener of this.#listeners) listener(type, structuredClone(obj));
  }
}
