// Cluster plumbing for the benchmark: its own namespaces, a watch that timestamps
// every change as it arrives (so latencies are measured from events, not polls), and
// the cluster's kubectl run asynchronously (a synchronous spawn would freeze the
// in-process operator while kubectl runs).
import { Watch, type KubeConfig } from '@kubernetes/client-node';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { ClusterState } from '../hack/cluster/state.js';
import type { KubeClient } from '../src/kube/client.js';
import { isRecord } from '../src/kube/json.js';
import { toKubeObject, type KubeObject } from '../src/kube/types.js';

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Milliseconds on a monotonic clock. */
export const now = (): number => performance.now();

export const BENCH_LABEL = 'flagger-ts.dev/benchmark';

/** Namespaces this process created and has not deleted yet (for cleanup on abort). */
export const liveNamespaces = new Set<string>();

/** Creates `<prefix>-<random>` and waits for its default ServiceAccount (pods need it). */
export async function createNamespace(kube: KubeClient, prefix: string): Promise<string> {
  const name = `${prefix}-${randomBytes(3).toString('hex')}`;
  await kube.create({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels: { [BENCH_LABEL]: 'true' } },
  });
  liveNamespaces.add(name);
  await until(`default ServiceAccount in ${name}`, 30_000, async () => {
    const sa = await kube.get({ apiVersion: 'v1', kind: 'ServiceAccount', namespace: name, name: 'default' });
    return sa !== undefined;
  });
  return name;
}

export async function deleteNamespace(kube: KubeClient, name: string): Promise<void> {
  await kube.delete({ apiVersion: 'v1', kind: 'Namespace', name }).catch(() => false);
  liveNamespaces.delete(name);
}

