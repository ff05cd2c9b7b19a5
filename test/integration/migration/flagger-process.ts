// The real Flagger (hack/flagger/build.sh builds it from the Go module proxy), run as a
// process against the local control plane, scoped to one test namespace.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { flaggerBin, flaggerBuildScript } from '../../../hack/flagger/paths.js';
import type { TestEnv } from '../../harness/cluster.js';

/** The binary, built on first use (minutes with cold Go caches; cached afterwards). */
export function ensureFlagger(): string {
  const bin = flaggerBin();
  if (existsSync(bin)) return bin;
  const r = spawnSync('bash', [flaggerBuildScript()], {
    stdio: ['ignore', 'inherit', 'inherit'],
    timeout: 1_800_000,
  });
  if (r.status !== 0 || !existsSync(bin))
    throw new Error(`hack/flagger/build.sh failed (exit ${String(r.status)})`);
  return bin;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => {
        resolve(typeof a === 'object' && a !== null ? a.port : 0);
      });
    });
  });
}

export interface FlaggerProcess {
  readonly child: ChildProcess;
  readonly logFile: string;
  /** SIGTERM, then wait for the exit (SIGKILL after 10 s). */
  stop(): Promise<void>;
}

export async function startFlagger(
  t: TestContext,
  env: TestEnv,
  meshProvider: string,
): Promise<FlaggerProcess> {
  const bin = ensureFlagger();
  const logFile = join(tmpdir(), `flagger-${env.namespace}.log`);
  // Flagger has no listen-address flag: its /metrics port is on all interfaces for the
  // few seconds of the test; -namespace keeps it to the test's namespace.
  const child = spawn(
    bin,
    [
      `-kubeconfig=${env.cluster.kubeconfig}`,
      `-mesh-provider=${meshProvider}`,
      `-metrics-server=${env.cluster.prometheusUrl}`,
      `-namespace=${env.namespace}`,
      `-port=${await freePort()}`,
      '-log-level=info',
      '-threadiness=2',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const log = createWriteStream(logFile);
  child.stdout.pipe(log, { end: false });
  child.stderr.pipe(log, { end: false });
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      resolve();
    });
  });
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  t.after(stop);
  return { child, logFile, stop };
}
