// Repeats of one Event are folded into its count, and the count is written at most once per
// window: 1,000 waiting canaries must not cost an API request per tick each.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KubeEventRecorder } from '../../../src/events/kube-events.js';
import { FakeKubeClient } from '../../../src/kube/fake-client.js';

const target = {
  apiVersion: 'flagger.app/v1beta1',
  kind: 'Canary',
  name: 'podinfo',
  namespace: 'ns',
  uid: 'u1',
};

function events(client: FakeKubeClient): { count: unknown; lastTimestamp: unknown }[] {
  return client
    .all()
    .filter((o) => o.kind === 'Event')
    .map((o) => ({ count: o['count'], lastTimestamp: o['lastTimestamp'] }));
}

describe('KubeEventRecorder', () => {
  it('writes a repeat within the window only at its end, with every occurrence counted', async () => {
    const client = new FakeKubeClient();
    let clock = Date.parse('2026-12-06T00:00:00Z');
    const recorder = new KubeEventRecorder(client, { repeatWriteWindowMs: 60_000, now: () => clock });
    await recorder.record(target, 'Warning', 'CanaryNotReady', 'not ready');
    for (let i = 0; i < 5; i++) {
      clock += 10_000; // a tick every 10 s, all inside the first window
      await recorder.record(target, 'Warning', 'CanaryNotReady', 'not ready');
    }
    assert.equal(client.requests.count('create'), 1);
    assert.equal(client.requests.count('patch'), 0, 'no count write inside the window');
    clock += 10_000; // 60 s after the create: this repeat writes all six repeats at once
    await recorder.record(target, 'Warning', 'CanaryNotReady', 'not ready');
    assert.equal(client.requests.count('patch'), 1);
    assert.deepEqual(events(client), [{ count: 7, lastTimestamp: '2026-12-06T00:01:00.000Z' }]);
    // A different message is a different Event.
    await recorder.record(target, 'Warning', 'CanaryNotReady', 'still not ready');
    assert.equal(client.requests.count('create'), 2);
  });

  it('writes the count of repeats that stop inside a window when the window ends', async () => {
    const client = new FakeKubeClient();
    const recorder = new KubeEventRecorder(client, { repeatWriteWindowMs: 50 });
    await recorder.record(target, 'Normal', 'Synced', 'waiting');
    await recorder.record(target, 'Normal', 'Synced', 'waiting');
    await recorder.record(target, 'Normal', 'Synced', 'waiting');
    const deadline = Date.now() + 5_000;
    while (events(client)[0]?.count !== 3 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 10));
    assert.equal(events(client)[0]?.count, 3);
    assert.equal(client.requests.count('patch'), 1, 'one write for both repeats');
  });

  it('writes a new Event when the folded one is gone', async () => {
    const client = new FakeKubeClient();
    let clock = 0;
    const recorder = new KubeEventRecorder(client, { repeatWriteWindowMs: 1_000, now: () => clock });
    await recorder.record(target, 'Warning', 'X', 'm');
    for (const o of client.all())
      await client.delete({ apiVersion: 'v1', kind: 'Event', namespace: 'ns', name: o.metadata.name });
    clock += 2_000;
    await recorder.record(target, 'Warning', 'X', 'm');
    assert.equal(client.requests.count('create'), 2);
    assert.deepEqual(
      events(client).map((e) => e.count),
      [1],
    );
  });
});
