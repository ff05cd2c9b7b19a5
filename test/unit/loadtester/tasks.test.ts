// Task submission: cmd (async, no shell, de-duplicated), bash (blocking), helm, timeouts
// and the command allow-list, all running real processes.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Loadtester } from '../../../src/loadtester/server.js';
import {
  type TempDir,
  hook,
  metricValue,
  post,
  processGone,
  startTester,
  tempDir,
  waitFor,
} from './helpers.js';

const started = (type: string): string => `flagger_ts_loadtester_tasks_started_total{type="${type}"}`;
const succeeded = (type: string): string => `flagger_ts_loadtester_tasks_succeeded_total{type="${type}"}`;
const failed = (type: string): string => `flagger_ts_loadtester_tasks_failed_total{type="${type}"}`;

describe('cmd and bash tasks', () => {
  let lt: Loadtester;
  let dir: TempDir;
  before(async () => {
    lt = await startTester({ timeoutMs: 10_000 });
    dir = tempDir();
  });
  after(async () => {
    await lt.close();
    dir.remove();
  });

  it('runs a cmd task in the background (202) without a shell, honouring quotes', async () => {
    const target = dir.file('with space.txt');
    const res = await post(lt, '/', hook({ cmd: `touch '${target}'` }));
    assert.deepEqual(res, { status: 202, body: '' });
    await waitFor('the file written by the cmd task', () => existsSync(target));
  });

  it('defaults to cmd and de-duplicates a task that is still running', async () => {
    const log = dir.file('dedupe.log');
    const cmd = `sh -c 'echo run >> "$0"; sleep 0.4' '${log}'`;
    const first = await post(lt, '/', hook({ cmd }));
    const second = await post(lt, '/', hook({ cmd }));
    assert.equal(first.status, 202);
    assert.equal(second.status, 202);
    await waitFor('the first run', async () => (await metricValue(lt, succeeded('cmd'))) >= 2);
    assert.equal(readFileSync(log, 'utf8'), 'run\n', 'the duplicate was not started');
    // once finished, the same command runs again
    await post(lt, '/', hook({ cmd }));
    await waitFor('the second run', () => readFileSync(log, 'utf8') === 'run\nrun\n');
  });

  it('does not de-duplicate the same command from another canary', async () => {
    const log = dir.file('per-canary.log');
    const cmd = `sh -c 'echo run >> "$0"; sleep 0.3' '${log}'`;
    await post(lt, '/', hook({ cmd }));
    await post(lt, '/', hook({ cmd }, { name: 'other' }));
    await waitFor('both runs', () => existsSync(log) && readFileSync(log, 'utf8') === 'run\nrun\n');
  });

  it('refuses shell syntax in a cmd task and points to bash', async () => {
    const res = await post(lt, '/', hook({ cmd: 'curl -s http://podinfo/token | grep token' }));
    assert.equal(res.status, 400);
    assert.match(res.body, /shell syntax \(\|\).*use type "bash"/);
    assert.equal((await post(lt, '/', hook({ cmd: "echo 'it | is quoted'" }))).status, 202);
  });

  it('answers 400 when cmd is missing or unparsable', async () => {
    assert.deepEqual(await post(lt, '/', hook({ type: 'cmd', logCmdOutput: 'true' })), {
      status: 400,
      body: 'cmd not found in metadata',
    });
    const res = await post(lt, '/', hook({ cmd: 'echo "unterminated' }));
    assert.equal(res.status, 400);
    assert.match(res.body, /unterminated double quote/);
  });

  it('runs bash tasks blocking: 200, with the output when returnCmdOutput is true', async () => {
    const quiet = await post(lt, '/', hook({ type: 'bash', cmd: 'echo hello | tr a-z A-Z' }));
    assert.deepEqual(quiet, { status: 200, body: '' });
    const loud = await post(
      lt,
      '/',
      hook({ type: 'bash', cmd: 'echo hello | tr a-z A-Z', returnCmdOutput: 'true' }),
    );
    assert.deepEqual(loud, { status: 200, body: 'HELLO\n' });
  });

  it('answers 500 "command <cmd> failed: <output>: <err>" when bash fails', async () => {
    const res = await post(lt, '/', hook({ type: 'bash', cmd: 'false' }));
    assert.equal(res.status, 500);
    assert.match(res.body, /^command false failed: : exit status 1$/);
    const withOutput = await post(lt, '/', hook({ type: 'bash', cmd: 'echo boom >&2; exit 3' }));
    assert.deepEqual(withOutput, {
      status: 500,
      body: 'command echo boom >&2; exit 3 failed: boom: exit status 3',
    });
  });

  it('answers 500 with a clear message when the helm binary is missing', async (t) => {
    if (process.env['PATH']?.split(':').some((d) => existsSync(`${d}/helm`))) {
      t.skip('helm is installed here');
      return;
    }
    for (const type of ['helm', 'helmv3']) {
      const res = await post(lt, '/', hook({ type, cmd: 'test podinfo --timeout 2m' }));
      assert.equal(res.status, 500);
      assert.match(
        res.body,
        /command helm test podinfo --timeout 2m failed: .*executable "helm" not found in PATH/,
      );
    }
  });

  it('counts tasks by type in /metrics', async () => {
    assert.ok((await metricValue(lt, started('bash'))) >= 4);
    assert.ok((await metricValue(lt, failed('bash'))) >= 2);
  });
});

