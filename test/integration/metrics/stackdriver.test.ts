// Stackdriver (Cloud Monitoring v3 timeSeries:query) provider: a real canary promotes while
// the HTTPS fake (test/unit/metrics/vendors/stackdriver.ts, which verifies the RS256
// self-signed JWT of the Secret's service account key) reports a good value, and rolls
// back on a bad one.
import { test } from 'node:test';
import { serviceAccount, startStackdriver } from '../../unit/metrics/vendors/stackdriver.js';
import { promoteThenRollBack } from './provider-canary.js';

test('stackdriver: a canary promotes on a good value and rolls back on a bad one', async (t) => {
  const sa = serviceAccount('flagger-ts-test');
  const s = await startStackdriver('flagger-ts-test', sa);
  t.after(() => s.close());
  await promoteThenRollBack(t, {
    prefix: 'stackdriver',
    provider: { type: 'stackdriver', address: s.url, insecureSkipVerify: true },
    secret: { project: 'flagger-ts-test', serviceAccountKey: sa.keyJson },
    query: `fetch k8s_container
      | metric 'istio.io/service/server/request_count'
      | filter (metric.response_code >= 500)
      | align rate(1m) | every 1m | group_by [], [val: sum(value.request_count)]`,
    thresholdRange: { max: 1 },
    good: () => {
      s.state.value = 0.25;
    },
    bad: () => {
      s.state.value = 4;
    },
  });
});
