// Part A: how long after `kubectl set image` does an idle canary with
// `interval: 1m` report phase Progressing?
//
// Each run uses a fresh Deployment + Canary (its own name and selector label) in the
// part's namespace, so every measurement starts from the same steady state: phase
// Initialized, target scaled to zero, operator idle. (Re-using one canary does not
// work: a new image mid-analysis restarts the analysis but the phase stays
// Progressing, and getting back to Succeeded takes several 1-minute intervals.)
import type { Operator } from '../src/controller/operator.js';
import {
  operatorQuiet,
  reconcileCount,
  startBenchOperator,
  totalOf,
  type BenchContext,
  type VerbCounts,
} from './context.js';
import {
  canaryWatch,
  createNamespace,
  deleteNamespace,
  deploymentWatch,
  imageOf,
  kubectlAsync,
  now,
  phaseOf,
  scaledToZero,
  type ObjectWatch,
} from './kube.js';
import { assertNoForeignOperator } from './exclusive.js';
import { CONTAINER, IMAGE_REPO, benchCanary, benchDeployment } from './objects.js';
import { attachRequestLog, diffKinds, type KindCounts, type RequestLog } from './request-log.js';

export const LATENCY_INTERVAL = '1m';
export const LATENCY_INTERVAL_MS = 60_000;

export interface LatencyRun {
  readonly run: number;
  /** kubectl started → the canary watch delivers phase Progressing */
  readonly totalMs: number;
  /** the Deployment watch delivers the new image → the canary watch delivers Progressing */
  readonly reactionMs: number;
  /** kubectl started → the Deployment watch delivers the new image (kubectl's own cost) */
  readonly kubectlToChangeMs: number;
  /** kubectl started → kubectl exited */
  readonly kubectlExitMs: number;
  /** the operator's API requests from the image change until Progressing was seen */
  readonly requests: VerbCounts;
  /** The same requests by verb and object kind. */
  readonly kinds: KindCounts;
  /**
   * From the image change until the operator was idle again (no request for 1 s):
   * the reacting reconcile plus those the rollout's own writes triggered.
   */
  readonly untilIdle: { readonly reconciles: number; readonly kinds: KindCounts };
  /**
   * Our operator wrote a status in the window. If not, something else set Progressing
   * (a controller without a namespace scope) and the run does not measure flagger-ts.
   */
  readonly valid: boolean;
  /** time from creating the canary to phase Initialized (not part of the figure) */
  readonly initMs: number;
}

export interface LatencyResult {
  readonly namespace: string;
  readonly runs: LatencyRun[];
  readonly watchRestarts: number;
}

interface Watches {
  readonly canaries: ObjectWatch;
  readonly deployments: ObjectWatch;
}

async function oneRun(
  ctx: BenchContext,
  op: Operator,
  log: RequestLog,
  w: Watches,
  ns: string,
  run: number,
): Promise<LatencyRun> {
  const name = `lat-${run}`;
  const newImage = `${IMAGE_REPO}:6.0.1`;
  const created = now();
  await ctx.kube.create(benchDeployment(ns, name, '6.0.0'));
  await ctx.kube.create(
    benchCanary(ns, name, { interval: LATENCY_INTERVAL, stepWeight: 10, maxWeight: 50, threshold: 5 }),
  );
  const init = await w.canaries.waitFor(
    name,
    (c) => phaseOf(c) === 'Initialized',
    90_000,
    `${name} Initialized`,
  );
  await w.deployments.waitFor(name, scaledToZero, 60_000, `${name} scaled to zero`);
  await operatorQuiet(op, 1000, 30_000);

  op.deps.client.requests.reset();
  const kindsBefore = log.snapshot();
  const reconcilesBefore = await reconcileCount(op);
  // Counters are read synchronously in the watch callback that delivers Progressing,
  // so no later request of the operator can slip in before the read.
  let atProgressing: { requests: VerbCounts; kinds: KindCounts } | undefined;
  const unlisten = w.canaries.listen((n, seen) => {
    if (n !== name || atProgressing !== undefined || phaseOf(seen.obj) !== 'Progressing') return;
    atProgressing = { requests: op.deps.client.requests.snapshot(), kinds: log.snapshot() };
  });
  const t0 = now();
  const changed = w.deployments.waitFor(name, (d) => imageOf(d) === newImage, 30_000, `${name} new image`);
  const progressing = w.canaries.waitFor(
    name,
    (c) => phaseOf(c) === 'Progressing',
    30_000,
    `${name} Progressing`,
  );
  const kubectl = kubectlAsync(ctx.cluster, [
    '-n',
    ns,
    'set',
    'image',
    `deployment/${name}`,
    `${CONTAINER}=${newImage}`,
  ]);
  const [seenChange, seenProgressing, exited] = await Promise.all([changed, progressing, kubectl]).finally(
    unlisten,
  );
  const requests = atProgressing?.requests ?? op.deps.client.requests.snapshot();
  const kinds = diffKinds(atProgressing?.kinds ?? log.snapshot(), kindsBefore);
  await operatorQuiet(op, 1000, 30_000);
  const untilIdle = {
    reconciles: (await reconcileCount(op)) - reconcilesBefore,
    kinds: diffKinds(log.snapshot(), kindsBefore),
  };

  // Tear down this run's objects (the primary, Services and VirtualService are owned
  // by the Canary and garbage-collected) before the next run starts.
  await ctx.kube.delete({ apiVersion: 'flagger.app/v1beta1', kind: 'Canary', namespace: ns, name });
  await ctx.kube.delete({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: ns, name });
  await w.deployments
    .waitFor(`${name}-primary`, (d) => d === undefined, 30_000, `${name}-primary garbage-collected`)
    .catch(() => undefined);

  return {
    run,
    totalMs: seenProgressing.at - t0,
    reactionMs: seenProgressing.at - seenChange.at,
    kubectlToChangeMs: seenChange.at - t0,
    kubectlExitMs: exited.exitedAt - t0,
    requests,
    kinds,
    untilIdle,
    valid: requests.patchStatus > 0,
    initMs: init.at - created,
  };
}

export async function runLatency(ctx: BenchContext, runs: number): Promise<LatencyResult> {
  const ns = await createNamespace(ctx.kube, 'bench-latency');
  const w: Watches = { canaries: canaryWatch(ctx.kc, ns), deployments: deploymentWatch(ctx.kc, ns) };
  let op: Operator | undefined;
  try {
    await Promise.all([w.canaries.start(), w.deployments.start()]);
    await assertNoForeignOperator(ctx.kube, w.canaries, ns);
    // Default operator configuration (10 s interval floor); interval 1m is above it.
    op = await startBenchOperator(ctx, ns);
    const log = attachRequestLog(op.deps.client);
    const results: LatencyRun[] = [];
    for (let i = 1; i <= runs; i++) {
      const r = await oneRun(ctx, op, log, w, ns, i);
      results.push(r);
      ctx.log(
        `  run ${String(i).padStart(2)}/${runs}: kubectl→Progressing ${r.totalMs.toFixed(0)} ms` +
          ` (change→Progressing ${r.reactionMs.toFixed(0)} ms, ${totalOf(r.requests)} API requests)`,
      );
    }
    return { namespace: ns, runs: results, watchRestarts: w.canaries.restarts + w.deployments.restarts };
  } finally {
    w.canaries.stop();
    w.deployments.stop();
    await op?.stop();
    await deleteNamespace(ctx.kube, ns);
  }
}
