// The built-in load generator against real HTTP servers on 127.0.0.1.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { splitArgv } from '../../../src/loadtester/argv.js';
import { parseHeyArgs } from '../../../src/loadtester/hey-flags.js';
import { runLoad } from '../../../src/loadtester/load-generator.js';
import { formatReport } from '../../../src/loadtester/load-report.js';
import type { Loadtester } from '../../../src/loadtester/server.js';
import { type StubServer, closedPort, startStub } from '../metrics/stub-server.js';
import { hook, metricValue, post, startTester, waitFor } from './helpers.js';

let target: StubServer;
before(async () => {
  target = await startStub((req, res) => {
    if (req.url.pathname === '/redirect') {
      res.writeHead(302, { location: '/' });
      res.end();
      return;
    }
    res.writeHead(req.url.pathname === '/fail' ? 503 : 200);
    res.end('ok');
  });
});
after(async () => {
  await target.close();
});
beforeEach(() => {
  target.requests.length = 0;
});

const load = (cmd: string, maxDurationMs = 10_000): ReturnType<typeof runLoad> =>
  runLoad(parseHeyArgs(splitArgv(cmd)), { maxDurationMs });

describe('runLoad', () => {
  it('sends exactly -n requests with -c workers', async () => {
    const report = await load(`-n 50 -c 5 ${target.url}/`);
    assert.equal(target.requests.length, 50);
    assert.deepEqual(report.statusCodes, { '200': 50 });
    assert.equal(report.responses, 50);
    assert.equal(report.errorCount, 0);
    assert.equal(report.interrupted, undefined);
    assert.ok(
      report.latency &&
        report.latency.p50Ms <= report.latency.p95Ms &&
        report.latency.p95Ms <= report.latency.p99Ms,
    );
  });

  it('sends exactly -n requests when -n is not a multiple of -c', async () => {
    await load(`-n 23 -c 5 ${target.url}/`);
    assert.equal(target.requests.length, 23);
  });

  it('runs for the -z duration, bounded', async () => {
    const t0 = Date.now();
    const report = await load(`-z 300ms -c 2 ${target.url}/`);
    const took = Date.now() - t0;
    assert.ok(took >= 280 && took < 5000, `took ${took}ms`);
    assert.ok(report.responses > 0);
    assert.equal(report.interrupted, undefined);
  });

  it('caps -z at maxDurationMs', async () => {
    const t0 = Date.now();
    const report = await load(`-z 1h -c 1 ${target.url}/`, 250);
    assert.ok(Date.now() - t0 < 10_000, 'capped, not an hour');
    assert.ok(report.notes.some((n) => n.includes('capped')));
  });

  it('paces each worker at -q requests per second', async () => {
    const report = await load(`-z 1s -q 10 -c 2 ${target.url}/`);
    const total = report.responses;
    assert.ok(total >= 14 && total <= 24, `${total} requests`);
  });

  it('sends the method, headers and body', async () => {
    await load(
      `-n 2 -c 1 -m POST -H 'X-Test: yes' -d hello -T text/plain -host podinfo.local ${target.url}/echo`,
    );
    const req = target.requests.find((r) => r.url.pathname === '/echo');
    assert.ok(req);
    assert.equal(req.method, 'POST');
    assert.equal(req.url.pathname, '/echo');
    assert.equal(req.headers['x-test'], 'yes');
    assert.equal(req.headers['content-type'], 'text/plain');
    assert.equal(req.headers['host'], 'podinfo.local');
    assert.equal(req.body, 'hello');
  });

  it('follows redirects unless -disable-redirects', async () => {
    const followed = await load(`-n 3 -c 1 ${target.url}/redirect`);
    assert.deepEqual(followed.statusCodes, { '200': 3 });
    assert.equal(target.requests.filter((r) => r.url.pathname === '/redirect').length, 3);
    const kept = await load(`-n 3 -c 1 -disable-redirects ${target.url}/redirect`);
    assert.deepEqual(kept.statusCodes, { '302': 3 });
  });

  it('records a status histogram and connection errors', async () => {
    const failing = await load(`-n 4 -c 2 ${target.url}/fail`);
    assert.deepEqual(failing.statusCodes, { '503': 4 });
    const refused = await load(`-n 3 -c 1 http://127.0.0.1:${await closedPort()}/`);
    assert.equal(refused.errorCount, 3);
    assert.match(Object.keys(refused.errors).join(), /ECONNREFUSED/);
    assert.match(formatReport(refused), /Error distribution/);
  });

  it('stops at once when its signal fires and reports the interruption', async () => {
    const controller = new AbortController();
    setTimeout(() => {
      controller.abort();
    }, 150);
    const report = await runLoad(parseHeyArgs(splitArgv(`-z 1m -c 2 ${target.url}/`)), {
      signal: controller.signal,
      maxDurationMs: 60_000,
    });
    assert.match(report.interrupted ?? '', /cancelled/);
  });
});

describe('hey cmd tasks', () => {
  let lt: Loadtester;
  before(async () => {
    lt = await startTester({ timeoutMs: 1500 });
  });
  after(async () => {
    await lt.close();
  });

  it('runs `hey` on the built-in generator in the background', async () => {
    const res = await post(lt, '/', hook({ cmd: `hey -n 20 -c 2 ${target.url}/from-task` }));
    assert.equal(res.status, 202);
    const fromTask = (): number => target.requests.filter((r) => r.url.pathname === '/from-task').length;
    await waitFor('20 requests', () => fromTask() >= 20);
    await waitFor(
      'the task to succeed',
      async () => (await metricValue(lt, 'flagger_ts_loadtester_tasks_succeeded_total{type="cmd"}')) === 1,
    );
    assert.equal(fromTask(), 20);
  });

  it('ends a -z run on its own just before the task timeout', async () => {
    const t0 = Date.now();
    assert.equal((await post(lt, '/', hook({ cmd: `hey -z 1h -q 20 -c 1 ${target.url}/` }))).status, 202);
    await waitFor(
      'the capped run',
      async () => (await metricValue(lt, 'flagger_ts_loadtester_tasks_succeeded_total{type="cmd"}')) === 2,
      4000,
    );
    const took = Date.now() - t0;
    assert.ok(took < 1500, `took ${took}ms`);
  });

  it('answers 400 for a hey command it cannot run', async () => {
    const res = await post(lt, '/', hook({ cmd: 'hey -x http://proxy:3128 http://podinfo/' }));
    assert.equal(res.status, 400);
    assert.match(res.body, /invalid hey command .*-x \(HTTP proxy\) is not supported/);
  });
});