/** Polls `check` every `everyMs` until it returns true; throws after `timeoutMs`. */
export async function until(
  what: string,
  timeoutMs: number,
  check: () => boolean | Promise<boolean>,
  everyMs = 100,
): Promise<void> {
  const deadline = now() + timeoutMs;
  let lastErr: unknown;
  while (now() < deadline) {
    try {
      if (await check()) return;
    } catch (err) {
      lastErr = err;
    }
    await sleep(everyMs);
  }
  const detail = lastErr instanceof Error ? ` (last error: ${lastErr.message})` : '';
  throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}${detail}`);
}

export interface KubectlResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** now() when the process exited */
  readonly exitedAt: number;
}

/** The cluster's own kubectl, without blocking the event loop. */
export function kubectlAsync(cluster: ClusterState, args: readonly string[]): Promise<KubectlResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cluster.kubectl, ['--kubeconfig', cluster.kubeconfig, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('error', reject);
    child.on('close', (code) => {
      const res = { code: code ?? -1, stdout, stderr, exitedAt: now() };
      if (res.code === 0) resolve(res);
      else reject(new Error(`kubectl ${args.join(' ')} exited ${res.code}: ${stderr.trim()}`));
    });
  });
}

/** One observed state of an object (undefined = deleted) and when the watch delivered it. */
export interface Seen {
  readonly obj: KubeObject | undefined;
  readonly at: number;
}

interface Waiter {
  readonly name: string;
  readonly pred: (obj: KubeObject | undefined) => boolean;
  readonly resolve: (s: Seen) => void;
}

export type WatchListener = (name: string, seen: Seen) => void;

/**
 * Watches one kind in one namespace. Every event is stamped with now() on arrival;
 * waiters and listeners see each state in order. Restarts (which re-deliver the
 * current state late) are counted so a report can say whether one happened.
 */
export class ObjectWatch {
  readonly #kc: KubeConfig;
  readonly #path: string;
  readonly #apiVersion: string;
  readonly #kind: string;
  readonly #latest = new Map<string, KubeObject>();
  readonly #waiters = new Set<Waiter>();
  readonly #listeners = new Set<WatchListener>();
  #abort: AbortController | undefined;
  #stopped = false;
  restarts = 0;

  constructor(kc: KubeConfig, opts: { path: string; apiVersion: string; kind: string }) {
    this.#kc = kc;
    this.#path = opts.path;
    this.#apiVersion = opts.apiVersion;
    this.#kind = opts.kind;
  }

  /** Resolves once the API server has accepted the watch request. */
  async start(): Promise<void> {
    const watch = new Watch(this.#kc);
    this.#abort = await watch.watch(
      this.#path,
      {},
      (type: string, apiObj: unknown) => {
        this.#onEvent(type, apiObj, now());
      },
      () => {
        if (this.#stopped) return;
        this.restarts++;
        setTimeout(() => {
          this.start().catch(() => undefined);
        }, 200).unref();
      },
    );
  }

  stop(): void {
    this.#stopped = true;
    this.#abort?.abort();
  }

  latest(name: string): KubeObject | undefined {
    return this.#latest.get(name);
  }

  listen(l: WatchListener): () => void {
    this.#listeners.add(l);
    return () => this.#listeners.delete(l);
  }

  /** The first state (current or future) of `name` that satisfies `pred`. */
  waitFor(
    name: string,
    pred: (obj: KubeObject | undefined) => boolean,
    timeoutMs: number,
    what: string,
  ): Promise<Seen> {
    const current = this.#latest.get(name);
    if (pred(current)) return Promise.resolve({ obj: current, at: now() });
    return new Promise<Seen>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        reject(new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}`));
      }, timeoutMs);
      const waiter: Waiter = {
        name,
        pred,
        resolve: (s) => {
          clearTimeout(timer);
          resolve(s);
        },
      };
      this.#waiters.add(waiter);
    });
  }

  #onEvent(type: string, apiObj: unknown, at: number): void {
    if (type === 'BOOKMARK' || type === 'ERROR' || !isRecord(apiObj)) return;
    const obj = toKubeObject(apiObj, { apiVersion: this.#apiVersion, kind: this.#kind });
    const name = obj.metadata.name;
    const state = type === 'DELETED' ? undefined : obj;
    if (state === undefined) this.#latest.delete(name);
    else this.#latest.set(name, state);
    const seen: Seen = { obj: state, at };
    for (const l of this.#listeners) l(name, seen);
    for (const w of [...this.#waiters]) {
      if (w.name === name && w.pred(state)) {
        this.#waiters.delete(w);
        w.resolve(seen);
      }
    }
  }
}

export function canaryWatch(kc: KubeConfig, namespace: string): ObjectWatch {
  return new ObjectWatch(kc, {
    path: `/apis/flagger.app/v1beta1/namespaces/${namespace}/canaries`,
    apiVersion: 'flagger.app/v1beta1',
    kind: 'Canary',
  });
}

export function deploymentWatch(kc: KubeConfig, namespace: string): ObjectWatch {
  return new ObjectWatch(kc, {
    path: `/apis/apps/v1/namespaces/${namespace}/deployments`,
    apiVersion: 'apps/v1',
    kind: 'Deployment',
  });
}

// Small typed readers for the fields the benchmark looks at.

function field(obj: KubeObject | undefined, ...path: string[]): unknown {
  let v: unknown = obj;
  for (const p of path) v = isRecord(v) ? v[p] : undefined;
  return v;
}

export function phaseOf(canary: KubeObject | undefined): string {
  const p = field(canary, 'status', 'phase');
  return typeof p === 'string' ? p : '';
}

export function weightOf(canary: KubeObject | undefined): number {
  const w = field(canary, 'status', 'canaryWeight');
  return typeof w === 'number' ? w : 0;
}

export function imageOf(deployment: KubeObject | undefined): string | undefined {
  const containers = field(deployment, 'spec', 'template', 'spec', 'containers');
  const first: unknown = Array.isArray(containers) ? containers[0] : undefined;
  const image = isRecord(first) ? first['image'] : undefined;
  return typeof image === 'string' ? image : undefined;
}

/** spec.replicas and status.replicas are both 0: the pods are gone. */
export function scaledToZero(deployment: KubeObject | undefined): boolean {
  const spec = field(deployment, 'spec', 'replicas');
  const status = field(deployment, 'status', 'replicas');
  return spec === 0 && (status === undefined || status === 0);
}
