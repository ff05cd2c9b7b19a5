// `up`: build what is missing, then start etcd, kube-apiserver,
// kube-controller-manager, kube-scheduler, KWOK with fake nodes, and Prometheus,
// all on loopback, and wait until the cluster can run ordinary Deployments.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as c from './components.js';
import { binPaths, clusterSourceDir, readVersions, runDir, type BinPaths } from './paths.js';
import { generatePki, kubeconfigYaml, type Pki } from './pki.js';
import { freePort, probe, startDetached, waitHealthy, type Started } from './proc.js';
import { isClusterHealthy } from './status.js';
import { readState, writeState, type ClusterState } from './state.js';
import { down } from './down.js';

const log = (msg: string): void => {
  process.stderr.write(`[cluster ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
};

function ensureBuilt(): void {
  const res = spawnSync('bash', [join(clusterSourceDir, 'build.sh')], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (res.status !== 0)
    throw new Error(
      `building the control plane failed (exit ${res.status ?? 'signal'}); see the output above`,
    );
}

/** KWOK v0.8 has no built-in stages; use the ones shipped in its module (not committed here). */
function ensureKwokStages(bins: BinPaths): void {
  const dest = join(bins.kwokDir, 'stages');
  if (c.KWOK_STAGES.every((f) => existsSync(join(dest, f)))) return;
  const json = execFileSync('go', ['mod', 'download', '-json', `sigs.k8s.io/kwok@${readVersions().kwok}`], {
    cwd: join(clusterSourceDir, 'kwok-bin'),
    env: { ...process.env, GOFLAGS: '-mod=mod', GOWORK: 'off', GOTOOLCHAIN: 'local' },
  }).toString();
  const dir = (JSON.parse(json) as { Dir: string }).Dir;
  const sources: Record<string, string> = {
    'node-initialize.yaml': 'node/fast',
    'node-heartbeat-with-lease.yaml': 'node/heartbeat-with-lease',
    'pod-ready.yaml': 'pod/fast',
    'pod-complete.yaml': 'pod/fast',
  };
  mkdirSync(dest, { recursive: true });
  for (const f of c.KWOK_STAGES)
    copyFileSync(join(dir, 'kustomize', 'stage', sources[f] ?? '', f), dest + '/' + f);
}

async function allocatePorts(): Promise<c.Ports> {
  const fromEnv = Number(process.env['FLAGGER_TS_APISERVER_PORT'] ?? 0);
  return {
    etcdClient: await freePort(),
    etcdPeer: await freePort(),
    apiserver: fromEnv || (await freePort()),
    controllerManager: await freePort(),
    scheduler: await freePort(),
    kwok: await freePort(),
    prometheus: await freePort(),
  };
}

function kubectl(
  state: Pick<ClusterState, 'kubectl' | 'kubeconfig'>,
  args: string[],
  input?: string,
): string {
  const res = spawnSync(state.kubectl, ['--kubeconfig', state.kubeconfig, ...args], {
    input,
    encoding: 'utf8',
  });
  if (res.status !== 0) throw new Error(`kubectl ${args.join(' ')} failed: ${res.stderr.trim()}`);
  return res.stdout;
}

function nodeManifest(i: number): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: `kwok-node-${i}`,
      annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'kwok.x-k8s.io/node': 'fake' },
      labels: {
        'kubernetes.io/hostname': `kwok-node-${i}`,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        type: 'kwok',
      },
    },
    status: {
      allocatable: { cpu: '32', memory: '256Gi', pods: '110' },
      capacity: { cpu: '32', memory: '256Gi', pods: '110' },
    },
  });
}

async function waitFor(what: string, fn: () => boolean, timeoutMs: number): Promise<void> {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    try {
      if (fn()) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}`);
}

