// What every benchmark part gets: the cluster, a client of its own (so its requests
// are not counted as the operator's), and a way to start a namespace-scoped operator.
import { KubeConfig } from '@kubernetes/client-node';
import type { ClusterState } from '../hack/cluster/state.js';
import { parseOperatorConfig, type OperatorConfig } from '../src/config/operator-config.js';
import { startOperator, type Operator } from '../src/controller/operator.js';
import { createKubeClient, type KubeClient, type Verb } from '../src/kube/client.js';
import { createLogger, silentLogger } from '../src/telemetry/logger.js';
import { now, sleep } from './kube.js';

export interface BenchContext {
  readonly cluster: ClusterState;
  readonly kc: KubeConfig;
  /** The benchmark's own client (not counted). */
  readonly kube: KubeClient;
  readonly verbose: boolean;
  readonly log: (line: string) => void;
}

export function benchContext(cluster: ClusterState, verbose: boolean): BenchContext {
  const kc = new KubeConfig();
  kc.loadFromFile(cluster.kubeconfig);
  return {
    cluster,
    kc,
    kube: createKubeClient(kc),
    verbose,
    log: (line) => {
      process.stderr.write(`${line}\n`);
    },
  };
}

export async function startBenchOperator(
  ctx: BenchContext,
  namespace: string,
  overrides: Partial<OperatorConfig> = {},
): Promise<Operator> {
  const config = parseOperatorConfig({
    meshProvider: 'istio',
    metricsServer: ctx.cluster.prometheusUrl,
    namespace,
    port: 0,
    listenAddress: '127.0.0.1',
    logLevel: 'info',
    ...overrides,
  });
  const logger = ctx.verbose ? createLogger('info') : silentLogger();
  return startOperator({ config, logger, kubeConfig: ctx.kc });
}

export type VerbCounts = Record<Verb, number>;

export const VERBS: readonly Verb[] = ['get', 'list', 'create', 'replace', 'patch', 'patchStatus', 'delete'];

export function diffCounts(after: VerbCounts, before: VerbCounts): VerbCounts {
  const out = { ...after };
  for (const v of VERBS) out[v] = after[v] - before[v];
  return out;
}

export function totalOf(c: VerbCounts): number {
  return VERBS.reduce((sum, v) => sum + c[v], 0);
}

/** Canary reconciles the operator has finished (flagger_ts_reconciles_total, all results). */
export async function reconcileCount(op: Operator): Promise<number> {
  const m = await op.metrics.reconciles.get();
  return m.values.reduce((sum, v) => sum + v.value, 0);
}

/** Waits until the operator has made no API request for `quietMs` (its queue is idle). */
export async function operatorQuiet(op: Operator, quietMs: number, timeoutMs: number): Promise<void> {
  const deadline = now() + timeoutMs;
  let last = op.deps.client.requests.total;
  let since = now();
  while (now() < deadline) {
    await sleep(20);
    const total = op.deps.client.requests.total;
    if (total !== last) {
      last = total;
      since = now();
    } else if (now() - since >= quietMs) {
      return;
    }
  }
  throw new Error(`operator still busy after ${timeoutMs / 1000}s`);
}
