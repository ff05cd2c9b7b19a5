// Shared helpers: a load tester on 127.0.0.1 with an ephemeral port, JSON posting,
// bounded polling and temp dirs.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { createLoadtesterMetrics } from '../../../src/loadtester/metrics.js';
import type { LoadtesterOptions } from '../../../src/loadtester/options.js';
import { type Loadtester, startLoadtester } from '../../../src/loadtester/server.js';

export function startTester(opts: LoadtesterOptions = {}): Promise<Loadtester> {
  return startLoadtester({
    host: '127.0.0.1',
    port: 0,
    metrics: createLoadtesterMetrics({ defaults: false }),
    ...opts,
  });
}

export interface Answer {
  readonly status: number;
  readonly body: string;
}

export async function post(lt: Loadtester, path: string, body: unknown): Promise<Answer> {
  const res = await fetch(`${lt.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    signal: AbortSignal.timeout(20_000),
  });
  return { status: res.status, body: await res.text() };
}

export async function get(lt: Loadtester, path: string): Promise<Answer> {
  const res = await fetch(`${lt.url}${path}`, { signal: AbortSignal.timeout(10_000) });
  return { status: res.status, body: await res.text() };
}

/** A webhook payload as Flagger sends it. */
export function hook(
  metadata?: Record<string, string>,
  over: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    name: 'podinfo',
    namespace: 'test',
    phase: 'Progressing',
    checksum: 'abc',
    ...(metadata === undefined ? {} : { metadata }),
    ...over,
  };
}

/** Polls `cond` until it holds; fails after `timeoutMs`. */
export async function waitFor(
  what: string,
  cond: () => boolean | Promise<boolean>,
  timeoutMs = 5000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await cond()) return;
    await delay(20);
  }
  throw new Error(`timed out after ${timeoutMs}ms waiting for ${what}`);
}

/** The value of one sample in the Prometheus text exposition, or 0 when absent. */
export async function metricValue(lt: Loadtester, series: string): Promise<number> {
  const text = await lt.metrics.registry.metrics();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

export interface TempDir {
  readonly path: string;
  file(name: string): string;
  remove(): void;
}

export function tempDir(): TempDir {
  const path = mkdtempSync(join(tmpdir(), 'flagger-ts-loadtester-'));
  return {
    path,
    file: (name) => join(path, name),
    remove: () => {
      rmSync(path, { recursive: true, force: true });
    },
  };
}

/** True when no live (non-zombie) process has this pid. */
export function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return true;
  }
  try {
    const stat = readProcStat(pid);
    return stat === 'Z' || stat === 'X';
  } catch {
    return true;
  }
}

function readProcStat(pid: number): string {
  // /proc/<pid>/stat: "pid (comm) S ..."; comm may contain spaces, so split after the last ')'
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return text.slice(text.lastIndexOf(')') + 2, text.lastIndexOf(')') + 3);
}
