// Graphite provider against real Graphite (carbon-cache + graphite-web from Debian):
// values fed over the plaintext protocol gate a real canary on the local control plane.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createMetricProvider } from '../../../src/metrics/providers/registry.js';
import { NoValuesError } from '../../../src/metrics/providers/provider.js';
import { eventually } from '../../harness/cluster.js';
import { startGraphite } from './graphite-server.js';
import { promoteThenRollBack } from './provider-canary.js';

test('graphite: the provider reads the latest value that real Graphite stored', async (t) => {
  const g = await startGraphite(t);
  const p = createMetricProvider({ provider: { type: 'graphite', address: g.url } });
  assert.equal(await p.isOnline(), true);
  await assert.rejects(p.runQuery('target=app.missing&from=-1min'), NoValuesError);
  const now = Date.now();
  await g.send('app.errors', 3, new Date(now - 2_000));
  await g.send('app.errors', 4, new Date(now - 1_000));
  const v = await eventually('graphite value', async () => {
    const n = await p
      .runQuery(
        `target=app.errors
      &from=-1min`,
      )
      .catch(() => undefined);
    return n === 4 ? n : undefined;
  });
  assert.equal(v, 4);
  // Graphite's own functions run server-side.
  assert.equal(await p.runQuery('target=sumSeries(app.errors)&from=-1min'), 4);
});

test('graphite: a canary promotes on a low error rate and rolls back on a high one', async (t) => {
  const g = await startGraphite(t);
  let value = 0.5;
  const feed = setInterval(() => void g.send('podinfo.errors.rate', value).catch(() => undefined), 500);
  t.after(() => {
    clearInterval(feed);
  });
  await promoteThenRollBack(t, {
    prefix: 'graphite',
    provider: { type: 'graphite', address: g.url },
    query: 'target=podinfo.errors.rate&from=-30s',
    thresholdRange: { max: 1 },
    good: () => {
      value = 0.5;
    },
    bad: async () => {
      value = 5;
      // the latest stored point must be the bad one before the next rollout starts
      const p = createMetricProvider({ provider: { type: 'graphite', address: g.url } });
      await eventually('bad value stored', async () =>
        (await p.runQuery('target=podinfo.errors.rate&from=-30s')) === 5 ? true : undefined,
      );
    },
  });
});
