// Repeats of one Event are folded into its count; after the first repeat the count is written at
// most once per window: 1,000 waiting canaries must not cost an API request per tick each.
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
  it('writes the first repeat at once, later ones once per window, with every occurrence counted', async () => {
    const client = new FakeKubeClient();
    let clock = Date.parse('2026-12-06T00:00:00Z');
    const recorder = new KubeEventRecorder(client, { repeatWriteWindowMs: 60_000, now: () => clock });
    await recorder.record(target, 'Warning', 'CanaryNotReady', 'not ready');
    clock += 10_000;
    await recorder.record(target, 'Warning', 'CanaryNotReady', 'not ready');
    assert.equal(client.requests.count('patch'), 1, 'the first repeat shows at once');
    assert.deepEqual(events(client), [{ count: 2, lastTimestamp: '2026-12-06T00:00:10.000Z' }]);
    for (let i = 0; i < 5; i++) {
      clock += 10_000; // a tick every 10 s, all inside the window that began at the first repeat
      await recorder.record(target, 'Warning', 'CanaryNotReady', 'not ready');
    }
    assert.equal(client.requests.count('create'), 1);
    assert.equal(client.requests.count('patch'), 1, 'no count write inside the window');
    clock += 10_000; // 60 s after the first repeat: this one writes the six since at once
    await recorder.record(target, 'Warning', 'CanaryNotReady', 'not ready');
    assert.equal(client.requests.count('patch'), 2);
    assert.deepEqual(events(client), [{ count: 8, lastTimestamp: '2026-12-06T00:01:10.000Z' }]);
    // A different message is a different Event.
    await recorder.record(target, 'Warning', 'CanaryNotReady', 'still not ready');
    assert.equal(client.requests.count('create'), 2);
  });

  it('writes the count of repeats that stop inside a window when the window ends', async () => {
    const client = new FakeKubeClient();
    const recorder = new KubeEventRecorder(client, { repeatWriteWindowMs: 50 });
    await recorder.record(target, 'Normal', 'Synced', 'waiting');
    await recorder.record(target, 'Normal', 'Synced', 'waiting'); // written at once
    await recorder.record(target, 'Normal', 'Synced', 'waiting');
    await recorder.record(target, 'Normal', 'Synced', 'waiting');
    const deadline = Date.now() + 5_000;
    while (events(client)[0]?.count !== 4 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 10));
    assert.equal(events(client)[0]?.count, 4);
    assert.equal(client.requests.count('patch'), 2, 'the first repeat, then one write for the last two');
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
