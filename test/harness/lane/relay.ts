// The host side of the lane: starts main.ts inside fresh namespaces (netns.ts) and turns
// each LANE-RESULT line into a subtest of the calling test, so the lane's tests appear one
// by one in the normal test run and its summary. The lane's own output goes to a log file
// (its tail is shown when something fails).
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { TestContext } from 'node:test';
import { cacheRoot } from '../../../hack/cluster/paths.js';
import { inLaneNamespaces, laneUnavailable } from './netns.js';
import { RESULT_PREFIX, type LaneResult } from './reporter.js';

const MAIN = new URL('./main.js', import.meta.url).pathname;

function tail(file: string, lines = 60): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no lane log)';
  }
}

/** Runs `files` (compiled lane test files) in the lane; each of their tests becomes a subtest of `t`. */
export async function runLane(t: TestContext, files: readonly string[]): Promise<void> {
  const unavailable = laneUnavailable();
  if (unavailable !== undefined) throw new Error(`the real-traffic lane cannot run here: ${unavailable}`);
  mkdirSync(cacheRoot(), { recursive: true });
  const logFile = join(cacheRoot(), `lane-${process.pid}.log`);
  const logStream = createWriteStream(logFile);
  const argv = inLaneNamespaces([process.execPath, MAIN, ...files]);
  // The lane runs its own node:test run; the context variable of ours would make it skip its files.
  const { NODE_TEST_CONTEXT: _ours, ...env } = process.env;
  const child = spawn(argv[0] ?? 'unshare', argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], env });
  t.after(() => {
    // unshare --kill-child: its child (the namespaces' init) dies with it, and with that
    // init every process in the PID namespace.
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  const results: LaneResult[] = [];
  let subtests: Promise<unknown> = Promise.resolve();
  createInterface({ input: child.stdout }).on('line', (line) => {
    const at = line.indexOf(RESULT_PREFIX);
    if (at < 0) {
      logStream.write(`${line}\n`);
      return;
    }
    const r = JSON.parse(line.slice(at + RESULT_PREFIX.length)) as LaneResult;
    results.push(r);
    subtests = subtests.then(() =>
      t.test(r.name, { skip: r.skipped }, (st) => {
        for (const d of r.diagnostics) st.diagnostic(d);
        if (!r.passed) throw new Error(`${r.error ?? 'failed'}\n(lane log: ${logFile})`);
      }),
    );
  });
  child.stderr.pipe(logStream, { end: false });
  const code = await new Promise<number>((resolve) =>
    child.on('exit', (c, signal) => {
      resolve(c ?? (signal ? 128 : 1));
    }),
  );
  await subtests;
  await new Promise((r) => logStream.end(r));
  if (results.length === 0 || (code !== 0 && results.every((r) => r.passed))) {
    throw new Error(
      `the lane exited with ${code} after ${results.length} test(s); ${logFile}:\n${tail(logFile)}`,
    );
  }
}
