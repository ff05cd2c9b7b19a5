// Runs a program without a shell, in its own process group, capturing combined
// stdout+stderr (bounded). Aborting the signal SIGKILLs the whole group, so children the
// program started (e.g. `bash -c "sleep 60 & wait"`) die with it.
import { spawn } from 'node:child_process';

export interface ProcessResult {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Combined stdout and stderr, in arrival order (the tail, when over the limit). */
  readonly output: string;
  /** The abort signal fired and the process group was killed. */
  readonly killed: boolean;
  /** The program could not be started (e.g. not found in PATH). */
  readonly spawnError?: string;
}

export interface RunProcessOptions {
  readonly signal: AbortSignal;
  readonly maxOutputBytes?: number;
  /** After the program exits, how long to wait for pipes held open by its background children. */
  readonly pipeGraceMs?: number;
}

const DEFAULT_MAX_OUTPUT = 1024 * 1024;

/** Keeps the last `max` bytes of output. */
class OutputTail {
  readonly #chunks: Buffer[] = [];
  #size = 0;
  #dropped = 0;
  readonly #max: number;

  constructor(max: number) {
    this.#max = max;
  }

  push(chunk: Buffer): void {
    this.#chunks.push(chunk);
    this.#size += chunk.length;
    while (this.#size > this.#max && this.#chunks.length > 0) {
      const first = this.#chunks[0];
      if (first === undefined) break;
      const excess = this.#size - this.#max;
      if (first.length <= excess) {
        this.#chunks.shift();
        this.#size -= first.length;
        this.#dropped += first.length;
      } else {
        this.#chunks[0] = first.subarray(excess);
        this.#size -= excess;
        this.#dropped += excess;
      }
    }
  }

  toString(): string {
    const text = Buffer.concat(this.#chunks, this.#size).toString('utf8');
    return this.#dropped > 0 ? `[... ${this.#dropped} bytes of output dropped ...]\n${text}` : text;
  }
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // the group is already gone
  }
}

export function runProcess(argv: readonly string[], opts: RunProcessOptions): Promise<ProcessResult> {
  const [file, ...args] = argv;
  const output = new OutputTail(opts.maxOutputBytes ?? DEFAULT_MAX_OUTPUT);
  if (file === undefined || file === '') {
    return Promise.resolve({
      exitCode: null,
      signal: null,
      output: '',
      killed: false,
      spawnError: 'empty command',
    });
  }
  return new Promise((resolve) => {
    let killed = false;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let spawnError: string | undefined;
    let graceTimer: NodeJS.Timeout | undefined;
    const child = spawn(file, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const onAbort = (): void => {
      killed = true;
      killGroup(child.pid);
    };
    let settled = false;
    const settle = (): void => {
      if (settled) return;
      settled = true;
      clearTimeout(graceTimer);
      opts.signal.removeEventListener('abort', onAbort);
      const base = {
        exitCode: exit?.code ?? null,
        signal: exit?.signal ?? null,
        output: output.toString(),
        killed,
      };
      resolve(spawnError === undefined ? base : { ...base, spawnError });
    };
    child.stdout.on('data', (c: Buffer) => {
      output.push(c);
    });
    child.stderr.on('data', (c: Buffer) => {
      output.push(c);
    });
    child.once('error', (err: NodeJS.ErrnoException) => {
      spawnError = err.code === 'ENOENT' ? `executable "${file}" not found in PATH` : err.message;
      settle();
    });
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      // background children may keep the pipes open; stop waiting for them after a grace
      graceTimer = setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
        settle();
      }, opts.pipeGraceMs ?? 2000);
    });
    child.once('close', settle);
    if (opts.signal.aborted) onAbort();
    else opts.signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Go-style description of how a process ended: "exit status 1", "signal: killed" ... */
export function describeExit(r: ProcessResult): string {
  if (r.spawnError !== undefined) return r.spawnError;
  if (r.killed) return 'signal: killed';
  if (r.signal !== null) return `signal: ${r.signal}`;
  return `exit status ${r.exitCode ?? -1}`;
}

export function succeeded(r: ProcessResult): boolean {
  return r.spawnError === undefined && !r.killed && r.exitCode === 0;
}
