// InfluxDB (/api/v2/query fake) provider: a real canary on the local control plane promotes while the HTTPS
// fake of the vendor API (test/unit/metrics/vendors/influxdb.ts: its documented request and
// response shapes, auth header and error bodies) reports a good value, and rolls back
// once it reports a bad one.
import { test } from 'node:test';
import { startInfluxdb } from '../../unit/metrics/vendors/influxdb.js';
import { promoteThenRollBack } from './provider-canary.js';

test('influxdb: a canary promotes on a good value and rolls back on a bad one', async (t) => {
  const s = await startInfluxdb('influx-token', 'my-org');
  t.after(() => s.close());
  await promoteThenRollBack(t, {
    prefix: 'influxdb',
    provider: { type: 'influxdb', address: s.url, insecureSkipVerify: true },
    secret: { token: 'influx-token', org: 'my-org' },
    query: `from(bucket: "apps") |> range(start: -1m) |> filter(fn: (r) => r._measurement == "errors") |> mean()`,
    thresholdRange: { max: 1 },
    good: () => {
      s.state.value = 0.25;
    },
    bad: () => {
      s.state.value = 4;
    },
  });
});
