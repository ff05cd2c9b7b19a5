// Process plumbing for the local control plane: free loopback ports, detached
// children with one log file each, health polling that names the failing
// component and its log, and stopping exactly the PIDs we started.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createServer } from 'node:net';

/** Binds `port` on loopback and releases it: whether it is free now. */
function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', () => {
      resolve(false);
    });
    srv.listen(port, '127.0.0.1', () => {
      srv.close(() => {
        resolve(true);
      });
    });
  });
}

/** The low end of the kernel's ephemeral range in this network namespace (32768 by default). */
function ephemeralLow(): number {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(low) && low > 2048 ? low : 32768;
  } catch {
    return 32768;
  }
}

const handedOut = new Set<number>();

/**
 * A free loopback port for a component we start and that binds it later. Taken below the
 * ephemeral range: a port the kernel gave out as "free" from that range can be the source
 * port of some process's outgoing connection by the time the component binds it (kuma-cp's
 * own API-server connections took its webhook port once). Random, so concurrent test
 * processes rarely pick the same one, and never the same one twice in this process.
 */
export async function freePort(): Promise<number> {
  const high = ephemeralLow() - 1;
  const low = Math.max(1024, high - 20_000);
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = low + Math.floor(Math.random() * (high - low + 1));
    if (handedOut.has(port) || !(await canBind(port))) continue;
    handedOut.add(port);
    return port;
  }
  throw new Error(`no free loopback port found in ${low}-${high}`);
}

export interface Started {
  readonly name: string;
  readonly pid: number;
  readonly log: string;
}

export function startDetached(
  name: string,
  bin: string,
  args: string[],
  log: string,
  env: NodeJS.ProcessEnv = process.env,
): Started {
  if (!existsSync(bin)) throw new Error(`${name}: binary ${bin} not found; run 'bash hack/cluster/build.sh'`);
  const fd = openSync(log, 'a');
  const child = spawn(bin, args, { detached: true, stdio: ['ignore', fd, fd], env });
  closeSync(fd);
  child.unref();
  if (child.pid === undefined) throw new Error(`${name}: failed to start ${bin}; see ${log}`);
  return { name, pid: child.pid, log };
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function tailOf(log: string, lines = 15): string {
  try {
    return readFileSync(log, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

export interface TlsClientOptions {
  readonly ca?: Buffer;
  readonly cert?: Buffer;
  readonly key?: Buffer;
  readonly insecure?: boolean;
}

/** GET a URL; resolves with the status code, or 0 when the connection fails. */
export function probe(url: string, tls: TlsClientOptions = {}): Promise<number> {
  return new Promise((resolve) => {
    const u = new URL(url);
    const opts = { method: 'GET', timeout: 2000, ...tls, rejectUnauthorized: tls.insecure !== true };
    const req = (u.protocol === 'https:' ? httpsRequest : httpRequest)(u, opts, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => {
      resolve(0);
    });
    req.end();
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Waits until `check` is true; fails early, naming the log, if the process dies. */
export async function waitHealthy(
  p: Started,
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
): Promise<number> {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    if (!isAlive(p.pid)) {
      throw new Error(`${p.name} exited during start-up; see ${p.log}:\n${tailOf(p.log)}`);
    }
    if (await check()) return Date.now() - start;
    await sleep(250);
  }
  throw new Error(`${p.name} not healthy after ${timeoutMs / 1000}s; see ${p.log}:\n${tailOf(p.log)}`);
}

/** SIGTERM, then SIGKILL after a grace period; only PIDs we recorded. */
export async function stopPid(pid: number, graceMs = 5000): Promise<void> {
  if (!isAlive(pid)) return;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  const start = Date.now();
  while (isAlive(pid) && Date.now() - start < graceMs) await sleep(100);
  if (isAlive(pid)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
}
