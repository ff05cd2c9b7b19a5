// New Relic provider: a real canary on the local control plane promotes while the HTTPS
// fake of the vendor API (test/unit/metrics/vendors/newrelic.ts: its documented request and
// response shapes, auth header and error bodies) reports a good value, and rolls back
// once it reports a bad one.
import { test } from 'node:test';
import { startNewRelic } from '../../unit/metrics/vendors/newrelic.js';
import { promoteThenRollBack } from './provider-canary.js';

test('newrelic: a canary promotes on a good value and rolls back on a bad one', async (t) => {
  const s = await startNewRelic('1234567', 'nrq-key');
  t.after(() => s.close());
  await promoteThenRollBack(t, {
    prefix: 'newrelic',
    provider: { type: 'newrelic', address: s.url, insecureSkipVerify: true },
    secret: { newrelic_account_id: '1234567', newrelic_query_key: 'nrq-key' },
    query: `SELECT filter(sum(nginx_ingress_controller_requests), WHERE status >= '500') / sum(nginx_ingress_controller_requests) * 100 FROM Metric WHERE metricName = 'nginx_ingress_controller_requests'`,
    thresholdRange: { max: 1 },
    good: () => {
      s.state.value = 0.25;
    },
    bad: () => {
      s.state.value = 4;
    },
  });
});
