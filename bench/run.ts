// `npm run bench`: flagger-ts against the local control plane and Prometheus.
//   A. kubectl set image → canary phase Progressing, with analysis interval 1m
//   B. Kubernetes API requests (by verb and kind), reconciles and PromQL queries per analysis step
//   C. decide() calls per second on a typical snapshot (in process)
// Printed as absolute figures and as ratios to a naive polling design (baseline.ts).
// Method and figures: docs/benchmarks.md.
//
//   node dist/bench/run.js [--runs 10] [--part all|latency|steps|decide] [--json FILE] [--verbose]
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { localCluster } from '../test/harness/cluster.js';
import { benchContext, type BenchContext } from './context.js';
import { deleteNamespace, liveNamespaces, sleep } from './kube.js';
import { runDecide, type DecideResult } from './decide.js';
import { runLatency, type LatencyResult } from './latency.js';
import { printDecide, printLatency, printSummary, type Headline } from './report.js';
import { printSteps } from './report-steps.js';
import { runSteps, type StepsResult } from './steps.js';
import { naiveReads } from './baseline.js';

// Whole run is ~2 minutes on 2 cores; the cap keeps a wedged cluster from hanging CI.
const DEFAULT_TIMEOUT_S = 300;
const PARTS = ['all', 'latency', 'steps', 'decide'];

function options(): {
  runs: number;
  part: string;
  json: string | undefined;
  verbose: boolean;
  timeoutS: number;
} {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '10' },
      part: { type: 'string', default: 'all' },
      json: { type: 'string' },
      verbose: { type: 'boolean', default: false },
      'timeout-s': { type: 'string', default: String(DEFAULT_TIMEOUT_S) },
    },
  });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1 || runs > 100)
    throw new Error('--runs must be an integer from 1 to 100');
  if (!PARTS.includes(values.part)) throw new Error(`--part must be one of ${PARTS.join(', ')}`);
  const timeoutS = Number(values['timeout-s']);
  if (!Number.isFinite(timeoutS) || timeoutS <= 0) throw new Error('--timeout-s must be a positive number');
  return { runs, part: values.part, json: values.json, verbose: values.verbose, timeoutS };
}

async function main(): Promise<void> {
  const opts = options();
  const started = Date.now();
  // Bounded: whatever happens, stop. The parts clean up in `finally`; on a timeout or a
  // signal, delete the namespaces still alive (bounded too) and exit.
  const live: { ctx?: BenchContext } = {};
  const abort = (why: string, code: number): void => {
    process.stderr.write(`bench: ${why}; deleting ${[...liveNamespaces].join(', ') || 'no namespaces'}\n`);
    const kube = live.ctx?.kube;
    const cleanup = kube
      ? Promise.all([...liveNamespaces].map((ns) => deleteNamespace(kube, ns)))
      : Promise.resolve();
    void Promise.race([cleanup, sleep(10_000)]).finally(() => process.exit(code));
  };
  setTimeout(() => {
    abort(`giving up after ${opts.timeoutS} s`, 2);
  }, opts.timeoutS * 1000).unref();
  process.once('SIGINT', () => {
    abort('interrupted', 130);
  });
  process.once('SIGTERM', () => {
    abort('terminated', 143);
  });

  const want = (part: string): boolean => opts.part === 'all' || opts.part === part;
  const cpu = cpus();
  process.stdout.write(
    `flagger-ts benchmark — Node ${process.version}, ${cpu.length} × ${cpu[0]?.model.trim() ?? 'CPU'}\n`,
  );
  const headline: Headline = {};

  // C first: it is pure CPU, and nothing else of the benchmark is running yet.
  let decide: DecideResult | undefined;
  if (want('decide')) {
    process.stderr.write('C. decide() throughput …\n');
    decide = runDecide();
    printDecide(decide, headline);
  }

  let latency: LatencyResult | undefined;
  let steps: StepsResult | undefined;
  if (want('latency') || want('steps')) {
    const cluster = await localCluster();
    const ctx = benchContext(cluster, opts.verbose);
    live.ctx = ctx;
    process.stdout.write(
      `\ncluster: local control plane ${cluster.server}, Prometheus ${cluster.prometheusUrl}\n`,
    );
    if (want('latency')) {
      ctx.log(`A. ${opts.runs} runs of kubectl set image → Progressing (interval 1m) …`);
      latency = await runLatency(ctx, opts.runs);
      printLatency(latency, headline);
    }
    if (want('steps')) {
      ctx.log('B. one full rollout with interval 2s to count requests per analysis step …');
      steps = await runSteps(ctx);
      printSteps(steps, headline);
    }
  }
  const getMs = steps === undefined ? undefined : steps.naive.tickMs.median / naiveReads('ns', 'name').length;
  printSummary(headline, getMs);
  process.stdout.write(`\nfinished in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  if (opts.json !== undefined) {
    writeFileSync(opts.json, JSON.stringify({ decide, latency, steps }, null, 2));
    process.stdout.write(`raw results written to ${opts.json}\n`);
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(
      `bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exit(1);
  },
);
