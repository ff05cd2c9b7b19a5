// The HTTP surface: health, metrics, payload validation, authorisation, size limits.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { Loadtester } from '../../../src/loadtester/server.js';
import { get, hook, post, startTester } from './helpers.js';

describe('load tester HTTP API', () => {
  let lt: Loadtester;
  before(async () => {
    lt = await startTester({ namespaceRegexp: '^(test|prod)$', maxBodyBytes: 1024 });
  });
  after(async () => {
    await lt.close();
  });

  it('answers /healthz with 200 OK', async () => {
    assert.deepEqual(await get(lt, '/healthz'), { status: 200, body: 'OK' });
  });

  it('serves Prometheus metrics', async () => {
    const res = await get(lt, '/metrics');
    assert.equal(res.status, 200);
    assert.match(res.body, /# TYPE flagger_ts_loadtester_tasks_started_total counter/);
  });

  it('approves on /gate/approve and halts on /gate/halt without reading a body', async () => {
    assert.deepEqual(await get(lt, '/gate/approve'), { status: 200, body: 'OK' });
    assert.deepEqual(await post(lt, '/gate/halt', 'not json'), { status: 403, body: 'Forbidden' });
  });

  it('rejects bad JSON and schema violations with 400', async () => {
    const bad = await post(lt, '/', '{not json');
    assert.equal(bad.status, 400);
    assert.match(bad.body, /invalid JSON payload/);
    const wrongType = await post(lt, '/', hook({ cmd: 'true' }, { metadata: { cmd: 5 } }));
    assert.equal(wrongType.status, 400);
    assert.match(wrongType.body, /invalid payload/);
    assert.equal((await post(lt, '/gate/open', '')).status, 400);
  });

  it('answers 400 "metadata not found in payload" without metadata', async () => {
    assert.deepEqual(await post(lt, '/', hook()), { status: 400, body: 'metadata not found in payload' });
    assert.deepEqual(await post(lt, '/', hook({})), { status: 400, body: 'metadata not found in payload' });
    assert.deepEqual(await post(lt, '/', hook(undefined, { metadata: null })), {
      status: 400,
      body: 'metadata not found in payload',
    });
  });

  it('answers 400 for an unknown task type', async () => {
    assert.deepEqual(await post(lt, '/', hook({ type: 'jmeter', cmd: 'x' })), {
      status: 400,
      body: 'unknown task type jmeter',
    });
  });

  it('forbids namespaces that do not match --namespace-regexp', async () => {
    const other = { namespace: 'kube-system' };
    assert.deepEqual(await post(lt, '/', hook({ cmd: 'true' }, other)), { status: 403, body: 'Forbidden' });
    assert.deepEqual(await post(lt, '/gate/open', hook(undefined, other)), {
      status: 403,
      body: 'Forbidden',
    });
    assert.deepEqual(await post(lt, '/rollback/check', hook(undefined, other)), {
      status: 403,
      body: 'Forbidden',
    });
    assert.equal((await post(lt, '/gate/open', hook(undefined, { namespace: 'prod' }))).status, 202);
  });

  it('answers 413 when the declared body is over the limit', async () => {
    const res = await post(lt, '/', hook({ cmd: 'x'.repeat(2000) }));
    assert.equal(res.status, 413);
    assert.match(res.body, /larger than 1024 bytes/);
  });

  it('answers 413 for a chunked body that grows over the limit', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(`${lt.url}/`, { method: 'POST', headers: { 'transfer-encoding': 'chunked' } });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.write('{"name":"podinfo","namespace":"test","metadata":{"cmd":"');
      req.write('y'.repeat(4000));
      req.end('"}}');
    });
    assert.equal(status, 413);
  });

  it('keeps serving after bad requests', async () => {
    assert.equal((await get(lt, '/healthz')).status, 200);
  });
});

describe('load tester shutdown', () => {
  it('kills a running blocking task, answers it, and stops listening', async () => {
    const lt = await startTester();
    const pending = post(lt, '/', hook({ type: 'bash', cmd: 'sleep 30' }));
    await new Promise((r) => setTimeout(r, 200));
    const started = Date.now();
    await lt.close();
    assert.ok(Date.now() - started < 5000, 'close() returned promptly');
    const res = await pending;
    assert.equal(res.status, 500);
    assert.match(
      res.body,
      /^command sleep 30 failed: : signal: killed \(cancelled: the load tester is shutting down\)$/,
    );
    await assert.rejects(fetch(`${lt.url}/healthz`, { signal: AbortSignal.timeout(2000) }));
  });
});
