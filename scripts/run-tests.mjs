// Runs compiled test files with node's built-in test runner.
// Usage: node scripts/run-tests.mjs <suite...>   (suites: unit, integration; default: all)
// Fails when no test file is found, so a broken glob can never pass silently.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = 'dist/test';
const suites = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const passThrough = process.argv.slice(2).filter((a) => a.startsWith('--'));
const wanted = suites.length > 0 ? suites : ['unit', 'integration'];

function collect(dir) {
  let out = [];
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries.sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out = out.concat(collect(p));
    else if (name.endsWith('.test.js')) out.push(p);
  }
  return out;
}

const files = wanted.flatMap((s) => collect(join(root, s)));
// The real-traffic lane is the longest file (its own cluster and routers, ~6 min): start it
// first so the other files run beside it instead of after it.
const lane = files.findIndex((f) => f.endsWith(join('traffic', 'lane.test.js')));
if (lane > 0) files.unshift(...files.splice(lane, 1));
if (files.length === 0) {
  console.error(
    `run-tests: no compiled test files under ${root}/{${wanted.join(',')}}; run 'npm run build' first`,
  );
  console.log('0 passed, 1 failed');
  process.exit(1);
}
// Integration files are mostly waiting on the API server, Prometheus and timers, each in its
// own namespace: running several at once keeps CI time flat as routers and providers are added.
const concurrency = process.env.TEST_CONCURRENCY ?? (wanted.includes('integration') ? '4' : '2');
const args = [
  '--test',
  `--test-concurrency=${concurrency}`,
  '--test-reporter=spec',
  ...passThrough,
  ...files,
];
const res = spawnSync(process.execPath, args, { stdio: 'inherit', env: process.env });
process.exit(res.status ?? 1);
