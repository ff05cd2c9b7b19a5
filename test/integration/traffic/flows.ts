// The real-traffic checks every router's lane file runs: a healthy canary promoted step by
// step with the split the backends received measured at each step, and rollbacks decided by
// the builtin metrics computed by real Prometheus from real requests.
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { canaryStatus, waitForPhase } from '../../harness/canary.js';
import { eventually } from '../../harness/cluster.js';
import { send, startLoad, type LoadTally, type Target } from '../../harness/lane/load.js';
import type { LaneScenario } from '../../harness/lane/scenario.js';
import { splitBetween, type Split } from '../../harness/lane/split.js';

export const SUCCESS_RATE = { name: 'request-success-rate', interval: '10s', thresholdRange: { min: 99 } };
export const DURATION = { name: 'request-duration', interval: '10s', thresholdRange: { max: 250 } };

/** One router's scenario: where to send requests and how to see the weight it applied. */
export interface RouterCase {
  readonly s: LaneScenario;
  readonly target: Target;
  readonly applied: (weight: number) => Promise<boolean>;
  /** What the router applies now, for a failure message. */
  readonly explain?: () => Promise<string>;
}

/**
 * `applied` for a router whose admin API gives the canary shares (percent) of the routes it
 * currently applies for the target: one of them is the weight (A/B and sticky-cookie rules
 * add routes of their own).
 */
export const appliedPercent =
  (current: () => Promise<readonly number[] | number | undefined>, all = false) =>
  async (weight: number): Promise<boolean> => {
    const p = await current();
    const shares = p === undefined ? [] : typeof p === 'number' ? [p] : p;
    const isWeight = (share: number): boolean => Math.abs(share - weight) < 0.01;
    // `all`: for a router whose every route to the target carries the split (no rules of its own).
    return all ? shares.length > 0 && shares.every(isWeight) : shares.some(isWeight);
  };

export const STEP_WEIGHT = 10;
export const MAX_WEIGHT = 50;
/** Requests per measured step: for random splitters (Skipper, Envoy) ±5 points is > 4.5 standard deviations. */
export const REQUESTS_PER_STEP = 2000;
export const TOLERANCE_POINTS = 5;

/** Analysis shared by the lane's canaries; `metrics` decide the run, the gate paces it. */
export function laneAnalysis(gateUrl: string, metrics: Record<string, unknown>[]): Record<string, unknown> {
  return {
    interval: '2s',
    // One check may see a window without samples right after a weight change; three in a row
    // do not happen by chance.
    threshold: 3,
    stepWeight: STEP_WEIGHT,
    maxWeight: MAX_WEIGHT,
    metrics,
    webhooks: [{ name: 'step-gate', type: 'confirm-traffic-increase', url: gateUrl }],
  };
}

/**
 * Waits until the router routes the host at all (it picks up the user's and the operator's
 * objects a moment after the canary is Initialized); from then on every request must succeed.
 */
export async function waitRoutable(target: Target): Promise<void> {
  await eventually(`${target.host} routed by the router`, async () =>
    (await send(target)).status === 200 ? true : undefined,
  );
}

/** Waits until the backends received at least `n` more requests; returns what they received. */
export async function measure(s: LaneScenario, n: number, timeoutMs = 60_000): Promise<Split> {
  const before = s.pods.counts();
  return eventually(
    `${n} requests at the backends`,
    () => {
      const split = splitBetween(before, s.pods.counts(), 'podinfo');
      return split.total >= n ? split : undefined;
    },
    timeoutMs,
  );
}

export interface PromotionRecord {
  readonly steps: { weight: number; split: Split }[];
  readonly load: LoadTally;
  /** Other namespaces' requests these pods received through stale endpoints (not counted). */
  readonly misdirected: number;
}

/**
 * Rolls out v2 and, at each weight, holds the canary there (the step gate), waits until the
 * router applied the weight (`applied`, read from the router's own admin API), then measures
 * what the primary and canary pods received. Ends after promotion.
 */
export async function promoteMeasuringSplit(
  s: LaneScenario,
  target: Target,
  applied: (weight: number) => Promise<boolean>,
): Promise<PromotionRecord> {
  await waitForPhase(s.env, 'Initialized', 90_000);
  await waitRoutable(target);
  const load = startLoad(target, { concurrency: 4, maxMs: 240_000 });
  try {
    await s.rollout({ VERSION: 'v2' });
    const steps: PromotionRecord['steps'] = [];
    for (let weight = STEP_WEIGHT; weight <= MAX_WEIGHT; weight += STEP_WEIGHT) {
      s.gate.allow();
      await s.waitForWeight(weight);
      await eventually(`router applied canary weight ${weight}`, async () =>
        (await applied(weight)) ? true : undefined,
      );
      steps.push({ weight, split: await measure(s, REQUESTS_PER_STEP) });
    }
    s.gate.allow(); // the promotion is the last traffic increase
    await waitForPhase(s.env, 'Succeeded', 90_000);
    return { steps, load: await load.stop(), misdirected: s.pods.misdirected };
  } finally {
    await load.stop();
  }
}

