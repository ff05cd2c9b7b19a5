// The real-traffic lane as one test file of the normal run: it starts the lane (its own
// cluster, real routers and Prometheus inside private network and PID namespaces, see
// test/harness/lane/) and reports every test of the lane's files (*.lane.ts beside this
// one) as a subtest here, so they count in the run's summary like any other test.
// Set LANE_FILES=traefik,gatewayapi to run only some of them.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runLane } from '../../harness/lane/relay.js';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.env['LANE_FILES']?.split(',').filter((s) => s !== '');
const files = readdirSync(here)
  .filter((f) => f.endsWith('.lane.js'))
  .filter((f) => only === undefined || only.includes(f.replace(/\.lane\.js$/, '')))
  .sort()
  .map((f) => join(here, f));

test(
  'real traffic through real routers (lane in its own network namespace)',
  { timeout: 40 * 60_000 },
  async (t) => {
    await runLane(t, files);
  },
);
