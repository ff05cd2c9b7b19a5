// The statistical judge end to end (issue 13, docs/judge.md): real requests through a real
// Traefik (TraefikService, three-way weighted round robin) to the pod-server's pods, whose
// behaviour is their env; the operator runs the `<target>-baseline` cohort (the primary's
// template, the canary's replicas and weight) and judges canary against baseline on what real
// Prometheus scraped from the pods. Three runs, one namespace each:
//  - a canary 20 % slower than the baseline fails, with the evidence in status.checks;
//  - an equal canary passes every judged check and is promoted;
//  - 0.5 % errors against the baseline's 0.1 % fail on Fisher's exact test, while the 99 %
//    success-rate threshold (Traefik's own metrics) passes the same canary.
// Every run also shows the baseline pods received the canary's share of real traffic, and
// that the baseline Deployment and Service are gone when the analysis ends.
//
// The three runs start together when the file loads (each in its own namespace with its own
// operator) and each test awaits its own: the file takes as long as its slowest run, not the
// sum, so it adds little to the lane's time.
import assert from 'node:assert/strict';
import { after, test, type TestContext } from 'node:test';
import { assertThreeWaySplit, errorsMetric, judgedRun, latencyMetric, type RunResult } from './judge-run.js';

/**
 * The cleanups of runs started at load time (namespace, pod-server, operator ...), run in
 * registration order, as node:test runs a test's after hooks, once the file's tests are done.
 * The lane harness only calls `after` on the context it is given.
 */
const cleanups: (() => unknown)[] = [];
const loadScope = {
  after: (fn: () => unknown): void => {
    cleanups.push(fn);
  },
} as unknown as TestContext;
after(async () => {
  for (const fn of cleanups) await fn();
});

/** Started now; a rejection is kept for the test that awaits it (never unhandled). */
function started(run: () => Promise<RunResult>): Promise<RunResult> {
  const p = run();
  p.catch(() => undefined);
  return p;
}

const slow = started(() =>
  judgedRun(
    loadScope,
    'slow',
    { LATENCY_MS: '100' },
    { LATENCY_MS: '120' },
    (ns) => [latencyMetric(ns)],
    'Failed',
  ),
);
const equal = started(() =>
  judgedRun(
    loadScope,
    'equal',
    { LATENCY_MS: '50' },
    { LATENCY_MS: '50' },
    (ns) => [latencyMetric(ns), errorsMetric(ns, 200)],
    'Succeeded',
  ),
);
const errors = started(() =>
  judgedRun(
    loadScope,
    'errors',
    { ERROR_RATE: '0.001' },
    { ERROR_RATE: '0.005' },
    (ns) => [
      { name: 'request-success-rate', interval: '10s', thresholdRange: { min: 99 } },
      errorsMetric(ns, 4000),
    ],
    'Failed',
    true,
  ),
);

test('judge: a canary 20 % slower than its baseline fails, with the evidence in status', async (t) => {
  const r = await slow;
  const failed = r.checks.filter((k) => k.name === 'latency' && !k.passed);
  assert.ok(failed.length > 0, JSON.stringify(r.checks));
  const j = failed[0]?.judge;
  t.diagnostic(failed[0]?.message ?? '');
  assert.equal(j?.verdict, 'fail');
  assert.equal(j.against, 'baseline');
  const w = j.windows.find((x) => x.verdict === 'fail');
  assert.ok(w !== undefined, JSON.stringify(j));
  assert.match(w.baseline.query ?? '', /podinfo-baseline-\[0-9a-z\]/);
  assert.ok(w.baseline.n >= 20 && w.canary.n >= 20, JSON.stringify(w));
  const mwu = w.tests?.find((x) => x.test === 'mann-whitney');
  assert.ok((mwu?.pvalue ?? 1) < 0.005, JSON.stringify(w.tests));
  // 120 ms against 100 ms plus the same small overhead on both: the shift is close to +20 %.
  const shift = w.effects?.[0]?.value ?? 0;
  assert.ok(shift > 0.12 && shift < 0.3, `relative shift ${shift}`);
  assert.equal(r.status.canaryWeight, 0, 'all traffic back on the primary');
  assert.ok(r.baselineRequests > 0, 'the baseline pods answered requests');
  assert.ok(r.baselineRemoved, 'podinfo-baseline Deployment and Service deleted after the rollback');
});

test('judge: an equal canary passes every judged check and is promoted', async (t) => {
  const r = await equal;
  const judged = r.checks.filter((k) => k.judge !== undefined);
  t.diagnostic(judged.map((k) => k.message ?? '').join(' | '));
  assert.deepEqual(
    judged.filter((k) => !k.passed),
    [],
    'no judged check failed',
  );
  for (const name of ['latency', 'errors']) {
    const passed = judged.filter((k) => k.name === name && k.judge?.verdict === 'pass');
    assert.ok(passed.length > 0, `a passing ${name} verdict in ${JSON.stringify(judged)}`);
  }
  assert.equal(r.status.failedChecks, 0);
  assert.ok(r.baselineRequests > 0, 'the baseline pods answered requests');
  assert.ok(r.baselineRemoved, 'podinfo-baseline Deployment and Service deleted after the promotion');
});

test('judge: 0.5 % errors against the baseline 0.1 % fail on the count test; 99 % success rate passes', async (t) => {
  const r = await errors;
  assert.ok(r.split !== undefined);
  t.diagnostic(`split at weight 25: ${JSON.stringify(r.split)}`);
  assertThreeWaySplit(r.split);
  const rates = r.checks.filter((k) => k.name === 'request-success-rate');
  t.diagnostic(`success rates seen: ${rates.map((k) => k.value?.toFixed(2)).join(', ')}`);
  assert.ok(rates.length > 0 && rates.every((k) => k.passed), JSON.stringify(rates));
  const failed = r.checks.find((k) => k.name === 'errors' && !k.passed);
  assert.ok(failed?.judge !== undefined, JSON.stringify(r.checks));
  t.diagnostic(failed.message ?? '');
  const w = failed.judge.windows.find((x) => x.verdict === 'fail');
  assert.ok(w !== undefined, JSON.stringify(failed.judge));
  assert.equal(w.tests?.[0]?.test, 'fisher-exact');
  assert.ok((w.baseline.total ?? 0) >= 4000 && (w.canary.total ?? 0) >= 4000, JSON.stringify(w));
  // The canary's own error rate stays under the 1 % a 99 % success-rate threshold allows.
  assert.ok((w.canary.rate ?? 1) < 0.01 && (w.baseline.rate ?? 1) < 0.003, JSON.stringify(w));
  assert.ok(r.baselineRemoved, 'podinfo-baseline Deployment and Service deleted after the rollback');
});
