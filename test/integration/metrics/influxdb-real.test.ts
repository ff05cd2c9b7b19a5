// InfluxDB provider against a real InfluxDB 1.8.10 with Flux: real Flux queries over data
// written with the line protocol gate a real canary on the local control plane.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NoValuesError, ProviderHttpError } from '../../../src/metrics/providers/provider.js';
import { createMetricProvider } from '../../../src/metrics/providers/registry.js';
import { startInfluxdb } from './influxdb-server.js';
import { promoteThenRollBack } from './provider-canary.js';

const creds = { token: 'user:pass', org: 'my-org' };
const provider = { type: 'influxdb' as const, secretRef: { name: 'influx' } };
const meanQuery = (m: string): string =>
  `from(bucket: "apps/autogen")
    |> range(start: -1m)
    |> filter(fn: (r) => r._measurement == "${m}" and r.app == "podinfo")
    |> last()`;

test('influxdb: real Flux on InfluxDB 1.8 — value, empty result, query errors, IsOnline', async (t) => {
  const db = await startInfluxdb(t);
  await db.exec('CREATE DATABASE apps');
  const p = createMetricProvider({ provider: { ...provider, address: db.url }, credentials: creds });
  // Flagger's IsOnline queries bucket "default": a server without that database is not online.
  await assert.rejects(p.isOnline(), /no database/);
  await db.exec('CREATE DATABASE "default"');
  assert.equal(await p.isOnline(), true);
  await db.write(
    'apps',
    `errors,app=podinfo value=0.5 ${Date.now() - 2000}000000\nerrors,app=podinfo value=1.5 ${Date.now()}000000`,
  );
  assert.equal(await p.runQuery(meanQuery('errors')), 1.5);
  await assert.rejects(p.runQuery(meanQuery('nothing')), NoValuesError);
  await assert.rejects(
    p.runQuery('from(bucket: "apps/autogen"'),
    (e: unknown) => e instanceof ProviderHttpError && /expected RPAREN/.test(e.message),
  );
  // count() yields an integer column, accepted as a number.
  assert.equal(await p.runQuery(meanQuery('errors').replace('|> last()', '|> count()')), 2);
});

test('influxdb: a canary promotes on a low error rate and rolls back on a high one (real Flux)', async (t) => {
  const db = await startInfluxdb(t);
  await db.exec('CREATE DATABASE apps');
  await db.exec('CREATE DATABASE "default"');
  let value = 0.25;
  const feed = setInterval(() => {
    void db.write('apps', `errors,app=podinfo value=${value} ${Date.now()}000000`).catch(() => undefined);
  }, 500);
  t.after(() => {
    clearInterval(feed);
  });
  await promoteThenRollBack(t, {
    prefix: 'influxreal',
    provider: { type: 'influxdb', address: db.url },
    secret: creds,
    query: meanQuery('errors'),
    thresholdRange: { max: 1 },
    good: () => {
      value = 0.25;
    },
    bad: async () => {
      value = 4;
      await new Promise((r) => setTimeout(r, 1_200)); // the next write is the bad value
    },
  });
});
