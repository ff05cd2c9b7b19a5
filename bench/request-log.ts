// Which objects the operator's requests were about. The operator's RequestCounter
// only knows verbs; to say *why* a step costs what it costs (and whether a read is
// redundant), the benchmark wraps the methods of the operator's own KubeClient
// instance so that each request is also tallied as "<verb> <Kind>". The wrappers call
// the original methods, so the operator behaves exactly as before; nothing in src/
// is changed and the counts stay consistent with client.requests.
import type { KubeClient, ListOptions, RequestOptions } from '../src/kube/client.js';
import type { KubeObject, ObjectRef } from '../src/kube/types.js';

export type KindCounts = Readonly<Record<string, number>>;

export class RequestLog {
  readonly #counts = new Map<string, number>();

  record(verb: string, kind: string): void {
    const key = `${verb} ${kind}`;
    this.#counts.set(key, (this.#counts.get(key) ?? 0) + 1);
  }

  snapshot(): KindCounts {
    return Object.fromEntries(this.#counts);
  }
}

/** after − before, dropping zero entries; keys sorted for stable output. */
export function diffKinds(after: KindCounts, before: KindCounts): KindCounts {
  const out: Record<string, number> = {};
  for (const key of Object.keys(after).sort()) {
    const n = (after[key] ?? 0) - (before[key] ?? 0);
    if (n !== 0) out[key] = n;
  }
  return out;
}

export function kindsText(c: KindCounts): string {
  const parts = Object.entries(c).map(([k, n]) => `${n}× ${k}`);
  return parts.length > 0 ? parts.join(', ') : 'none';
}

/** Installs the tally on this client instance (idempotence is not needed: one per operator). */
export function attachRequestLog(client: KubeClient): RequestLog {
  const log = new RequestLog();
  const get = client.get.bind(client);
  const list = client.list.bind(client);
  const create = client.create.bind(client);
  const replace = client.replace.bind(client);
  const mergePatch = client.mergePatch.bind(client);
  const patchStatus = client.patchStatus.bind(client);
  const del = client.delete.bind(client);
  client.get = (ref: ObjectRef, o?: RequestOptions) => {
    // Reads served from the watch caches reach no API server: tally only those that did (the
    // underlying client counts a request synchronously when the call starts).
    const before = client.requests.total;
    const pending = get(ref, o);
    if (client.requests.total > before) log.record('get', ref.kind);
    return pending;
  };
  client.list = (apiVersion: string, kind: string, ns: string | undefined, o?: ListOptions) => {
    log.record('list', kind);
    return list(apiVersion, kind, ns, o);
  };
  client.create = (obj: KubeObject, o?: RequestOptions) => {
    log.record('create', obj.kind);
    return create(obj, o);
  };
  client.replace = (obj: KubeObject, o?: RequestOptions) => {
    log.record('replace', obj.kind);
    return replace(obj, o);
  };
  client.mergePatch = (ref: ObjectRef, patch: unknown, o?: RequestOptions) => {
    log.record('patch', ref.kind);
    return mergePatch(ref, patch, o);
  };
  client.patchStatus = (ref: ObjectRef, status: unknown, o?: RequestOptions) => {
    log.record('patchStatus', ref.kind);
    return patchStatus(ref, status, o);
  };
  client.delete = (ref: ObjectRef, o?: RequestOptions) => {
    log.record('delete', ref.kind);
    return del(ref, o);
  };
  return log;
}