async function startAll(dir: string, bins: BinPaths, pki: Pki, ports: c.Ports): Promise<ClusterState> {
  const kubeconfig = join(dir, 'kubeconfig');
  const server = `https://127.0.0.1:${ports.apiserver}`;
  writeFileSync(kubeconfig, kubeconfigYaml(server, pki));
  const logs = join(dir, 'logs');
  const started: Started[] = [];
  const state: ClusterState = {
    dir,
    kubeconfig,
    server,
    kubectl: bins.kubectl,
    ports,
    processes: started,
    prometheusUrl: `http://127.0.0.1:${ports.prometheus}`,
    prometheusTargetsDir: join(dir, 'prometheus', 'targets'),
    startedAt: new Date().toISOString(),
  };
  const run = (comp: c.Component): Started => {
    const p = startDetached(comp.name, comp.bin, comp.args, join(logs, `${comp.name}.log`), comp.env);
    started.push(p);
    writeState(state); // record PIDs as we go, so `down` can stop a half-started cluster
    return p;
  };
  const tls = {
    ca: readFileSync(pki.caCert),
    cert: readFileSync(pki.adminCert),
    key: readFileSync(pki.adminKey),
  };

  const etcd = run(c.etcd(bins, dir, ports));
  log(
    `etcd ready in ${await waitHealthy(etcd, async () => (await probe(`http://127.0.0.1:${ports.etcdClient}/health`)) === 200, 30_000)} ms`,
  );
  const api = run(c.apiserver(bins, dir, ports, pki));
  log(
    `kube-apiserver ready in ${await waitHealthy(api, async () => (await probe(`${server}/readyz`, tls)) === 200, 90_000)} ms`,
  );
  const kcm = run(c.controllerManager(bins, kubeconfig, ports, pki));
  const sched = run(c.scheduler(bins, kubeconfig, ports));
  const kwok = run(c.kwok(bins, dir, kubeconfig, ports));
  mkdirSync(state.prometheusTargetsDir, { recursive: true });
  writeFileSync(join(dir, 'prometheus', 'prometheus.yml'), c.prometheusConfig(dir));
  const prom = existsSync('/usr/bin/prometheus') ? run(c.prometheus(dir, ports)) : undefined;
  const insecure = { insecure: true };
  await waitHealthy(
    kcm,
    async () => (await probe(`https://127.0.0.1:${ports.controllerManager}/healthz`, insecure)) === 200,
    60_000,
  );
  await waitHealthy(
    sched,
    async () => (await probe(`https://127.0.0.1:${ports.scheduler}/healthz`, insecure)) === 200,
    60_000,
  );
  log('kube-controller-manager and kube-scheduler healthy');
  for (let i = 0; i < 3; i++) kubectl(state, ['apply', '-f', '-'], nodeManifest(i));
  await waitHealthy(
    kwok,
    () => {
      try {
        return (
          kubectl(state, [
            'get',
            'nodes',
            '-o',
            'jsonpath={.items[*].status.conditions[?(@.type=="Ready")].status}',
          ])
            .split(' ')
            .filter((s) => s === 'True').length === 3
        );
      } catch {
        return false;
      }
    },
    60_000,
  );
  log('3 KWOK nodes Ready');
  await waitFor(
    'the default ServiceAccount',
    () => kubectl(state, ['get', 'serviceaccount', 'default', '-o', 'name']).trim() !== '',
    60_000,
  );
  if (prom) {
    await waitHealthy(prom, async () => (await probe(`${state.prometheusUrl}/-/ready`)) === 200, 60_000);
    log(`prometheus ready at ${state.prometheusUrl}`);
  }
  return state;
}

export async function up(): Promise<ClusterState> {
  const dir = runDir();
  const existing = readState(dir);
  if (existing && (await isClusterHealthy(existing))) {
    log(`cluster already up (kubeconfig ${existing.kubeconfig}); reusing it`);
    return existing;
  }
  if (existing) {
    log('found a stale or broken cluster; stopping it first');
    await down();
  }
  ensureBuilt();
  const start = Date.now();
  const bins = binPaths();
  ensureKwokStages(bins);
  ensurePrometheusInstalled();
  rmSync(dir, { recursive: true, force: true });
  for (const sub of ['pki', 'logs', 'etcd', 'prometheus']) mkdirSync(join(dir, sub), { recursive: true });
  const pki = generatePki(join(dir, 'pki'));
  try {
    const state = await startAll(dir, bins, pki, await allocatePorts());
    log(`cluster up in ${((Date.now() - start) / 1000).toFixed(1)}s; export KUBECONFIG=${state.kubeconfig}`);
    return state;
  } catch (err) {
    log(`start-up failed; logs are kept in ${join(dir, 'logs')}`);
    await down({ keepDir: true });
    throw err;
  }
}

/** Debian's prometheus is the real thing; install it when missing (we are root here). */
function ensurePrometheusInstalled(): void {
  if (existsSync('/usr/bin/prometheus')) return;
  log('installing prometheus from Debian (apt-get install prometheus)');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const upd = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  const inst = spawnSync('apt-get', ['install', '-y', '-qq', 'prometheus'], { stdio: 'inherit', env });
  if (upd.status !== 0 || inst.status !== 0 || !existsSync('/usr/bin/prometheus')) {
    throw new Error(
      "prometheus is not installed and 'apt-get install prometheus' failed; install it and retry",
    );
  }
}
