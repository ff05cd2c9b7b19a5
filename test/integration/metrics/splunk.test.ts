// Splunk (SignalFlow over a websocket) provider: a real canary promotes while the fake
// SignalFlow stream (test/unit/metrics/vendors/splunk.ts: authenticate/execute messages,
// binary data messages, END_OF_CHANNEL) reports a good value, and rolls back on a bad one.
import { test } from 'node:test';
import { startSplunk } from '../../unit/metrics/vendors/splunk.js';
import { promoteThenRollBack } from './provider-canary.js';

test('splunk: a canary promotes on a good value and rolls back on a bad one', async (t) => {
  const s = await startSplunk('sf-token');
  t.after(() => s.close());
  await promoteThenRollBack(t, {
    prefix: 'splunk',
    provider: { type: 'splunk', address: s.url, insecureSkipVerify: true },
    secret: { sf_token_key: 'sf-token' },
    query: "data('spans.count', filter=filter('sf_error', 'true')).sum().publish()",
    thresholdRange: { max: 1 },
    good: () => {
      s.state.value = 0.25;
    },
    bad: () => {
      s.state.value = 4;
    },
  });
});
