// The local demo: a real control plane and Prometheus, flagger-ts installed from its
// Helm chart and running against it as a local process with the chart's arguments and
// ServiceAccount (KWOK pods run no containers, so the operator cannot run in a pod here), the podinfo Deployment and Canary from manifests/, and an exporter publishing
// healthy Istio metrics. A new version is promoted; a bad one is rolled back.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Watch, KubeConfig } from '@kubernetes/client-node';
import { up } from '../cluster/up.js';
import { clusterSourceDir } from '../cluster/paths.js';
import { freePort, stopPid } from '../cluster/proc.js';
import type { ClusterState } from '../cluster/state.js';
import { OPERATOR_NAMESPACE, installCharts } from './install.js';
import { applyThirdPartyCrds } from '../../test/harness/third-party-crds.js';
import type { WorkloadTraffic } from './istio-exporter.js';

const repo = resolve(clusterSourceDir, '../..');
const say = (msg: string): void => {
  process.stdout.write(`${msg}\n`);
};

function kubectl(c: ClusterState, args: string[]): string {
  const res = spawnSync(c.kubectl, ['--kubeconfig', c.kubeconfig, ...args], { encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`kubectl ${args.join(' ')}: ${res.stderr.trim()}`);
  return res.stdout;
}

function startProcess(c: ClusterState, name: string, args: string[]): number {
  const log = join(c.dir, 'logs', `${name}.log`);
  const fd = openSync(log, 'a');
  const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', fd, fd], cwd: repo });
  closeSync(fd);
  child.unref();
  writeFileSync(join(c.dir, `${name}.pid`), String(child.pid));
  say(`  started ${name} (pid ${child.pid ?? '?'}), log ${log}`);
  return child.pid ?? 0;
}

async function stopPrevious(c: ClusterState, name: string): Promise<void> {
  const r = spawnSync('cat', [join(c.dir, `${name}.pid`)], { encoding: 'utf8' });
  const pid = Number(r.stdout.trim());
  if (pid > 0) await stopPid(pid);
}

async function setTraffic(controlPort: number, t: WorkloadTraffic): Promise<void> {
  const res = await fetch(`http://127.0.0.1:${controlPort}/set`, { method: 'POST', body: JSON.stringify(t) });
  if (!res.ok) throw new Error(`exporter control: ${res.status}`);
}

/** Events already printed (a new watch replays existing ones as ADDED). */
const seen = new Set<string>();

/** Prints the canary's Kubernetes Events as they happen until the phase is one of `until`. */
async function follow(c: ClusterState, until: string[], timeoutMs: number, leave?: string): Promise<string> {
  const kc = new KubeConfig();
  kc.loadFromFile(c.kubeconfig);
  const start = Date.now();
  const events = await new Watch(kc).watch(
    '/api/v1/namespaces/test/events',
    {},
    (
      type: string,
      e: {
        metadata?: { uid?: string };
        involvedObject?: { kind?: string };
        message?: string;
        type?: string;
        count?: number;
      },
    ) => {
      const key = `${e.metadata?.uid ?? ''}/${e.count ?? 1}`;
      if (type === 'DELETED' || e.involvedObject?.kind !== 'Canary' || seen.has(key)) return;
      seen.add(key);
      say(`  ${e.type === 'Warning' ? '!' : '-'} ${e.message ?? ''}`);
    },
    () => undefined,
  );
  let left = leave === undefined;
  try {
    for (;;) {
      const phase = kubectl(c, ['get', 'canary', 'podinfo', '-n', 'test', '-o', 'jsonpath={.status.phase}']);
      left ||= phase !== leave;
      if (left && until.includes(phase)) {
        await new Promise((r) => setTimeout(r, 1500)); // let the last events arrive
        return phase;
      }
      if (Date.now() - start > timeoutMs)
        throw new Error(`canary still ${phase} after ${timeoutMs / 1000}s; see the operator log`);
      await new Promise((r) => setTimeout(r, 300));
    }
  } finally {
    events.abort();
  }
}

async function main(): Promise<void> {
  say('== 1. local control plane and Prometheus');
  const c = await up();
  say('== 2. Istio CRDs (no Istio control plane is needed to see what flagger-ts writes)');
  // Istio's own CRDs from its Go module at the pinned version (hack/crds/pins.txt).
  await applyThirdPartyCrds(c, 'istio');
  await stopPrevious(c, 'demo-operator');
  await stopPrevious(c, 'demo-exporter');
  await stopPrevious(c, 'demo-loadtester');
  spawnSync(c.kubectl, [
    '--kubeconfig',
    c.kubeconfig,
    'delete',
    'namespace',
    'test',
    '--ignore-not-found',
    '--wait=true',
  ]);
  say(
    `   flagger-ts from its Helm chart (helm template | kubectl apply) into ${OPERATOR_NAMESPACE}, the load tester chart into test`,
  );
  const installed = installCharts(c, 'test');

  say('== 3. exporter publishing healthy metrics for podinfo, scraped by Prometheus');
  const [metricsPort, controlPort] = [await freePort(), await freePort()];
  startProcess(c, 'demo-exporter', [
    'dist/hack/demo/exporter-main.js',
    String(metricsPort),
    String(controlPort),
  ]);
  writeFileSync(
    join(c.prometheusTargetsDir, 'demo.json'),
    JSON.stringify([{ targets: [`127.0.0.1:${metricsPort}`] }]),
  );
  await new Promise((r) => setTimeout(r, 1000));
  await setTraffic(controlPort, {
    namespace: 'test',
    workload: 'podinfo',
    rps: 20,
    errorRatio: 0,
    latencyMs: 40,
  });

  say(
    "== 4. flagger-ts controller: the chart's arguments, as the chart's ServiceAccount (a local process: KWOK runs no containers)",
  );
  startProcess(c, 'demo-operator', [
    'dist/src/cli/main.js',
    'controller',
    ...installed.operatorArgs,
    '--kubeconfig',
    installed.operatorKubeconfig,
    '--port',
    String(await freePort()),
    '--listen-address',
    '127.0.0.1',
    '--min-analysis-interval',
    '1s',
    '--log-level',
    'info',
  ]);

  say('== 5. flagger-ts loadtester (acceptance test and hey load test webhooks)');
  const loadtesterPort = await freePort();
  startProcess(c, 'demo-loadtester', [
    'dist/src/cli/main.js',
    'loadtester',
    ...installed.loadtesterArgs,
    `-port=${String(loadtesterPort)}`,
    '--listen-address',
    '127.0.0.1',
  ]);

  say('== 6. podinfo Deployment and Canary (hack/demo/manifests)');
  const canaryYaml = readFileSync(join(clusterSourceDir, '../demo/manifests/canary.yaml'), 'utf8')
    .replaceAll('http://flagger-loadtester.test/', `http://127.0.0.1:${String(loadtesterPort)}/`)
    .replaceAll('LOAD_TARGET', `http://127.0.0.1:${String(controlPort)}/app`);
  const canaryFile = join(c.dir, 'demo-canary.yaml');
  writeFileSync(canaryFile, canaryYaml);
  kubectl(c, ['apply', '-f', join(clusterSourceDir, '../demo/manifests/podinfo.yaml'), '-f', canaryFile]);
  await follow(c, ['Initialized'], 120_000);
  await new Promise((r) => setTimeout(r, 12_000)); // let Prometheus collect a rate window of traffic

  say('== 7. new version 6.0.1: progressive traffic shift, judged by Prometheus');
  kubectl(c, [
    '-n',
    'test',
    'set',
    'image',
    'deployment/podinfo',
    'podinfod=ghcr.io/stefanprodan/podinfo:6.0.1',
  ]);
  const good = await follow(c, ['Succeeded', 'Failed'], 180_000, 'Initialized');
  if (good !== 'Succeeded') throw new Error(`expected the healthy version to be promoted, got ${good}`);
  const sent = await (await fetch(`http://127.0.0.1:${String(controlPort)}/app-requests`)).text();
  say(`  the load tester's hey sent ${sent} requests to the app stand-in during the analysis`);

  say('== 8. bad version 6.0.2: the exporter reports 50% errors for it, flagger-ts rolls back');
  await setTraffic(controlPort, {
    namespace: 'test',
    workload: 'podinfo',
    rps: 20,
    errorRatio: 0.5,
    latencyMs: 40,
  });
  kubectl(c, [
    '-n',
    'test',
    'set',
    'image',
    'deployment/podinfo',
    'podinfod=ghcr.io/stefanprodan/podinfo:6.0.2',
  ]);
  const bad = await follow(c, ['Succeeded', 'Failed'], 180_000, 'Succeeded');
  if (bad !== 'Failed') throw new Error(`expected the bad version to be rolled back, got ${bad}`);
  say(kubectl(c, ['get', 'canary', '-n', 'test']));

  say('Done: 6.0.1 promoted, 6.0.2 rolled back. The cluster and flagger-ts keep running. Explore:');
  say(`  eval "$(node dist/hack/cluster/cli.js env)"`);
  say('  kubectl get canary -n test -w');
  say(
    '  node dist/src/cli/main.js status -n test podinfo      # or: kubectl flagger-ts status (bin/ on PATH)',
  );
  say('  node dist/src/cli/main.js watch -n test podinfo');
  say('  kubectl describe canary podinfo -n test');
  say('  kubectl get virtualservice podinfo -n test -o yaml');
  say(`  tail -f ${join(c.dir, 'logs', 'demo-operator.log')}`);
  say(`  tail -f ${join(c.dir, 'logs', 'demo-loadtester.log')}`);
  say('Stop everything: node dist/hack/cluster/cli.js down');
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`demo failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
