// type ngrinder against a fake nGrinder server on 127.0.0.1.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { Loadtester } from '../../../src/loadtester/server.js';
import { ngrinderPollIntervalMs } from '../../../src/loadtester/tasks/ngrinder.js';
import { type StubServer, startStub } from '../metrics/stub-server.js';
import { hook, metricValue, post, startTester, waitFor } from './helpers.js';

const SUCCEEDED = 'flagger_ts_loadtester_tasks_succeeded_total{type="ngrinder"}';
const FAILED = 'flagger_ts_loadtester_tasks_failed_total{type="ngrinder"}';
const basic = `Basic ${Buffer.from('admin:s3cret').toString('base64')}`;

describe('ngrinder tasks', () => {
  let ngrinder: StubServer;
  let lt: Loadtester;
  /** Statuses answered to successive polls; the last one repeats. */
  let statuses: string[] = [];

  before(async () => {
    ngrinder = await startStub((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.headers['authorization'] !== basic) {
        res.statusCode = 401;
        res.end(JSON.stringify({ success: false }));
      } else if (req.method === 'POST' && req.url.pathname === '/perftest/api/7/clone_and_start') {
        res.end(JSON.stringify({ id: 42, success: true }));
      } else if (req.method === 'GET' && req.url.pathname === '/perftest/api/42/status') {
        const status = statuses.length > 1 ? statuses.shift() : statuses[0];
        res.end(JSON.stringify({ status: [{ id: 42, status_id: status }] }));
      } else if (req.method === 'PUT' && req.url.pathname === '/perftest/api/42') {
        res.end(JSON.stringify({ success: true }));
      } else {
        res.statusCode = 404;
        res.end('{}');
      }
    });
    lt = await startTester({ timeoutMs: 800 });
  });
  after(async () => {
    await lt.close();
    await ngrinder.close();
  });
  beforeEach(() => {
    ngrinder.requests.length = 0;
  });

  const metadata = (over: Record<string, string> = {}): Record<string, string> => ({
    type: 'ngrinder',
    server: ngrinder.url,
    clone: '7',
    username: 'admin',
    passwd: Buffer.from('s3cret').toString('base64'),
    pollInterval: '30ms',
    ...over,
  });

  it('clones and starts the test (202), then polls until FINISHED', async () => {
    statuses = ['READY', 'TESTING', 'FINISHED'];
    const res = await post(lt, '/', hook(metadata()));
    assert.deepEqual(res, { status: 202, body: '' });
    await waitFor('the ngrinder task to succeed', async () => (await metricValue(lt, SUCCEEDED)) === 1);
    const polls = ngrinder.requests.filter((r) => r.method === 'GET');
    assert.equal(polls.length, 3);
    assert.equal(ngrinder.requests[0]?.method, 'POST');
  });

  it('de-duplicates by canary and clone id while the test runs', async () => {
    statuses = ['TESTING', 'TESTING', 'TESTING', 'FINISHED'];
    assert.equal((await post(lt, '/', hook(metadata()))).status, 202);
    assert.equal((await post(lt, '/', hook(metadata({ pollInterval: '40ms' })))).status, 202);
    await waitFor('the ngrinder task to succeed', async () => (await metricValue(lt, SUCCEEDED)) === 2);
    assert.equal(ngrinder.requests.filter((r) => r.method === 'POST').length, 1);
  });

  it('fails on STOP_BY_ERROR', async () => {
    statuses = ['TESTING', 'STOP_BY_ERROR'];
    await post(lt, '/', hook(metadata()));
    await waitFor('the ngrinder task to fail', async () => (await metricValue(lt, FAILED)) === 1);
  });

  it('asks nGrinder to stop the test when the task times out', async () => {
    statuses = ['TESTING'];
    await post(lt, '/', hook(metadata()));
    await waitFor('the stop request', () => ngrinder.requests.some((r) => r.method === 'PUT'), 4000);
    const stop = ngrinder.requests.find((r) => r.method === 'PUT');
    assert.equal(stop?.url.search, '?action=stop');
    await waitFor('the ngrinder task to fail', async () => (await metricValue(lt, FAILED)) === 2);
  });

  it('answers 400 for bad metadata', async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [metadata({ passwd: '' }), /server, clone, username and passwd are required/],
      [metadata({ clone: 'seven' }), /clone must be an integer/],
      [metadata({ passwd: 'not base64!' }), /passwd must be base64/],
      [metadata({ server: 'nope' }), /invalid server URL/],
    ];
    for (const [meta, message] of cases) {
      const res = await post(lt, '/', hook(meta));
      assert.equal(res.status, 400, JSON.stringify(meta));
      assert.match(res.body, message);
    }
    assert.equal(ngrinder.requests.length, 0);
  });

  it('parses pollInterval as a duration or seconds, 1s otherwise', () => {
    assert.equal(ngrinderPollIntervalMs('5s'), 5000);
    assert.equal(ngrinderPollIntervalMs('2'), 2000);
    assert.equal(ngrinderPollIntervalMs('250ms'), 250);
    assert.equal(ngrinderPollIntervalMs(undefined), 1000);
    assert.equal(ngrinderPollIntervalMs('soon'), 1000);
  });
});
