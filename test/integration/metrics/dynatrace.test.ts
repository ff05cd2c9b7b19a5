// Dynatrace provider: a real canary on the local control plane promotes while the HTTPS
// fake of the vendor API (test/unit/metrics/vendors/dynatrace.ts: its documented request and
// response shapes, auth header and error bodies) reports a good value, and rolls back
// once it reports a bad one.
import { test } from 'node:test';
import { startDynatrace } from '../../unit/metrics/vendors/dynatrace.js';
import { promoteThenRollBack } from './provider-canary.js';

test('dynatrace: a canary promotes on a good value and rolls back on a bad one', async (t) => {
  const s = await startDynatrace('dt0c01.ST2EY72KQINMH574WMNVI7YN');
  t.after(() => s.close());
  await promoteThenRollBack(t, {
    prefix: 'dynatrace',
    provider: { type: 'dynatrace', address: s.url, insecureSkipVerify: true },
    secret: { dynatrace_token: 'dt0c01.ST2EY72KQINMH574WMNVI7YN' },
    query: `builtin:service.errors.total.rate:filter(eq(dt.entity.service,SERVICE-1)):avg`,
    thresholdRange: { max: 1 },
    good: () => {
      s.state.value = 0.25;
    },
    bad: () => {
      s.state.value = 4;
    },
  });
});
