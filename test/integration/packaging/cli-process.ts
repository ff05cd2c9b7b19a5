// Runs the compiled CLI (`node dist/src/cli/main.js ...`) as a child process, the way
// the container does, and collects its JSON log lines so tests can find the HTTP port
// and prove that no API request was refused.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { eventually } from '../../harness/cluster.js';
import { repoRoot } from './tools.js';

export interface LogLine {
  readonly msg?: string;
  readonly level?: string;
  readonly port?: number;
  readonly [field: string]: unknown;
}

export interface CliProcess {
  readonly child: ChildProcess;
  /** Every stdout line, parsed when it is JSON. */
  readonly lines: string[];
  readonly logs: () => LogLine[];
  /** The HTTP port from the start-up log line ("... started" with a port field). */
  port(): Promise<number>;
  stop(): Promise<number | null>;
}

export interface CliOptions {
  readonly command?: readonly string[];
  /** Started through this program instead of node (e.g. a sandbox wrapper). */
  readonly wrapper?: readonly string[];
  readonly cwd?: string;
  readonly startedMessage?: RegExp;
}

function parseLine(line: string): LogLine | undefined {
  try {
    const v: unknown = JSON.parse(line);
    return typeof v === 'object' && v !== null ? (v as LogLine) : undefined;
  } catch {
    return undefined;
  }
}

export function startCli(t: TestContext, args: readonly string[], o: CliOptions = {}): CliProcess {
  const cwd = o.cwd ?? repoRoot;
  const main = join(cwd, 'dist/src/cli/main.js');
  const argv = [...(o.wrapper ?? []), process.execPath, main, ...args];
  const [bin, ...rest] = argv;
  if (bin === undefined) throw new Error('empty command');
  const child = spawn(bin, rest, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let buffered = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    buffered += chunk;
    const parts = buffered.split('\n');
    buffered = parts.pop() ?? '';
    lines.push(...parts.filter((l) => l.trim() !== ''));
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr += chunk;
  });
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code) => {
      exitCode = code;
      resolve(code);
    });
  });
  const logs = (): LogLine[] => lines.map(parseLine).filter((l): l is LogLine => l !== undefined);
  const started = o.startedMessage ?? /started|listening/;
  const proc: CliProcess = {
    child,
    lines,
    logs,
    async port() {
      return eventually(
        'the CLI to log its HTTP port',
        () => {
          if (exitCode !== undefined)
            throw new Error(`CLI exited with ${exitCode}: ${stderr}${lines.slice(-5).join('\n')}`);
          const line = logs().find((l) => started.test(l.msg ?? '') && typeof l.port === 'number');
          return line?.port;
        },
        60_000,
      );
    },
    async stop() {
      if (exitCode !== undefined) return exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
  t.after(async () => {
    await proc.stop();
  });
  return proc;
}

/** Log lines that show the API server refused a request. */
export function forbiddenLines(p: CliProcess): string[] {
  return p.lines.filter((l) => /forbidden|\b403\b/i.test(l));
}
