// A Prometheus of this test's own — Debian's, with the local cluster's command line and
// file-discovery config — so a test can kill or freeze it without touching the shared one.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { prometheus, prometheusConfig, type Ports } from '../../../hack/cluster/components.js';
import { cacheRoot } from '../../../hack/cluster/paths.js';
import { freePort, probe } from '../../../hack/cluster/proc.js';
import { eventually } from '../../harness/cluster.js';

export interface PrivatePrometheus {
  readonly url: string;
  /** Scrapes `hostPort` from now on. */
  addTarget(name: string, hostPort: string): void;
  /** SIGKILL, or SIGSTOP/SIGCONT to freeze and thaw it. */
  signal(sig: NodeJS.Signals): void;
  /** Starts it again (same port, same data) after a kill; resolves when it is ready. */
  restart(): Promise<void>;
  exited(): boolean;
}

export async function startPrivatePrometheus(t: TestContext): Promise<PrivatePrometheus> {
  const dir = mkdtempSync(join(cacheRoot(), 'reliability-prometheus-'));
  mkdirSync(join(dir, 'prometheus', 'targets'), { recursive: true });
  writeFileSync(join(dir, 'prometheus', 'prometheus.yml'), prometheusConfig(dir));
  // Only the Prometheus port is used by prometheus(); the others do not exist here.
  const port = await freePort();
  const ports: Ports = {
    etcdClient: 0,
    etcdPeer: 0,
    apiserver: 0,
    controllerManager: 0,
    scheduler: 0,
    kwok: 0,
    prometheus: port,
  };
  const url = `http://127.0.0.1:${String(port)}`;
  const comp = prometheus(dir, ports);
  let child: ChildProcess | undefined;
  const start = async (): Promise<void> => {
    child = spawn(comp.bin, comp.args, { stdio: 'ignore' });
    await eventually(
      'private prometheus ready',
      async () => ((await probe(`${url}/-/ready`)) === 200 ? true : undefined),
      60_000,
    );
  };
  const exited = (): boolean => child === undefined || child.exitCode !== null || child.signalCode !== null;
  t.after(async () => {
    if (child !== undefined && !exited()) {
      const c = child;
      c.kill('SIGCONT');
      c.kill('SIGKILL');
      await eventually('private prometheus stopped', () => (exited() ? true : undefined)).catch(
        () => undefined,
      );
    }
    rmSync(dir, { recursive: true, force: true });
  });
  await start();
  return {
    url,
    addTarget: (name, hostPort) => {
      writeFileSync(
        join(dir, 'prometheus', 'targets', `${name}.json`),
        JSON.stringify([{ targets: [hostPort], labels: { scrape_name: name } }]),
      );
    },
    signal: (sig) => {
      child?.kill(sig);
    },
    restart: async () => {
      await eventually('private prometheus exited', () => (exited() ? true : undefined));
      await start();
    },
    exited,
  };
}
