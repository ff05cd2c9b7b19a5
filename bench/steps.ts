// Part B: what one analysis step costs the operator, in Kubernetes API requests (by
// verb), reconciles and PromQL queries.
//
// A canary with a short interval (2s, so the part takes seconds rather than minutes;
// the per-step work does not depend on the interval) is rolled out to completion
// with healthy Istio-shaped metrics from a loopback exporter scraped by the real
// Prometheus. The canary watch marks every change of status.canaryWeight; the
// operator's request counter is read at each mark, and a "step" is the window
// between two consecutive weights of the ramp (5→10, 10→15, …, 45→50): exactly one
// advance plus whatever else the operator did in between.
import type { Operator } from '../src/controller/operator.js';
import { IstioExporter } from '../hack/demo/istio-exporter.js';
import { waitForSeries } from '../test/harness/prometheus.js';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  diffCounts,
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
  kubectlAsync,
  now,
  phaseOf,
  scaledToZero,
  sleep,
  weightOf,
} from './kube.js';
import { CONTAINER, IMAGE_REPO, benchCanary, benchDeployment } from './objects.js';
import { assertNoForeignOperator } from './exclusive.js';
import { CountingPrometheusProxy } from './prom-proxy.js';
import { attachRequestLog, diffKinds, type KindCounts, type RequestLog } from './request-log.js';
import { measureNaiveTicks, type NaiveTicks } from './baseline.js';

export const STEP_INTERVAL = '2s';
export const STEP_INTERVAL_MS = 2000;
export const STEP_WEIGHT = 5;
export const MAX_WEIGHT = 50;
export const NAME = 'steps';
const IDLE_WINDOW_MS = 10_000;
const SETTLE_MS = 1000; // half of STEP_INTERVAL
const NAIVE_TICKS = 20;

export interface StepWindow {
  readonly from: number;
  readonly to: number;
  readonly ms: number;
  readonly requests: VerbCounts;
  /** The same requests by verb and object kind. */
  readonly kinds: KindCounts;
  readonly reconciles: number;
  readonly promQueries: number;
  /**
   * One advance by our operator: it wrote the status, and the step took at least half
   * an interval. A faster step or one without our status write means a second
   * controller advanced the canary too; such windows are reported and left out.
   */
  readonly valid: boolean;
}

export interface PhaseMark {
  readonly phase: string;
  readonly weight: number;
  /** ms since kubectl set image started */
  readonly atMs: number;
}

export interface StepsResult {
  readonly namespace: string;
  readonly windows: StepWindow[];
  readonly timeline: PhaseMark[];
  /** From kubectl set image to phase Succeeded. */
  readonly rollout: {
    readonly ms: number;
    readonly requests: VerbCounts;
    readonly reconciles: number;
    readonly promQueries: number;
  };
  /** A Succeeded canary left alone for IDLE_WINDOW_MS. */
  readonly idle: { readonly ms: number; readonly requests: number; readonly reconciles: number };
  /** The naive design's reads, performed on the promoted canary's objects. */
  readonly naive: NaiveTicks;
  /**
   * Requests the per-kind log saw minus those the RequestCounter saw over the rollout;
   * 0 unless some operator code bypassed the wrapped methods (then kinds are partial).
   */
  readonly logMismatch: number;
  readonly watchRestarts: number;
}

interface Sample {
  readonly requests: VerbCounts;
  readonly kinds: KindCounts;
  readonly promQueries: number;
  readonly reconciles: number;
}

/**
 * A change of phase or weight seen on the watch. The counters are sampled half an
 * interval later (`settled`): by then the reconcile that wrote this status has surely
 * returned (its status write can reach the watch before the reconcile counter moves)
 * and the next analysis tick, due one interval after the last, has not started.
 */
interface Mark {
  readonly phase: string;
  readonly weight: number;
  readonly at: number;
  settled: Sample | undefined;
}

function windowsFrom(marks: readonly Mark[]): StepWindow[] {
  const out: StepWindow[] = [];
  for (let i = 1; i < marks.length; i++) {
    const a = marks[i - 1]!;
    const b = marks[i]!;
    const rampStep = a.weight > 0 && b.weight === a.weight + STEP_WEIGHT && b.phase === 'Progressing';
    if (!rampStep || !a.settled || !b.settled) continue;
    const requests = diffCounts(b.settled.requests, a.settled.requests);
    out.push({
      from: a.weight,
      to: b.weight,
      ms: b.at - a.at,
      requests,
      kinds: diffKinds(b.settled.kinds, a.settled.kinds),
      reconciles: b.settled.reconciles - a.settled.reconciles,
      promQueries: b.settled.promQueries - a.settled.promQueries,
      valid: requests.patchStatus > 0 && b.at - a.at >= SETTLE_MS,
    });
  }
  return out;
}

