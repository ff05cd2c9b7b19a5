// K canaries per operator at one analysis interval: create → Initialized per canary; then the
// images are set one canary at a time, spread uniformly over one interval (an operator that
// ticks notices a change after a random part of its period), the same canary in both namespaces
// at the same moment: set image → Progressing; with `rollout`, also → Succeeded, the API
// requests of each advancing step (the window between two weight changes of one canary, its
// requests told apart by object name) and, afterwards, per idle interval.
import { median, summarize, type Summary } from '../stats.js';
import { now, sleep } from '../kube.js';
import type { Side } from './operators.js';
import {
  SIDES,
  canary,
  canaryNames,
  createTargets,
  pool,
  requestsBetween,
  setImage,
  withPair,
  type Env,
  type SideRun,
} from './pair.js';
import { waitAll } from './timeline.js';

export interface LatencySide {
  readonly initialized: Summary;
  readonly progressing: Summary;
  readonly succeeded?: Summary | undefined;
  /** median API requests in one advancing step of one canary (20→40, 40→60) */
  readonly perStep?: number | undefined;
  /** all requests per canary per interval, while every canary sits Succeeded */
  readonly perIdleInterval?: number | undefined;
  readonly failed: number;
}

export interface LatencyResult {
  readonly interval: string;
  readonly k: number;
  readonly sides: Readonly<Record<Side, LatencySide>>;
}

const IDLE_INTERVALS = 3;

export async function runLatency(
  env: Env,
  interval: '1m' | '10s',
  k: number,
  rollout: boolean,
): Promise<LatencyResult> {
  const intervalMs = interval === '1m' ? 60_000 : 10_000;
  const names = canaryNames(k);
  return withPair(env, `lat${interval}`, async (pair) => {
    await createTargets(env, pair, names);
    const created: Record<string, number> = {};
    await pool(names, 4, async (name) => {
      created[name] = now();
      await Promise.all(SIDES.map((s) => env.kube.create(canary(pair[s].ns, name, interval))));
    });
    const t0 = Math.min(...Object.values(created));
    const limit = 6 * intervalMs + 120_000;
    await Promise.all(SIDES.map((s) => waitAll(pair[s].tl, names, 'Initialized', t0, limit)));
    await sleep(2000);
    env.log(`  all Initialized; setting images over one interval (${interval}) …`);
    const setAt: Record<string, number> = {};
    const tSet0 = now();
    await Promise.all(
      names.map(async (name, i) => {
        await sleep((i * intervalMs) / k);
        setAt[name] = now();
        await Promise.all(SIDES.map((s) => setImage(env.kube, pair[s].ns, name, '6.0.1')));
      }),
    );
    await Promise.all(SIDES.map((s) => waitAll(pair[s].tl, names, 'Progressing', tSet0, limit)));
    let idle: Partial<Record<Side, number>> = {};
    if (rollout) {
      await Promise.all(SIDES.map((s) => waitAll(pair[s].tl, names, 'Succeeded', tSet0, limit)));
      await sleep(3000);
      const from = now();
      env.log(`  all Succeeded; counting requests over ${IDLE_INTERVALS} idle intervals …`);
      await sleep(IDLE_INTERVALS * intervalMs);
      const to = now();
      idle = Object.fromEntries(
        SIDES.map((s) => [s, requestsBetween(pair[s], from, to) / k / IDLE_INTERVALS]),
      );
    }
    const sides = {} as Record<Side, LatencySide>;
    for (const s of SIDES) {
      const r = pair[s];
      const per = (phase: string, since: Record<string, number>): Summary =>
        summarize(
          names
            .map((n) => (r.tl.first(n, phase, since[n] ?? t0) ?? NaN) - (since[n] ?? t0))
            .filter(Number.isFinite),
        );
      sides[s] = {
        initialized: per('Initialized', created),
        progressing: per('Progressing', setAt),
        succeeded: rollout ? per('Succeeded', setAt) : undefined,
        perStep: rollout ? stepRequests(r, names, tSet0) : undefined,
        perIdleInterval: idle[s],
        failed: r.tl.failed(names, tSet0).length,
      };
    }
    return { interval, k, sides };
  });
}

/** Median requests of one canary between consecutive weight changes of its ramp. */
function stepRequests(r: SideRun, names: readonly string[], since: number): number {
  const counts: number[] = [];
  for (const n of names) {
    const steps = r.tl.steps(n, since);
    for (let i = 0; i + 1 < steps.length; i++) {
      const a = steps[i];
      const b = steps[i + 1];
      if (a && b && b.weight > a.weight) counts.push(requestsBetween(r, a.at, b.at, n));
    }
  }
  return median([...counts].sort((x, y) => x - y));
}
