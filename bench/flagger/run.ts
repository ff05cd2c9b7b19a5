// `npm run bench:flagger -- --n 50,200`: flagger-ts and the real Flagger (hack/flagger/build.sh)
// side by side on one local control plane, as ../shared/design/benchmark-vs-flagger.md
// describes; prints one table of ratios flagger-ts : Flagger. Not part of the test run.
// By default it brings up a cluster of its own (FLAGGER_TS_CLUSTER_DIR=<cache>/bench-flagger-cluster,
// the same cached binaries) so thousands of pods do not disturb the shared test cluster, and
// stops it at the end (--keep-cluster keeps it). Method and results: docs/benchmarks.md.
import { KubeConfig } from '@kubernetes/client-node';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { down } from '../../hack/cluster/down.js';
import { cacheRoot } from '../../hack/cluster/paths.js';
import { up } from '../../hack/cluster/up.js';
import { flaggerBuildScript } from '../../hack/flagger/paths.js';
import { applyThirdPartyCrds } from '../../test/harness/third-party-crds.js';
import { createKubeClient } from '../../src/kube/client.js';
import { kubectlAsync, liveNamespaces, deleteNamespace, sleep } from '../kube.js';
import { runFleet, type FleetResult } from './fleet.js';
import { runLatency, type LatencyResult } from './latency.js';
import { serviceAccountToken } from './operators.js';
import type { Env } from './pair.js';
import { renderTable } from './report.js';

const CRDS = new URL('../../../charts/flagger-ts/crds/crds.yaml', import.meta.url).pathname;

function options() {
  const { values } = parseArgs({
    options: {
      n: { type: 'string', default: '50,200' },
      parts: { type: 'string', default: 'latency,fleet' },
      k: { type: 'string', default: '8' },
      'timeout-s': { type: 'string', default: '900' },
      'cpu-prof': { type: 'string' },
      'heap-prof': { type: 'string' },
      json: { type: 'string' },
      'keep-cluster': { type: 'boolean', default: false },
      'shared-cluster': { type: 'boolean', default: false },
    },
  });
  const ns = values.n.split(',').map(Number);
  if (ns.some((n) => !Number.isInteger(n) || n < 1 || n > 2000))
    throw new Error('--n: integers 1..2000, comma-separated');
  const k = Number(values.k);
  if (!Number.isInteger(k) || k < 1 || k > 50) throw new Error('--k must be 1..50');
  return { ...values, ns, k, parts: values.parts.split(','), timeoutS: Number(values['timeout-s']) };
}

/** Nodes beyond the cluster's 3 × 110 pods: each canary has up to ~3 pods at a time per operator. */
async function addNodes(env: Env, maxN: number): Promise<void> {
  const count = Math.ceil((maxN * 2 * 3) / 1000) + 1;
  for (let i = 0; i < count; i++) {
    const name = `bench-node-${i}`;
    const alloc = { cpu: '1000', memory: '4Ti', pods: '1000' };
    await env.kube
      .create({
        apiVersion: 'v1',
        kind: 'Node',
        metadata: {
          name,
          annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'kwok.x-k8s.io/node': 'fake' },
          labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', type: 'kwok' },
        },
        status: { allocatable: alloc, capacity: alloc },
      })
      .catch(() => undefined); // already there from an earlier run
  }
  env.log(`${count} extra KWOK nodes of 1000 pods`);
}

async function main(): Promise<void> {
  const o = options();
  if (!o['shared-cluster'] && process.env['FLAGGER_TS_CLUSTER_DIR'] === undefined)
    process.env['FLAGGER_TS_CLUSTER_DIR'] = join(cacheRoot(), 'bench-flagger-cluster');
  const log = (line: string): void => {
    process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
  };
  const build = spawnSync('bash', [flaggerBuildScript()], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  if (build.status !== 0) throw new Error('hack/flagger/build.sh failed (see above)');
  const flaggerBin = build.stdout.trim().split('\n').pop() ?? '';
  // runDir() reads FLAGGER_TS_CLUSTER_DIR when `up` runs, i.e. after the line above.
  const cluster = await up();
  const kc = new KubeConfig();
  kc.loadFromFile(cluster.kubeconfig);
  const dir = join(cluster.dir, 'bench-flagger');
  mkdirSync(dir, { recursive: true });
  const env: Env = {
    cluster,
    kc,
    kube: createKubeClient(kc),
    dir,
    flaggerBin,
    ca: readFileSync(join(cluster.dir, 'pki', 'ca.crt')),
    tokens: {
      flagger: await serviceAccountToken(cluster, 'flagger'),
      'flagger-ts': await serviceAccountToken(cluster, 'flagger-ts'),
    },
    cpuProfDir: o['cpu-prof'],
    heapProfDir: o['heap-prof'],
    log,
  };
  const stop = (why: string): void => {
    log(`${why}; deleting ${[...liveNamespaces].join(', ') || 'no namespaces'}`);
    void Promise.race([
      Promise.all([...liveNamespaces].map((n) => deleteNamespace(env.kube, n))),
      sleep(10_000),
    ]).finally(() => process.exit(130));
  };
  process.once('SIGINT', () => {
    stop('interrupted');
  });
  process.once('SIGTERM', () => {
    stop('terminated');
  });

  await applyThirdPartyCrds(cluster, 'istio');
  await kubectlAsync(cluster, ['apply', '--server-side', '--force-conflicts', '-f', CRDS]);
  await addNodes(env, Math.max(o.k, ...o.ns));
  const cpu = cpus();
  const header = `flagger-ts vs Flagger (${flaggerBin.split('/').pop() ?? ''}) — Node ${process.version}, ${cpu.length} × ${cpu[0]?.model.trim() ?? 'CPU'}, load ${loadavg()[0]?.toFixed(1) ?? '?'}`;
  log(header);

  const latency: LatencyResult[] = [];
  const fleets: FleetResult[] = [];
  // After every part: a long run that is cut short still leaves what it measured.
  const partial = (): void => {
    log(`so far:\n${renderTable(latency, fleets)}`);
    if (o.json !== undefined) writeFileSync(o.json, JSON.stringify({ header, latency, fleets }, null, 2));
  };
  if (o.parts.includes('latency')) {
    log(`latency, interval 10s, ${o.k} canaries per operator, full rollout …`);
    latency.push(await runLatency(env, '10s', o.k, true));
    partial();
    log(`latency, interval 1m, ${o.k} canaries per operator …`);
    latency.push(await runLatency(env, '1m', o.k, false));
    partial();
  }
  if (o.parts.includes('fleet')) {
    for (const n of o.ns) {
      log(`fleet of ${n} canaries per operator, interval 10s …`);
      fleets.push(await runFleet(env, n, o.timeoutS));
      partial();
    }
  }
  process.stdout.write(`\n${header}\n\n${renderTable(latency, fleets)}\n`);
  if (o.json !== undefined) writeFileSync(o.json, JSON.stringify({ header, latency, fleets }, null, 2));
  if (!o['keep-cluster'] && !o['shared-cluster']) await down();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(
      `bench:flagger failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exit(1);
  },
);
