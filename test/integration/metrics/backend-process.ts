// Local backend processes for provider tests: free loopback ports, a child process that
// is killed (by its own pid) when the test ends, and a readiness poll with a deadline.
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import net from 'node:net';
import type { TestContext } from 'node:test';
import { eventually } from '../../harness/cluster.js';

export async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise<void>((resolve) =>
    srv.close(() => {
      resolve();
    }),
  );
  return port;
}

export interface Spawned {
  readonly child: ChildProcess;
  readonly log: string;
}

/** Starts a process whose output goes to `log`; it is stopped at the end of the test. */
export function spawnBackend(
  t: TestContext,
  cmd: string,
  args: string[],
  o: { cwd: string; env?: NodeJS.ProcessEnv; log: string },
): Spawned {
  const out = createWriteStream(o.log);
  const child = spawn(cmd, args, {
    cwd: o.cwd,
    env: { ...process.env, ...o.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(out);
  child.stderr.pipe(out);
  t.after(async () => {
    if (child.exitCode !== null || child.pid === undefined) return;
    const exited = new Promise<void>((resolve) =>
      child.once('exit', () => {
        resolve();
      }),
    );
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  });
  return { child, log: o.log };
}

/** Polls `ready` until it returns true; fails with the process's log tail otherwise. */
export async function waitReady(
  what: string,
  p: Spawned,
  ready: () => Promise<boolean>,
  timeoutMs = 60_000,
): Promise<void> {
  await eventually(
    `${what} ready (log: ${p.log})`,
    async () => {
      if (p.child.exitCode !== null) throw new Error(`${what} exited with ${p.child.exitCode}; see ${p.log}`);
      return (await ready().catch(() => false)) ? true : undefined;
    },
    timeoutMs,
  );
}

/** True when a TCP connection to the port succeeds. */
export function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => {
      resolve(false);
    });
  });
}