describe('task timeout', () => {
  let lt: Loadtester;
  let dir: TempDir;
  before(async () => {
    lt = await startTester({ timeoutMs: 500 });
    dir = tempDir();
  });
  after(async () => {
    await lt.close();
    dir.remove();
  });

  it('kills a blocking task and its process group when it times out', async () => {
    const pidFile = dir.file('child.pid');
    const t0 = Date.now();
    const res = await post(lt, '/', hook({ type: 'bash', cmd: `sleep 30 & echo $! > '${pidFile}'; wait` }));
    assert.ok(Date.now() - t0 < 5000, 'answered soon after the timeout');
    assert.equal(res.status, 500);
    assert.match(res.body, /failed: .*signal: killed \(timed out after 500ms\)/);
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    await waitFor('the background sleep to die with its group', () => processGone(pid), 3000);
  });

  it('kills an async cmd task when it times out', async () => {
    await post(lt, '/', hook({ cmd: 'sleep 30' }));
    await waitFor('the cmd timeout', async () => (await metricValue(lt, failed('cmd'))) === 1, 5000);
    assert.equal(await metricValue(lt, 'flagger_ts_loadtester_tasks_running{type="cmd"}'), 0);
  });
});

describe('concurrency limit', () => {
  it('queues async tasks and answers 429 to blocking ones when all slots are busy', async () => {
    const lt = await startTester({ maxConcurrentTasks: 1 });
    const dir = tempDir();
    try {
      const blocking = post(lt, '/', hook({ type: 'bash', cmd: 'sleep 0.5' }));
      await waitFor('the first task to start', async () => (await metricValue(lt, started('bash'))) === 1);
      const busy = await post(lt, '/', hook({ type: 'bash', cmd: 'true' }));
      assert.equal(busy.status, 429);
      const queued = await post(lt, '/', hook({ cmd: `touch '${dir.file('queued')}'` }));
      assert.equal(queued.status, 202);
      assert.equal(await metricValue(lt, 'flagger_ts_loadtester_tasks_queued'), 1);
      assert.equal((await blocking).status, 200);
      await waitFor('the queued task', () => existsSync(dir.file('queued')));
    } finally {
      await lt.close();
      dir.remove();
    }
  });
});

describe('--allow-command-prefix', () => {
  let lt: Loadtester;
  let dir: TempDir;
  before(async () => {
    dir = tempDir();
    lt = await startTester({ allowCommandPrefixes: ['echo', 'touch', 'curl -s http://podinfo'] });
  });
  after(async () => {
    await lt.close();
    dir.remove();
  });

  it('accepts commands that start with an allowed prefix', async () => {
    assert.equal((await post(lt, '/', hook({ cmd: `touch '${dir.file('ok')}'` }))).status, 202);
    assert.equal((await post(lt, '/', hook({ type: 'bash', cmd: 'echo "hi there"' }))).status, 200);
  });

  it('forbids other commands with 403', async () => {
    for (const metadata of [
      { cmd: 'rm -rf /tmp/nothing' },
      { cmd: 'echoevil' },
      { cmd: 'curl -s http://evil/' },
      { type: 'bash', cmd: 'rm -f /tmp/nothing' },
      { type: 'helm', cmd: 'delete podinfo' },
      { type: 'kubectl', cmd: 'delete ns test' },
    ]) {
      const res = await post(lt, '/', hook(metadata));
      assert.equal(res.status, 403, JSON.stringify(metadata));
      assert.match(res.body, /^Forbidden: command .* is not allowed by --allow-command-prefix$/);
    }
  });

  it('forbids bash scripts with more than one simple command', async () => {
    for (const cmd of ['echo hi; rm -f x', 'echo $(id)', 'echo hi\nrm -f x', 'echo `id`', 'echo hi && id']) {
      const res = await post(lt, '/', hook({ type: 'bash', cmd }));
      assert.equal(res.status, 403, cmd);
      assert.match(res.body, /must be one simple command/);
    }
  });

  it('matches the last word of a multi-word prefix as a string prefix', async () => {
    const res = await post(lt, '/', hook({ cmd: 'curl -s http://podinfo-canary.test:9898/token' }));
    assert.equal(res.status, 202);
  });
});
