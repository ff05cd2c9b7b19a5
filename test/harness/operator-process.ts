// The operator as a separate OS process (the compiled CLI), for tests that must kill
// it the hard way (SIGKILL: no lease release, no clean-up) as a crashed pod would be.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { TestContext } from 'node:test';
import { OPERATOR_NODE_FLAGS } from '../../src/cli/node-flags.js';
import { eventually } from './cluster.js';
import type { TestEnv } from './cluster.js';

const CLI = new URL('../../src/cli/main.js', import.meta.url).pathname;

export interface OperatorProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Port of /metrics, known once the operator logged that it started. */
  port(): Promise<number>;
  /** Parsed JSON log lines so far. */
  readonly logs: Record<string, unknown>[];
  kill(): void;
}

export interface SpawnOptions {
  /** Arguments for node itself, before the script (e.g. a module-trace hook). */
  readonly nodeArgs?: readonly string[];
  /** Added to this process's environment. */
  readonly env?: Readonly<Record<string, string>>;
}

export function spawnOperator(
  t: TestContext,
  env: TestEnv,
  extraArgs: readonly string[],
  opts: SpawnOptions = {},
): OperatorProcess {
  const args = [
    ...OPERATOR_NODE_FLAGS,
    ...(opts.nodeArgs ?? []),
    CLI,
    'controller',
    '--kubeconfig',
    env.cluster.kubeconfig,
    '--namespace',
    env.namespace,
    '--metrics-server',
    env.cluster.prometheusUrl,
    '--mesh-provider',
    'istio',
    '--port',
    '0',
    '--listen-address',
    '127.0.0.1',
    '--min-analysis-interval',
    '500ms',
    '--log-level',
    'info',
    ...extraArgs,
  ];
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...opts.env },
  });
  const logs: Record<string, unknown>[] = [];
  const stderr: string[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    try {
      logs.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      logs.push({ msg: line });
    }
  });
  createInterface({ input: child.stderr }).on('line', (line) => stderr.push(line));
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const pid = child.pid ?? 0;
  return {
    child,
    pid,
    logs,
    port: () =>
      eventually(`operator ${String(pid)} started (stderr: ${stderr.join(' ')})`, () => {
        const started = logs.find((l) => l['msg'] === 'flagger-ts controller started');
        return typeof started?.['port'] === 'number' ? started['port'] : undefined;
      }),
    kill: () => {
      child.kill('SIGKILL');
    },
  };
}