async function rollOut(
  ctx: BenchContext,
  op: Operator,
  proxy: CountingPrometheusProxy,
  log: RequestLog,
  watch: ReturnType<typeof canaryWatch>,
  ns: string,
): Promise<{ marks: Mark[]; t0: number; done: number; base: number }> {
  op.deps.client.requests.reset();
  proxy.queries = 0;
  const base = await reconcileCount(op);
  const marks: Mark[] = [];
  let last = { phase: phaseOf(watch.latest(NAME)), weight: weightOf(watch.latest(NAME)) };
  const unlisten = watch.listen((name, seen) => {
    if (name !== NAME || seen.obj === undefined) return;
    const phase = phaseOf(seen.obj);
    const weight = weightOf(seen.obj);
    if (phase === last.phase && weight === last.weight) return;
    last = { phase, weight };
    const mark: Mark = { phase, weight, at: seen.at, settled: undefined };
    marks.push(mark);
    setTimeout(() => {
      const requests = op.deps.client.requests.snapshot();
      const kinds = log.snapshot();
      const promQueries = proxy.queries;
      // prom-client answers without I/O, so the values belong together.
      void reconcileCount(op).then(
        (n) => (mark.settled = { requests, kinds, promQueries, reconciles: n - base }),
      );
    }, SETTLE_MS);
  });
  try {
    const t0 = now();
    const finished = watch.waitFor(
      NAME,
      (c) => phaseOf(c) === 'Succeeded' || phaseOf(c) === 'Failed',
      180_000,
      `${NAME} Succeeded`,
    );
    await kubectlAsync(ctx.cluster, [
      '-n',
      ns,
      'set',
      'image',
      `deployment/${NAME}`,
      `${CONTAINER}=${IMAGE_REPO}:6.0.1`,
    ]);
    const end = await finished;
    if (phaseOf(end.obj) !== 'Succeeded') throw new Error('the canary Failed instead of being promoted');
    return { marks, t0, done: end.at, base };
  } finally {
    unlisten();
  }
}

export async function runSteps(ctx: BenchContext): Promise<StepsResult> {
  const ns = await createNamespace(ctx.kube, 'bench-steps');
  const watch = canaryWatch(ctx.kc, ns);
  const deployments = deploymentWatch(ctx.kc, ns);
  const exporter = new IstioExporter();
  const proxy = new CountingPrometheusProxy(ctx.cluster.prometheusUrl);
  const scrapeFile = join(ctx.cluster.prometheusTargetsDir, `${ns}.json`);
  let op: Operator | undefined;
  try {
    await Promise.all([watch.start(), deployments.start()]);
    await assertNoForeignOperator(ctx.kube, watch, ns);
    exporter.set({ namespace: ns, workload: NAME, rps: 20, errorRatio: 0, latencyMs: 40 });
    const target = await exporter.listen();
    writeFileSync(scrapeFile, JSON.stringify([{ targets: [target], labels: { scrape_name: ns } }]));
    await waitForSeries(
      ctx.cluster.prometheusUrl,
      `rate(istio_requests_total{destination_workload_namespace="${ns}"}[10s])`,
      60_000,
    );
    const proxyUrl = await proxy.listen();
    op = await startBenchOperator(ctx, ns, { metricsServer: proxyUrl, minAnalysisIntervalMs: 1000 });
    const log = attachRequestLog(op.deps.client);

    await ctx.kube.create(benchDeployment(ns, NAME, '6.0.0'));
    await ctx.kube.create(
      benchCanary(ns, NAME, {
        interval: STEP_INTERVAL,
        stepWeight: STEP_WEIGHT,
        maxWeight: MAX_WEIGHT,
        threshold: 5,
      }),
    );
    await watch.waitFor(NAME, (c) => phaseOf(c) === 'Initialized', 90_000, `${NAME} Initialized`);
    await deployments.waitFor(NAME, scaledToZero, 60_000, `${NAME} scaled to zero`);
    await operatorQuiet(op, 1000, 30_000);

    const logBefore = log.snapshot();
    const { marks, t0, done, base } = await rollOut(ctx, op, proxy, log, watch, ns);
    // Both tallies read in the same synchronous stretch, so they cover the same requests.
    const requests = op.deps.client.requests.snapshot();
    const logged = Object.values(diffKinds(log.snapshot(), logBefore)).reduce((a, b) => a + b, 0);
    const logMismatch = logged - totalOf(requests);
    const rollout = {
      ms: done - t0,
      requests,
      reconciles: (await reconcileCount(op)) - base,
      promQueries: proxy.queries,
    };
    ctx.log(
      `  rollout finished in ${(rollout.ms / 1000).toFixed(1)} s, ${totalOf(rollout.requests)} API requests`,
    );

    // Idle: a Succeeded canary should cost nothing until something changes.
    await operatorQuiet(op, 1000, 30_000);
    op.deps.client.requests.reset();
    const idleBase = await reconcileCount(op);
    const idleStart = now();
    await sleep(IDLE_WINDOW_MS);
    const idle = {
      ms: now() - idleStart,
      requests: op.deps.client.requests.total,
      reconciles: (await reconcileCount(op)) - idleBase,
    };

    // The naive design's reads, on the objects the promoted canary left in place.
    const naive = await measureNaiveTicks(ctx.kc, ns, NAME, NAIVE_TICKS);

    // operatorQuiet above took at least SETTLE_MS, so every mark has settled.
    return {
      namespace: ns,
      windows: windowsFrom(marks),
      timeline: marks.map((m) => ({ phase: m.phase, weight: m.weight, atMs: m.at - t0 })),
      rollout,
      idle,
      naive,
      logMismatch,
      watchRestarts: watch.restarts + deployments.restarts,
    };
  } finally {
    watch.stop();
    deployments.stop();
    await op?.stop();
    rmSync(scrapeFile, { force: true });
    await exporter.close();
    await proxy.close();
    await deleteNamespace(ctx.kube, ns);
  }
}
