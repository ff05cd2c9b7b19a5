// Manual gating: /gate/* and /rollback/* keyed by canary name and namespace.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GateStore, MAX_GATES } from '../../../src/loadtester/gates.js';
import type { Loadtester } from '../../../src/loadtester/server.js';
import { hook, metricValue, post, startTester } from './helpers.js';

const approved = { status: 200, body: 'Approved' };
const forbidden = { status: 403, body: 'Forbidden' };
const accepted = { status: 202, body: '' };

describe('gates', () => {
  let lt: Loadtester;
  before(async () => {
    lt = await startTester();
  });
  after(async () => {
    await lt.close();
  });

  it('starts closed, opens and closes', async () => {
    const p = hook(undefined, { name: 'gated' });
    assert.deepEqual(await post(lt, '/gate/check', p), forbidden);
    assert.deepEqual(await post(lt, '/gate/open', p), accepted);
    assert.deepEqual(await post(lt, '/gate/check', p), approved);
    assert.deepEqual(await post(lt, '/gate/check', p), approved);
    assert.deepEqual(await post(lt, '/gate/close', p), accepted);
    assert.deepEqual(await post(lt, '/gate/check', p), forbidden);
  });

  it('keys gates by name and namespace', async () => {
    await post(lt, '/gate/open', hook(undefined, { name: 'a', namespace: 'one' }));
    assert.deepEqual(
      await post(lt, '/gate/check', hook(undefined, { name: 'a', namespace: 'one' })),
      approved,
    );
    assert.deepEqual(
      await post(lt, '/gate/check', hook(undefined, { name: 'a', namespace: 'two' })),
      forbidden,
    );
    assert.deepEqual(
      await post(lt, '/gate/check', hook(undefined, { name: 'b', namespace: 'one' })),
      forbidden,
    );
  });

  it('keeps rollback gates apart from promotion gates', async () => {
    const p = hook(undefined, { name: 'rb' });
    assert.deepEqual(await post(lt, '/rollback/check', p), forbidden);
    assert.deepEqual(await post(lt, '/rollback/open', p), accepted);
    assert.deepEqual(await post(lt, '/rollback/check', p), approved);
    assert.deepEqual(await post(lt, '/gate/check', p), forbidden, 'the promotion gate stays closed');
    assert.deepEqual(await post(lt, '/rollback/close', p), accepted);
    assert.deepEqual(await post(lt, '/rollback/check', p), forbidden);
  });

  it('validates the payload on gate endpoints', async () => {
    assert.equal((await post(lt, '/gate/check', '{')).status, 400);
    assert.equal((await post(lt, '/rollback/open', { name: 'x' })).status, 400);
  });

  it('exports the gate state as a metric', async () => {
    await post(lt, '/gate/open', hook(undefined, { name: 'metric' }));
    assert.equal(await metricValue(lt, 'flagger_ts_loadtester_gate_open{gate="metric.test"}'), 1);
    await post(lt, '/gate/close', hook(undefined, { name: 'metric' }));
    assert.equal(await metricValue(lt, 'flagger_ts_loadtester_gate_open{gate="metric.test"}'), 0);
  });
});

describe('GateStore', () => {
  it('stops recording unknown gates beyond MAX_GATES but still answers closed', () => {
    const store = new GateStore();
    for (let i = 0; i < MAX_GATES; i++) store.isOpen(`g${i}`);
    assert.equal(store.size, MAX_GATES);
    assert.equal(store.isOpen('one-more'), false);
    assert.equal(store.size, MAX_GATES);
    store.open('explicit');
    assert.equal(store.isOpen('explicit'), true);
  });
});
