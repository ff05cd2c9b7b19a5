// The real-traffic lane, run INSIDE its private namespaces (see netns.ts; the outer test file
// starts it): its own local cluster in its own directory, the real routers, Prometheus
// scraping them, then the lane's test files in one node:test run whose results go to stdout
// as LANE-RESULT lines. Everything is stopped at the end, and the PID namespace guarantees
// it even on a crash.
// Usage (inside the namespaces): node dist/test/harness/lane/main.js <test file...>
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheRoot } from '../../../hack/cluster/paths.js';
import { freePort } from '../../../hack/cluster/proc.js';
import type { ClusterState } from '../../../hack/cluster/state.js';
import { addLaneScrapeTarget, installGateway, installRouterCrds } from './cluster-setup.js';
import { insideLane } from './netns.js';
import { startContour } from './routers/contour.js';
import { startKuma } from './routers/kuma.js';
import { startSkipper } from './routers/skipper.js';
import { startTraefik } from './routers/traefik.js';
import { LANE_STATE_ENV, type LaneRouter, type LaneState } from './state.js';

const log = (msg: string): void => {
  process.stderr.write(`[lane ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
};

const REPORTER = new URL('./reporter.js', import.meta.url).pathname;

async function startRouter(name: string, fn: () => Promise<LaneRouter>): Promise<LaneRouter> {
  const start = Date.now();
  try {
    const r = await fn();
    log(`${name} ready in ${Date.now() - start} ms (${r.url ?? ''})`);
    return r;
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    log(`${name} not started: ${error}`);
    return { error };
  }
}

async function startRouters(
  cluster: ClusterState,
  files: string[],
): Promise<Pick<LaneState, 'routers' | 'gateway'>> {
  await installRouterCrds(cluster);
  const tp = { web: await freePort(), admin: await freePort() };
  const sp = { web: await freePort(), support: await freePort(), proxy: await freePort() };
  const cp = {
    web: await freePort(),
    xds: await freePort(),
    stats: await freePort(),
    metrics: await freePort(),
    health: await freePort(),
    debug: await freePort(),
  };
  // Kuma (a control plane with its webhooks and controllers, plus a data plane) only when its
  // lane file runs: nothing else uses it, and it redirects the Service range into its Envoy.
  const withKuma = files.some((f) => /(^|\/)kuma\.lane\.js$/.test(f));
  const [traefik, skipper, contour, kuma] = await Promise.all([
    startRouter('traefik', () => startTraefik(cluster, tp)),
    startRouter('skipper', () => startSkipper(cluster, sp)),
    startRouter('contour', () => startContour(cluster, cp)),
    withKuma ? startRouter('kuma', () => startKuma(cluster)) : Promise.resolve({ error: 'not started' }),
  ]);
  let gateway: LaneState['gateway'];
  if (traefik.adminUrl !== undefined) {
    addLaneScrapeTarget(cluster, 'traefik', `127.0.0.1:${tp.admin}`);
    gateway = installGateway(cluster, tp.web);
  }
  if (skipper.adminUrl !== undefined) addLaneScrapeTarget(cluster, 'skipper', `127.0.0.1:${sp.support}`);
  if (contour.adminUrl !== undefined)
    addLaneScrapeTarget(cluster, 'envoy', `127.0.0.1:${cp.stats}`, '/stats/prometheus');
  return { routers: { traefik, skipper, contour, kuma }, ...(gateway ? { gateway } : {}) };
}

function runTests(files: string[], stateFile: string): Promise<number> {
  const concurrency = process.env['LANE_CONCURRENCY'] ?? '2';
  const child = spawn(
    process.execPath,
    ['--test', `--test-concurrency=${concurrency}`, `--test-reporter=${REPORTER}`, ...files],
    { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, [LANE_STATE_ENV]: stateFile } },
  );
  return new Promise((resolve) =>
    child.on('exit', (code) => {
      resolve(code ?? 1);
    }),
  );
}

async function main(files: string[]): Promise<number> {
  if (!insideLane()) {
    log(`refusing to run: not inside the lane's network namespace (the pod range is not local)`);
    return 2;
  }
  // A cluster of our own: the pod IPs only exist in this namespace.
  const dir = mkdtempSync(join(cacheRoot(), 'lane-'));
  process.env['FLAGGER_TS_CLUSTER_DIR'] = join(dir, 'cluster');
  const { up } = await import('../../../hack/cluster/up.js');
  const { down } = await import('../../../hack/cluster/down.js');
  const started = Date.now();
  let code = 1;
  try {
    const cluster = await up();
    log(`cluster up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const state: LaneState = { clusterDir: cluster.dir, ...(await startRouters(cluster, files)) };
    const stateFile = join(dir, 'lane.json');
    writeFileSync(stateFile, JSON.stringify(state, null, 2));
    code = await runTests(files, stateFile);
    return code;
  } finally {
    // Logs of a failed lane are kept for diagnosis; a passing lane leaves nothing behind.
    await down({ keepDir: code !== 0 }).catch((err: unknown) => {
      log(`down: ${String(err)}`);
    });
    if (code === 0) rmSync(dir, { recursive: true, force: true });
    else log(`lane logs kept in ${dir}`);
    log(`lane finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    log(`lane failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
