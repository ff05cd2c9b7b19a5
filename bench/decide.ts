// Part C: throughput of the pure decision core, in process (no I/O).
//
// The snapshot is the one an advancing step of the benchmark's rollout hands to
// decide(): an Istio canary, Progressing at weight 20, its analysis due, two builtin
// metric checks, target and primary ready, the status carrying conditions and a
// check history as the real status does. One reconcile calls decide() twice: the
// first call asks for the metric results, the second (with the answers) returns the
// decision. Both shapes are checked before timing, so the loop times the advance path
// and not an early exit.
import { validateCanary, type CheckRecord } from '../src/api/index.js';
import type { Canary } from '../src/api/canary.js';
import { decide } from '../src/core/decide.js';
import type { InputRequest, InputResult, Snapshot } from '../src/core/snapshot.js';
import { routerProviders } from '../src/routers/registry.js';
import { now } from './kube.js';
import { benchCanary } from './objects.js';
import { median } from './stats.js';

const NOW = Date.parse('2025-06-01T12:00:00Z');
const INTERVAL_MS = 60_000;
const WARMUP_MS = 300;
const BATCH = 500;
/**
 * Each figure is the median of several short rounds: the machine is shared, and a
 * round that another process interrupted should not decide the result.
 */
const ROUNDS = 5;

export interface DecideResult {
  /** decide() calls/s and µs per call, per call shape. */
  readonly shapes: { readonly label: string; readonly callsPerSec: number; readonly usPerCall: number }[];
  /** Full reconciles (both calls) per second. */
  readonly reconcilesPerSec: number;
  readonly durationMs: number;
  readonly effects: string[];
}

function typicalCanary(): Canary {
  const iso = (ms: number): string => new Date(ms).toISOString();
  const checks: CheckRecord[] = [];
  for (let i = 0; i < 10; i++) {
    checks.push({
      name: i % 2 === 0 ? 'request-success-rate' : 'request-duration',
      kind: 'metric',
      value: i % 2 === 0 ? 100 : 41,
      ...(i % 2 === 0 ? { min: 99 } : { max: 500 }),
      passed: true,
      message: '',
      time: iso(NOW - (5 - Math.floor(i / 2)) * INTERVAL_MS),
    });
  }
  const raw = benchCanary('bench', 'podinfo', {
    interval: '1m',
    stepWeight: 10,
    maxWeight: 50,
    threshold: 5,
  });
  const status = {
    phase: 'Progressing',
    canaryWeight: 20,
    failedChecks: 0,
    iterations: 0,
    lastAppliedSpec: 'rev-2',
    lastPromotedSpec: 'rev-1',
    lastTransitionTime: iso(NOW - 2 * INTERVAL_MS),
    lastAnalysisTime: iso(NOW - INTERVAL_MS),
    observedGeneration: 1,
    conditions: [
      {
        type: 'Promoted',
        status: 'Unknown',
        lastUpdateTime: iso(NOW - INTERVAL_MS),
        lastTransitionTime: iso(NOW - 3 * INTERVAL_MS),
        reason: 'Progressing',
        message: 'Advance podinfo.bench canary weight 20',
      },
    ],
    checks,
  };
  const parsed = validateCanary(
    { ...raw, metadata: { ...raw.metadata, generation: 1, uid: 'bench-uid' }, status },
    { noCrossNamespaceRefs: false, knownProviders: routerProviders() },
  );
  if (!parsed.ok) throw new Error(`benchmark canary is invalid: ${JSON.stringify(parsed.errors)}`);
  return parsed.canary;
}

export function typicalSnapshot(): Snapshot {
  return {
    now: NOW,
    canary: typicalCanary(),
    options: { minIntervalMs: 10_000, meshProvider: 'istio' },
    capabilities: { mirror: true, weightedRouting: true, sessionAffinity: true, reconcileFirst: false },
    target: { kind: 'Deployment', specHash: 'rev-2', readiness: { ready: true }, replicas: 2 },
    primary: { kind: 'Deployment', specHash: 'rev-1', readiness: { ready: true }, replicas: 2 },
    configs: undefined,
    routes: { primary: 80, canary: 20, mirrored: false },
    results: {},
  };
}

/** Healthy answers to whatever the first call asked for. */
function answer(requests: readonly InputRequest[]): Record<string, InputResult> {
  const out: Record<string, InputResult> = {};
  for (const r of requests) {
    if (r.kind === 'metrics') {
      const outcomes = r.metrics.map((m) => ({ name: m.name, value: 1, passed: true, message: '' }));
      out[r.id] = { kind: 'metrics', outcomes };
    } else if (r.kind === 'webhook') out[r.id] = { kind: 'webhook', ok: true, message: '' };
    else out[r.id] = { kind: 'providers', ok: true, message: '' };
  }
  return out;
}

/** The two snapshots of one reconcile, checked to take the advance path. */
export function reconcileSnapshots(): { first: Snapshot; second: Snapshot; effects: string[] } {
  const first = typicalSnapshot();
  const asked = decide(first);
  if (asked.kind !== 'need') throw new Error('expected the first decide() to ask for metric results');
  const second = { ...first, results: answer(asked.requests) };
  const done = decide(second);
  if (done.kind !== 'decision') throw new Error('expected the second decide() to return a decision');
  const d = done.decision;
  const advanced = d.effects.some((e) => e.kind === 'setRoutes' && e.routes.canary === 30);
  if (!advanced || d.status.canaryWeight !== 30)
    throw new Error(`expected an advance to weight 30, got ${JSON.stringify(d.status.canaryWeight)}`);
  return { first, second, effects: d.effects.map((e) => e.kind) };
}

/** Calls `fn` in batches until `ms` have passed; returns calls per second. Bounded by time. */
function rate(fn: () => void, ms: number): number {
  const start = now();
  let calls = 0;
  let elapsed = 0;
  while (elapsed < ms) {
    for (let i = 0; i < BATCH; i++) fn();
    calls += BATCH;
    elapsed = now() - start;
  }
  return (calls * 1000) / elapsed;
}

function medianRate(fn: () => void, ms: number): number {
  const rates: number[] = [];
  for (let i = 0; i < ROUNDS; i++) rates.push(rate(fn, ms / ROUNDS));
  return median(rates.sort((a, b) => a - b));
}

export function runDecide(msPerShape = 2000): DecideResult {
  const started = now();
  const { first, second, effects } = reconcileSnapshots();
  // A sink keeps the JIT from discarding calls whose result is unused.
  let sink = 0;
  const call = (s: Snapshot): void => {
    sink += decide(s).kind.length;
  };
  const both = (): void => {
    call(first);
    call(second);
  };
  rate(both, WARMUP_MS);
  const shapes = [
    {
      label: 'decide() — analysis due, asks for metrics',
      fn: () => {
        call(first);
      },
    },
    {
      label: 'decide() — with metric results, advances',
      fn: () => {
        call(second);
      },
    },
  ].map(({ label, fn }) => {
    const callsPerSec = medianRate(fn, msPerShape);
    return { label, callsPerSec, usPerCall: 1e6 / callsPerSec };
  });
  const reconcilesPerSec = medianRate(both, msPerShape);
  if (sink === 0) throw new Error('unreachable: no decide() call returned');
  return { shapes, reconcilesPerSec, durationMs: now() - started, effects };
}
