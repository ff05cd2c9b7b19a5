// The two operators as OS processes, each with its own ServiceAccount (cluster-admin, so
// RBAC is not a variable), its own counting proxy in front of kube-apiserver and its own
// namespace; the same flags for both (istio provider, threadiness 2, log level info).
// CPU seconds and peak RSS come from /proc, so both are measured the same way.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClusterState } from '../../hack/cluster/state.js';
import { OPERATOR_NODE_FLAGS } from '../../src/cli/node-flags.js';
import { kubectlAsync, sleep } from '../kube.js';
import type { CountingProxy } from './proxy.js';

export type Side = 'flagger' | 'flagger-ts';

/** Where both operators' ServiceAccounts live (kept across scenarios). */
export const SYSTEM_NS = 'bench-operators';

const CLI = new URL('../../src/cli/main.js', import.meta.url).pathname;
const CLK_TCK = 100; // Linux USER_HZ: /proc/<pid>/stat counts CPU time in 1/100 s

export interface Usage {
  /** utime + stime, seconds */
  readonly cpuS: number;
  /** VmHWM: the process's peak resident set, MB */
  readonly peakRssMb: number;
}

export interface OperatorProc {
  readonly side: Side;
  readonly child: ChildProcess;
  usage(): Usage;
  /** SIGTERM, then SIGKILL after 10 s; resolves when the process is gone. */
  stop(): Promise<void>;
}

/** Creates (idempotently) the side's ServiceAccount and returns a 24 h token for it. */
export async function serviceAccountToken(cluster: ClusterState, side: Side): Promise<string> {
  await kubectlAsync(cluster, ['create', 'namespace', SYSTEM_NS]).catch(() => undefined);
  await kubectlAsync(cluster, ['-n', SYSTEM_NS, 'create', 'serviceaccount', side]).catch(() => undefined);
  await kubectlAsync(cluster, [
    'create',
    'clusterrolebinding',
    `bench-${side}`,
    '--clusterrole=cluster-admin',
    `--serviceaccount=${SYSTEM_NS}:${side}`,
  ]).catch(() => undefined);
  const res = await kubectlAsync(cluster, ['-n', SYSTEM_NS, 'create', 'token', side, '--duration=24h']);
  return res.stdout.trim();
}

/** A kubeconfig that reaches the API server through the side's counting proxy. */
export function writeKubeconfig(dir: string, side: Side, proxy: CountingProxy, token: string): string {
  const file = join(dir, `kubeconfig-${side}`);
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    // The proxy is plain http on loopback (it adds the token and speaks TLS upstream);
    // @kubernetes/client-node only accepts http with TLS verification switched off.
    clusters: [{ name: 'bench', cluster: { server: proxy.url, 'insecure-skip-tls-verify': true } }],
    users: [{ name: side, user: { token } }],
    contexts: [{ name: 'bench', context: { cluster: 'bench', user: side } }],
    'current-context': 'bench',
  };
  // JSON is valid YAML, and both client-go and @kubernetes/client-node read it.
  writeFileSync(file, JSON.stringify(doc), { mode: 0o600 });
  return file;
}

export interface StartOptions {
  readonly side: Side;
  readonly bin: string;
  readonly kubeconfig: string;
  readonly namespace: string;
  readonly prometheusUrl: string;
  readonly port: number;
  readonly logFile: string;
  /** node --cpu-prof into this directory (flagger-ts only) */
  readonly cpuProfDir?: string | undefined;
  readonly heapProfDir?: string | undefined;
}

export function startOperator(o: StartOptions): OperatorProc {
  const common = { namespace: o.namespace, metrics: o.prometheusUrl };
  let child: ChildProcess;
  if (o.side === 'flagger') {
    child = spawn(
      o.bin,
      [
        `-kubeconfig=${o.kubeconfig}`,
        '-mesh-provider=istio',
        `-metrics-server=${common.metrics}`,
        `-namespace=${common.namespace}`,
        `-port=${o.port}`,
        '-log-level=info',
        '-threadiness=2',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
  } else {
    // As the image runs it (its ENTRYPOINT's Node flags).
    const nodeArgs: string[] = [...OPERATOR_NODE_FLAGS];
    if (o.cpuProfDir !== undefined) nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${o.cpuProfDir}`);
    if (o.heapProfDir !== undefined) nodeArgs.push('--heap-prof', `--heap-prof-dir=${o.heapProfDir}`);
    child = spawn(
      process.execPath,
      [
        ...nodeArgs,
        CLI,
        'controller',
        '--kubeconfig',
        o.kubeconfig,
        '--mesh-provider',
        'istio',
        '--metrics-server',
        common.metrics,
        '--namespace',
        common.namespace,
        '--port',
        String(o.port),
        '--listen-address',
        '127.0.0.1',
        '--log-level',
        'info',
        '--threadiness',
        '2',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
  }
  const log = createWriteStream(o.logFile);
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  const pid = child.pid ?? 0;
  let last: Usage = { cpuS: 0, peakRssMb: 0 };
  const usage = (): Usage => {
    try {
      // Fields after the parenthesised command: state is field 3, utime 14, stime 15.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cpuS = (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
      const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      last = { cpuS, peakRssMb: Number(hwm?.[1] ?? 0) / 1024 };
    } catch {
      /* exited: keep the last reading */
    }
    return last;
  };
  return {
    side: o.side,
    child,
    usage,
    stop: async () => {
      usage();
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = new Promise<void>((resolve) =>
        child.once('exit', () => {
          resolve();
        }),
      );
      child.kill('SIGTERM');
      const killed = await Promise.race([gone.then(() => true), sleep(10_000).then(() => false)]);
      if (!killed) {
        child.kill('SIGKILL');
        await gone;
      }
      log.end();
    },
  };
}
