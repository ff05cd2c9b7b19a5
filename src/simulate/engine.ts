// Runs the real decision core (decide()) against a scripted world on a virtual clock:
// the shell's part is played here purely (inputs answered from the scenario, effects
// applied to an in-memory target/primary/router), so every phase, weight and verdict in
// the timeline is what the operator would decide.
import type { Canary } from '../api/canary.js';
import { effectiveProvider } from '../api/defaults.js';
import type { CanaryPhase, CheckRecord } from '../api/status.js';
import {
  decide,
  maxInputRounds,
  type Decision,
  type Effect,
  type InputRequest,
  type InputResult,
  type MetricOutcome,
  type Routes,
  type Snapshot,
  type WorkloadObservation,
  toIso,
} from '../core/index.js';
import { judge } from '../metrics/thresholds.js';
import { simulateJudged } from './judge.js';
import { providerCapabilities } from '../routers/core-capabilities.js';
import { passingValue, ruleOf, type Scenario } from './scenario.js';

export interface SimOptions {
  /** The operator's --min-analysis-interval (Flagger: 10s). */
  readonly minIntervalMs: number;
  /** The operator's --mesh-provider, used when spec.provider is empty. */
  readonly meshProvider: string;
  /** Virtual start time (epoch ms). */
  readonly start?: number;
}

export interface GateAnswer {
  readonly hook: string;
  readonly type: string;
  readonly open: boolean;
}

/** One reconcile of the run. */
export interface Interval {
  /** 1-based, as scenario keys count. */
  readonly n: number;
  /** Milliseconds since the new revision was applied. */
  readonly atMs: number;
  readonly phase: CanaryPhase;
  /** Live canary weight after this reconcile. */
  readonly weight: number;
  readonly iterations: number;
  readonly failedChecks: number;
  readonly checks: readonly CheckRecord[];
  readonly gates: readonly GateAnswer[];
  readonly events: readonly { readonly type: string; readonly reason: string; readonly message: string }[];
}

export interface SimResult {
  readonly intervals: readonly Interval[];
  /** Succeeded / Failed, or the phase it was stuck in when maxIntervals ran out. */
  readonly outcome: CanaryPhase;
  readonly finished: boolean;
  /** Time from the new revision to the final phase (undefined when not finished). */
  readonly durationMs: number | undefined;
  readonly peakWeight: number;
  /** ∫ canary weight dt, in %·ms: how much traffic the new version took, in total. */
  readonly exposure: number;
  /** Interval numbers at which metrics were checked (for worst-case placement). */
  readonly metricIntervals: readonly number[];
}

interface Workload {
  specHash: string;
  replicas: number;
}

const READY = { ready: true } as const;
const observe = (w: Workload | undefined): WorkloadObservation | undefined =>
  w === undefined
    ? undefined
    : { kind: 'Deployment', specHash: w.specHash, readiness: READY, replicas: w.replicas };

class SimWorld {
  canary: Canary;
  now: number;
  readonly target: Workload = { specHash: 'rev-1', replicas: 1 };
  primary: Workload | undefined;
  routes: Routes | undefined;
  readonly provider: string;
  /** Set during a run: which interval the scenario answers for. */
  interval = 0;
  gates: GateAnswer[] = [];
  metricIntervals: number[] = [];

  readonly opts: SimOptions;
  readonly scenario: Scenario;

  constructor(canary: Canary, opts: SimOptions, scenario: Scenario) {
    this.opts = opts;
    this.scenario = scenario;
    // The file's status (if any) is ignored: the simulation starts from a new canary.
    const { status: _ignored, ...rest } = canary;
    this.canary = rest;
    this.now = opts.start ?? Date.parse('2025-01-01T00:00:00Z');
    this.provider = effectiveProvider(canary, opts.meshProvider);
  }

  get phase(): CanaryPhase {
    return this.canary.status?.phase ?? '';
  }

  snapshot(results: Record<string, InputResult>): Snapshot {
    return {
      now: this.now,
      canary: this.canary,
      options: { minIntervalMs: this.opts.minIntervalMs, meshProvider: this.opts.meshProvider },
      capabilities: providerCapabilities(this.provider),
      target: observe(this.target),
      primary: observe(this.primary),
      configs: undefined,
      routes: this.routes,
      results,
    };
  }

  reconcile(): Decision {
    const results: Record<string, InputResult> = {};
    const bound = maxInputRounds(this.canary);
    for (let round = 0; round <= bound; round++) {
      const step = decide(this.snapshot(results));
      if (step.kind === 'decision') {
        for (const e of step.decision.effects) this.apply(e);
        this.canary = { ...this.canary, status: step.decision.status };
        return step.decision;
      }
      for (const req of step.requests) results[req.id] = this.answer(req);
    }
    throw new Error(`the core asked for inputs more than ${bound} times in one reconcile`);
  }

