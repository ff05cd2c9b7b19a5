// A cluster of this test file's own, for faults that would break everyone else's tests on the
// shared one (restarting its kube-apiserver). The same `up`/`down` as the shared cluster and
// the real-traffic lane, pointed at another state directory; once this is called, the
// harness's localCluster() (testEnv, canaryScenario ...) in this process is the private one.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { down } from '../../../hack/cluster/down.js';
import { cacheRoot } from '../../../hack/cluster/paths.js';
import { startDetached } from '../../../hack/cluster/proc.js';
import { writeState, type ClusterState } from '../../../hack/cluster/state.js';
import { apiserverReady } from '../../../hack/cluster/status.js';
import { eventually, localCluster } from '../../harness/cluster.js';
import { FLAGGER_CRDS, installCrds } from '../../harness/kubectl.js';

/** Starts a private cluster, stopped and removed when the test ends (RELIABILITY_KEEP_CLUSTER=true keeps its logs). */
export async function privateCluster(t: TestContext, label: string): Promise<ClusterState> {
  const root = mkdtempSync(join(cacheRoot(), `${label}-`));
  // up() and down() read the directory from here; each test file runs in its own process.
  process.env['FLAGGER_TS_CLUSTER_DIR'] = join(root, 'cluster');
  t.after(async () => {
    await down({ keepDir: true });
    if (process.env['RELIABILITY_KEEP_CLUSTER'] !== 'true') rmSync(root, { recursive: true, force: true });
  });
  const cluster = await localCluster();
  // On a cluster this young, `kubectl wait` can read a CRD before it has any status
  // (".status.conditions accessor error: <nil>"); installCrds remembers only a success.
  await eventually('Flagger CRDs established', () => {
    installCrds(cluster, FLAGGER_CRDS);
    return true;
  });
  return cluster;
}

/**
 * Stops one component as the kubelet stops a container: `signal`, and SIGKILL if it still runs
 * after `graceMs` (a kube-apiserver told SIGTERM stops listening at once but can keep its open
 * connections for minutes). Keeps it down for `downMs`, then starts it again with its exact
 * command line (read from /proc) and log; the state file follows, so `down` stops the new
 * process. Returns whether it exited by itself, once the new process runs.
 */
export async function restartComponent(
  state: ClusterState,
  name: string,
  o: { signal: NodeJS.Signals; downMs: number; graceMs: number },
): Promise<{ exitedBySignal: boolean }> {
  const index = state.processes.findIndex((p) => p.name === name);
  const old = state.processes[index];
  if (old === undefined) throw new Error(`no ${name} in ${state.dir}`);
  const argv = readFileSync(`/proc/${String(old.pid)}/cmdline`, 'utf8')
    .split('\0')
    .filter((a) => a !== '');
  const [bin, ...args] = argv;
  if (bin === undefined) throw new Error(`cannot read the command line of ${name} (${String(old.pid)})`);
  process.kill(old.pid, o.signal);
  const exitedBySignal = await eventually(
    `${name} ${String(old.pid)} stopped`,
    () => (running(old.pid) ? undefined : true),
    o.graceMs,
  ).catch(() => false);
  if (!exitedBySignal) {
    process.kill(old.pid, 'SIGKILL');
    await eventually(`${name} ${String(old.pid)} killed`, () => (running(old.pid) ? undefined : true));
  }
  await new Promise((r) => setTimeout(r, o.downMs));
  state.processes[index] = startDetached(name, bin, args, old.log);
  writeState(state);
  return { exitedBySignal };
}

/**
 * Whether `pid` still runs. `up` started it from this process, and a child that exited stays a
 * zombie until reaped, which kill(pid, 0) cannot tell from a live one; /proc/<pid>/stat can.
 */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${String(pid)}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** Waits for the (restarted) API server's /readyz. */
export async function apiserverBack(state: ClusterState, timeoutMs = 90_000): Promise<void> {
  await eventually(
    'kube-apiserver ready',
    async () => ((await apiserverReady(state)) ? true : undefined),
    timeoutMs,
  );
}