const CHURN_FAILURES_ALLOWED = 1 / 200;

export function assertSplits(record: PromotionRecord): void {
  const table = record.steps.map(
    (st) => `${st.weight}%: ${st.split.canary}/${st.split.total} (${st.split.canaryPercent.toFixed(1)}%)`,
  );
  table.push(`misdirected to these pods and not counted: ${record.misdirected}`);
  assert.equal(record.steps.length, MAX_WEIGHT / STEP_WEIGHT, table.join(', '));
  for (const { weight, split } of record.steps) {
    assert.ok(split.total >= REQUESTS_PER_STEP, `step ${weight}: ${split.total} requests`);
    assert.ok(
      Math.abs(split.canaryPercent - weight) <= TOLERANCE_POINTS,
      `step ${weight}: the canary received ${split.canaryPercent.toFixed(1)}% (${table.join(', ')})`,
    );
    assert.equal(split.errors, 0, `step ${weight}: no errors from healthy pods`);
  }
  // KWOK marks a pod Ready without waiting for the pod-server to listen on its IP: while pods
  // churn (promotion) a router may meet a port not yet open. (A deleted lane pod keeps its IP
  // and answers while Terminating, so a stale endpoint no longer reaches another test's pod.)
  // Allow one such request in two hundred; anything more is a routing failure.
  const other = Object.entries(record.load.byStatus).filter(([k]) => k !== '200');
  const failed = other.reduce((n, [, v]) => n + v, 0);
  assert.ok(
    failed <= record.load.sent * CHURN_FAILURES_ALLOWED,
    `at most ${(100 * CHURN_FAILURES_ALLOWED).toFixed(1)} % of requests not answered 200: ` +
      JSON.stringify(record.load.byStatus),
  );
}

/**
 * Rolls out a misbehaving v2 (`podEnv`), opens the gate for good, keeps traffic flowing,
 * and expects a rollback whose failed check is `metric`. Returns the checks recorded.
 */
export async function expectRollback(
  s: LaneScenario,
  target: Target,
  podEnv: Record<string, string>,
  metric: string,
): Promise<{ value: number; message: string }[]> {
  await waitForPhase(s.env, 'Initialized', 90_000);
  await waitRoutable(target);
  const load = startLoad(target, { concurrency: 4, maxMs: 240_000 });
  try {
    s.gate.allow(1_000);
    await s.rollout({ VERSION: 'v2', ...podEnv });
    await waitForPhase(s.env, 'Failed', 120_000);
  } finally {
    await load.stop();
  }
  const status = await canaryStatus(s.env);
  assert.equal(status.canaryWeight, 0, 'all traffic back on the primary');
  const checks = (status.raw['checks'] ?? []) as {
    name: string;
    value?: number;
    passed: boolean;
    message?: string;
  }[];
  const failed = checks.filter((c) => c.name === metric && !c.passed);
  assert.ok(failed.length > 0, `a failed ${metric} check in ${JSON.stringify(checks)}`);
  return failed.map((c) => ({ value: c.value ?? Number.NaN, message: c.message ?? '' }));
}

/** After a rollback, once the router applied weight 0, the backends' traffic goes to the primary only. */
export async function assertAllOnPrimary(c: RouterCase): Promise<void> {
  const { s, target } = c;
  await eventually('router applied canary weight 0', async () => ((await c.applied(0)) ? true : undefined));
  const load = startLoad(target, { concurrency: 4, maxRequests: 300, maxMs: 30_000 });
  const split = await measure(s, 200);
  await load.stop();
  // Requests already in flight on kept-alive connections may still land on the canary: ≤ 1 %.
  assert.ok(
    split.canary <= Math.ceil(split.total / 100),
    `after the rollback the canary received ${split.canary} of ${split.total}` +
      (c.explain ? `; the router applies ${await c.explain()}` : ''),
  );
}

/** The A/B analysis of the lane: `match` rules, held after the iterations until the test has measured. */
export function abAnalysis(gateUrl: string, match: Record<string, unknown>[]): Record<string, unknown> {
  return {
    // (undefined drops the fixture's canary-step fields: A/B has iterations instead)
    stepWeight: undefined,
    maxWeight: undefined,
    interval: '2s',
    threshold: 2,
    iterations: 2,
    match,
    metrics: [],
    webhooks: [{ name: 'hold', type: 'confirm-promotion', url: gateUrl }],
  };
}