  answer(req: InputRequest): InputResult {
    switch (req.kind) {
      case 'providers':
        return { kind: 'providers', ok: true, message: '' };
      case 'webhook': {
        const open = this.scenario.gate(req.hook, this.interval) === 'open';
        this.gates.push({ hook: req.hook.name, type: req.hookType, open });
        return {
          kind: 'webhook',
          ok: open,
          message: open ? '' : `${req.hook.name} is closed in the scenario`,
        };
      }
      case 'metrics':
        this.metricIntervals.push(this.interval);
        return { kind: 'metrics', outcomes: req.metrics.map((m) => this.metric(m)) };
    }
  }

  metric(m: Parameters<typeof ruleOf>[0]): MetricOutcome {
    const judged = simulateJudged(m, this.scenario.cohorts(m.name, this.interval), this.interval);
    if (judged !== undefined) return judged;
    const value = this.scenario.metric(m.name, this.interval) ?? passingValue(m);
    const ref = { name: this.canary.metadata.name, namespace: this.canary.metadata.namespace ?? 'default' };
    const v = judge(ruleOf(m), m, value, ref);
    return {
      name: m.name,
      value,
      passed: v.passed,
      message: v.message,
      ...(v.min === undefined ? {} : { min: v.min }),
      ...(v.max === undefined ? {} : { max: v.max }),
    };
  }

  apply(e: Effect): void {
    switch (e.kind) {
      case 'ensurePrimary':
        this.primary = { specHash: this.target.specHash, replicas: 1 };
        return;
      case 'reconcileRouter':
        if (this.provider !== 'kubernetes') this.routes ??= { primary: 100, canary: 0, mirrored: false };
        return;
      case 'setRoutes':
        if (this.routes !== undefined) this.routes = e.routes;
        return;
      case 'scaleTargetToZero':
        this.target.replicas = 0;
        return;
      case 'scaleTargetFromZero':
        this.target.replicas = 1;
        return;
      case 'promote':
        if (this.primary) this.primary.specHash = this.target.specHash;
        return;
      default:
        return;
    }
  }

  /** The canary's share of traffic now (provider kubernetes: all or nothing, from status). */
  weight(): number {
    if (this.routes !== undefined) return this.routes.canary;
    return this.canary.status?.canaryWeight ?? 0;
  }
}

const FINAL: readonly CanaryPhase[] = ['Succeeded', 'Failed'];

/** Initializes the canary at rev-1 (as the operator does on first sight), bounded. */
function initialize(w: SimWorld): void {
  for (let i = 0; i < 20; i++) {
    const d = w.reconcile();
    if (w.phase === 'Initialized') return;
    if (w.phase === 'Failed') throw new Error('the canary failed to initialize');
    w.now += d.requeueAfterMs ?? 1_000;
  }
  throw new Error(`the canary did not initialize (still ${w.phase})`);
}

/** Applies a new revision to the target and runs the analysis to its end (or maxIntervals). */
export function simulate(canary: Canary, scenario: Scenario, opts: SimOptions): SimResult {
  const w = new SimWorld(canary, opts, scenario);
  initialize(w);
  const t0 = w.now;
  w.target.specHash = 'rev-2';
  const intervals: Interval[] = [];
  let exposure = 0;
  let peak = 0;
  for (let n = 1; n <= scenario.maxIntervals; n++) {
    w.interval = n;
    w.gates = [];
    const nowIso = toIso(w.now);
    const d = w.reconcile();
    const s = d.status;
    const weight = w.weight();
    peak = Math.max(peak, weight);
    intervals.push({
      n,
      atMs: w.now - t0,
      phase: w.phase,
      weight,
      iterations: s.iterations ?? 0,
      failedChecks: s.failedChecks ?? 0,
      checks: (s.checks ?? []).filter((c) => c.time === nowIso),
      gates: w.gates,
      events: d.effects.flatMap((e) =>
        e.kind === 'emitEvent' ? [{ type: e.type, reason: e.reason, message: e.message }] : [],
      ),
    });
    if (FINAL.includes(w.phase) || d.requeueAfterMs === null) break;
    exposure += weight * d.requeueAfterMs;
    w.now += d.requeueAfterMs;
  }
  const last = intervals[intervals.length - 1];
  const finished = last !== undefined && FINAL.includes(last.phase);
  return {
    intervals,
    outcome: last?.phase ?? w.phase,
    finished,
    durationMs: finished ? last.atMs : undefined,
    peakWeight: peak,
    exposure,
    metricIntervals: w.metricIntervals,
  };
}
