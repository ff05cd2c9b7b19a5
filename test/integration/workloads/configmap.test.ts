// Config tracking with a ConfigMap on the real control plane: the `-primary` copy, the
// primary referencing it, a data change noticed through the watch starting a new analysis,
// and `flagger.app/config-tracking: disabled` opting out.
import { test } from 'node:test';
import { configTrackingScenario } from './config-scenario.js';

test('ConfigMap change: new analysis, primary ends on the -primary copy of the new data', async (t) => {
  await configTrackingScenario(t, 'ConfigMap');
});
