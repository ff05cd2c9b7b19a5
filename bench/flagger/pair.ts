// One side-by-side run: a fresh namespace per operator, a counting proxy per operator, both
// operators started fresh (so peak RSS belongs to this run), one canary watch per namespace;
// everything stopped and deleted afterwards, also when the run fails.
import type { KubeConfig } from '@kubernetes/client-node';
import { join } from 'node:path';
import { freePort } from '../../hack/cluster/proc.js';
import type { ClusterState } from '../../hack/cluster/state.js';
import type { KubeClient } from '../../src/kube/client.js';
import { isRecord } from '../../src/kube/json.js';
import type { KubeObject } from '../../src/kube/types.js';
import { CONTAINER, IMAGE_REPO, benchDeployment } from '../objects.js';
import { createNamespace, deleteNamespace, now, sleep, until } from '../kube.js';
import { startOperator, writeKubeconfig, type OperatorProc, type Side, type Usage } from './operators.js';
import { startProxy, type CountingProxy, type RequestRecord } from './proxy.js';
import { Timeline } from './timeline.js';

export const SIDES: readonly Side[] = ['flagger-ts', 'flagger'];

export interface Env {
  readonly cluster: ClusterState;
  readonly kc: KubeConfig;
  /** The benchmark's own admin client (not counted). */
  readonly kube: KubeClient;
  readonly dir: string;
  readonly flaggerBin: string;
  readonly tokens: Readonly<Record<Side, string>>;
  readonly ca: Buffer;
  readonly cpuProfDir?: string | undefined;
  readonly heapProfDir?: string | undefined;
  readonly log: (line: string) => void;
}

export interface SideRun {
  readonly side: Side;
  readonly ns: string;
  readonly proxy: CountingProxy;
  readonly proc: OperatorProc;
  readonly tl: Timeline;
}

export type Pair = Readonly<Record<Side, SideRun>>;

/** Runs `fn` with at most `limit` calls in flight, in order of `items`. */
export async function pool<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

export const canaryNames = (n: number): string[] => Array.from({ length: n }, (_, i) => `c-${i}`);

/** The shared method's Canary: istio, stepWeight 20, maxWeight 60, threshold 2, no metrics. */
export function canary(namespace: string, name: string, interval: string): KubeObject {
  return {
    apiVersion: 'flagger.app/v1beta1',
    kind: 'Canary',
    metadata: { name, namespace },
    spec: {
      provider: 'istio',
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
      progressDeadlineSeconds: 600,
      service: { port: 9898 },
      analysis: { interval, threshold: 2, stepWeight: 20, maxWeight: 60 },
    },
  };
}

/** What `kubectl set image` changes, as a merge patch of the one container (ports kept). */
export function setImage(kube: KubeClient, ns: string, name: string, tag: string): Promise<KubeObject> {
  const container = {
    name: CONTAINER,
    image: `${IMAGE_REPO}:${tag}`,
    ports: [{ name: 'http', containerPort: 9898 }],
  };
  return kube.mergePatch(
    { apiVersion: 'apps/v1', kind: 'Deployment', namespace: ns, name },
    { spec: { template: { spec: { containers: [container] } } } },
  );
}

/** Creates the targets in both namespaces (interleaved) and waits until all are available. */
export async function createTargets(env: Env, pair: Pair, names: readonly string[]): Promise<void> {
  const jobs = names.flatMap((n) => SIDES.map((s) => ({ ns: pair[s].ns, n })));
  await pool(jobs, 16, (j) => env.kube.create(benchDeployment(j.ns, j.n, '6.0.0', 1)));
  await until(
    `${names.length} Deployments available in both namespaces`,
    120_000 + names.length * 600,
    async () => {
      for (const s of SIDES) {
        const deps = await env.kube.list('apps/v1', 'Deployment', pair[s].ns);
        const ready = deps.filter(
          (d) => isRecord(d['status']) && d['status']['availableReplicas'] === 1,
        ).length;
        if (ready < names.length) return false;
      }
      return true;
    },
    2000,
  );
}

/** A request is about canary `c-3` when it names c-3, c-3-primary, c-3-canary or an Event of c-3. */
export function canaryOf(rec: RequestRecord): string | undefined {
  return /^(c-\d+)(?:-primary|-canary)?$/.exec(rec.name)?.[1];
}

export function requestsBetween(side: SideRun, from: number, to: number, name?: string): number {
  let n = 0;
  for (const r of side.proxy.records) {
    if (r.at < from || r.at >= to) continue;
    if (name === undefined || canaryOf(r) === name) n++;
  }
  return n;
}

/** Requests of one side in [from, to) by `verb resource` (e.g. `patch canaries/status`), most first. */
export function requestKinds(side: SideRun, from: number, to: number): Record<string, number> {
  const counts = new Map<string, number>();
  for (const r of side.proxy.records) {
    if (r.at < from || r.at >= to) continue;
    const k = `${r.verb} ${r.resource}`;
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return Object.fromEntries([...counts].sort((a, b) => b[1] - a[1]));
}

export async function withPair<T>(env: Env, label: string, fn: (pair: Pair) => Promise<T>): Promise<T> {
  const runs: Partial<Record<Side, SideRun>> = {};
  try {
    for (const side of SIDES) {
      const ns = await createNamespace(
        env.kube,
        side === 'flagger' ? `bf-${label}-flagger` : `bf-${label}-fts`,
      );
      const proxy = await startProxy(env.cluster.server, env.ca, env.tokens[side]);
      const kubeconfig = writeKubeconfig(env.dir, side, proxy, env.tokens[side]);
      const tl = new Timeline(env.kc, ns);
      await tl.watch.start();
      const proc = startOperator({
        side,
        bin: env.flaggerBin,
        kubeconfig,
        namespace: ns,
        prometheusUrl: env.cluster.prometheusUrl,
        port: await freePort(),
        logFile: join(env.dir, `${label}-${side}.log`),
        cpuProfDir: side === 'flagger-ts' ? env.cpuProfDir : undefined,
        heapProfDir: side === 'flagger-ts' ? env.heapProfDir : undefined,
      });
      runs[side] = { side, ns, proxy, proc, tl };
    }
    const pair = runs as Pair;
    // Ready = the operator has opened its Canary watch (both do so once their caches start).
    await until('both operators watching Canaries', 60_000, () =>
      SIDES.every((s) => pair[s].proxy.records.some((r) => r.verb === 'watch' && r.resource === 'canaries')),
    );
    await sleep(1000);
    return await fn(pair);
  } finally {
    for (const s of SIDES) {
      const r = runs[s];
      if (r === undefined) continue;
      await r.proc.stop();
      r.tl.watch.stop();
      await r.proxy.close();
    }
    const started = now();
    await Promise.all(SIDES.flatMap((s) => (runs[s] ? [deleteNamespace(env.kube, runs[s].ns)] : [])));
    // Wait (bounded) for the namespaces to go, so their pods' deletion does not load the next run.
    await until(
      'benchmark namespaces deleted',
      300_000,
      async () => {
        for (const s of SIDES) {
          const r = runs[s];
          if (r && (await env.kube.get({ apiVersion: 'v1', kind: 'Namespace', name: r.ns })) !== undefined)
            return false;
        }
        return true;
      },
      2000,
    ).catch((err: unknown) => {
      env.log(`warning: ${String(err)}`);
    });
    env.log(`  cleaned up in ${((now() - started) / 1000).toFixed(0)} s`);
  }
}

export function usageDiff(a: Usage, b: Usage): Usage {
  return { cpuS: b.cpuS - a.cpuS, peakRssMb: b.peakRssMb };
}