export interface AbCase {
  readonly label: string;
  readonly headers: Record<string, string>;
  /** The version every one of these requests must reach: v2 = canary, v1 = primary. */
  readonly version: 'v1' | 'v2';
}

/**
 * Rolls out v2 under A/B analysis (abAnalysis), and while the canary waits for promotion sends
 * 200 requests per case: every answer must come from the expected version. Then promotes.
 */
export async function abMeasured(s: LaneScenario, target: Target, cases: readonly AbCase[]): Promise<void> {
  await waitForPhase(s.env, 'Initialized', 90_000);
  await s.rollout({ VERSION: 'v2' });
  await waitForPhase(s.env, 'WaitingPromotion', 90_000);
  const matching = cases.find((c) => c.version === 'v2');
  // The match rules reached the router once a matching request lands on the canary.
  if (matching) {
    await eventually('A/B route applied', async () =>
      (await send(target, matching.headers)).version === 'v2' ? true : undefined,
    );
  }
  for (const c of cases) {
    const seen: Record<string, number> = {};
    for (let i = 0; i < 200; i++) {
      const a = await send(target, c.headers);
      const key = a.status === 200 ? a.version : `HTTP ${a.status}`;
      seen[key] = (seen[key] ?? 0) + 1;
    }
    // Never on the other version; a few 5xx are tolerated (KWOK marks a replaced pod Ready
    // before the runner listens on its reused IP; see docs/providers/real-traffic.md).
    const wrong = Object.keys(seen).filter((k) => k !== c.version && !k.startsWith('HTTP '));
    assert.deepEqual(wrong, [], `${c.label}: requests on another version: ${JSON.stringify(seen)}`);
    assert.ok(
      (seen[c.version] ?? 0) >= 196,
      `${c.label}: ${JSON.stringify(seen)} (≥ 196 of 200 on ${c.version})`,
    );
  }
  s.gate.allow();
  await waitForPhase(s.env, 'Succeeded', 90_000);
}

export async function checkPromotion(t: TestContext, c: RouterCase): Promise<void> {
  const record = await promoteMeasuringSplit(c.s, c.target, c.applied);
  t.diagnostic(record.steps.map((st) => `${st.weight}%→${st.split.canaryPercent.toFixed(1)}%`).join(' '));
  t.diagnostic(`answers during the rollout: ${JSON.stringify(record.load.byStatus)}`);
  assertSplits(record);
}

/** 20 % errors: the success rate the router's metrics give is about 80, and the canary is rolled back. */
export async function checkErrorRollback(c: RouterCase): Promise<void> {
  const failed = await expectRollback(c.s, c.target, { ERROR_RATE: '0.2' }, 'request-success-rate');
  assert.ok(
    failed.some((f) => f.value > 60 && f.value < 95),
    JSON.stringify(failed),
  );
  await assertAllOnPrimary(c);
}

/** 400 ms answers against a 250 ms limit: the p99 the histograms give is at least 300. */
export async function checkSlowRollback(c: RouterCase): Promise<void> {
  const failed = await expectRollback(c.s, c.target, { LATENCY_MS: '400' }, 'request-duration');
  assert.ok(
    failed.some((f) => f.value >= 300),
    JSON.stringify(failed),
  );
}

/** Builds one router's scenario: a namespace-scoped case whose Canary uses `analysis`. */
export type CaseFactory = (
  t: TestContext,
  prefix: string,
  analysis: (gateUrl: string) => Record<string, unknown>,
) => Promise<RouterCase>;

/** The three checks every router's lane file runs: measured promotion, error and latency rollbacks. */
export function standardTests(provider: string, metricsFrom: string, makeCase: CaseFactory): void {
  test(`${provider}: a healthy canary promotes; at each step the backends receive the weight ±5 points`, async (t) => {
    await checkPromotion(t, await makeCase(t, 'promote', (url) => laneAnalysis(url, [SUCCESS_RATE])));
  });
  test(`${provider}: 20 % errors roll back on request-success-rate from ${metricsFrom}`, async (t) => {
    await checkErrorRollback(await makeCase(t, 'errors', (url) => laneAnalysis(url, [SUCCESS_RATE])));
  });
  test(`${provider}: a canary answering in 400 ms fails request-duration from ${metricsFrom}`, async (t) => {
    // A duration histogram reaches Prometheus only after the router's stats flush and a scrape,
    // and the slow canary answers few requests at weight 10: the first checks may find no data
    // (seen with Envoy), which must not decide the run. Every check with data fails, so 8 still
    // rolls back in seconds.
    await checkSlowRollback(
      await makeCase(t, 'slow', (url) => ({ ...laneAnalysis(url, [DURATION]), threshold: 8 })),
    );
  });
}
