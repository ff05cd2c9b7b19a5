// Datadog provider: a real canary on the local control plane promotes while the HTTPS
// fake of the vendor API (test/unit/metrics/vendors/datadog.ts: its documented request and
// response shapes, auth header and error bodies) reports a good value, and rolls back
// once it reports a bad one.
import { test } from 'node:test';
import { startDatadog } from '../../unit/metrics/vendors/datadog.js';
import { promoteThenRollBack } from './provider-canary.js';

test('datadog: a canary promotes on a good value and rolls back on a bad one', async (t) => {
  const s = await startDatadog('api-k', 'app-k');
  t.after(() => s.close());
  await promoteThenRollBack(t, {
    prefix: 'datadog',
    provider: { type: 'datadog', address: s.url, insecureSkipVerify: true },
    secret: { datadog_api_key: 'api-k', datadog_application_key: 'app-k' },
    query: `sum:trace.http.request.errors{service:podinfo}.as_count() / sum:trace.http.request.hits{service:podinfo}.as_count() * 100`,
    thresholdRange: { max: 1 },
    good: () => {
      s.state.value = 0.25;
    },
    bad: () => {
      s.state.value = 4;
    },
  });
});
