// Config tracking with a Secret (referenced from env and a projected volume) on the real
// control plane: the same guarantees as for ConfigMaps (see config-scenario.ts).
import { test } from 'node:test';
import { configTrackingScenario } from './config-scenario.js';

test('Secret change: new analysis, primary ends on the -primary copy of the new data', async (t) => {
  await configTrackingScenario(t, 'Secret');
});
