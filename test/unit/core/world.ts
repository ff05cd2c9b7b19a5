// A tiny in-memory world that plays the shell's part, purely: it builds snapshots,
// answers requests from scripts, applies effects to its own state and writes the status.
// It lets a whole rollout run tick by tick (Flagger's scheduler tests) without Kubernetes,
// and is the model for the CLI's `simulate` command.
import type { Canary } from '../../../src/api/canary.js';
import { analysisIntervalMs, effectiveProvider } from '../../../src/api/defaults.js';
import type { CanaryPhase } from '../../../src/api/status.js';
import { decide, type Decision } from '../../../src/core/decide.js';
import type { AlertSeverity, Effect, EventType } from '../../../src/core/effects.js';
import { maxInputRounds } from '../../../src/core/hooks.js';
import { READINESS_POLL_MS } from '../../../src/core/tick.js';
import type {
  InputRequest,
  InputResult,
  MetricOutcome,
  Readiness,
  Routes,
  Snapshot,
  WebhookResult,
  WorkloadObservation,
} from '../../../src/core/snapshot.js';

type WebhookRequest = Extract<InputRequest, { kind: 'webhook' }>;
export type HookScript = boolean | ((req: WebhookRequest, world: World) => boolean | WebhookResult);
export type MetricsScript = (
  req: Extract<InputRequest, { kind: 'metrics' }>,
  world: World,
) => MetricOutcome[];

export interface WorldEvent {
  readonly type: EventType;
  readonly reason: string;
  readonly message: string;
  readonly phase: CanaryPhase;
}

interface Workload {
  specHash: string;
  readiness: Readiness;
  replicas: number;
}

export interface WorldOptions {
  readonly provider?: string;
  readonly canMirror?: boolean;
  readonly minIntervalMs?: number;
  readonly now?: number;
  readonly targetHash?: string;
  readonly configs?: Record<string, string>;
}

const READY: Readiness = { ready: true };

export class World {
  canary: Canary;
  now: number;
  target: Workload | undefined;
  primary: Workload | undefined;
  /** undefined until reconcileRouter creates the router. */
  routes: Routes | undefined;
  configs: Record<string, string> | undefined;
  readonly options: Required<Pick<WorldOptions, 'provider' | 'canMirror' | 'minIntervalMs'>>;
  /** Scripted webhook answers by hook name; unknown hooks answer 2xx. */
  readonly hooks = new Map<string, HookScript>();
  metrics: MetricsScript = (req) =>
    req.metrics.map((m) => ({ name: m.name, value: 99, passed: true, message: '' }));
  providersOk = true;
  /** Readiness of a primary right after it is created or promoted. */
  primaryReadiness: Readiness = READY;

  readonly events: WorldEvent[] = [];
  readonly alerts: {
    severity: AlertSeverity;
    message: string;
    fields: readonly { name: string; value: string }[];
  }[] = [];
  readonly requests: InputRequest[] = [];
  readonly effects: Effect[] = [];
  readonly transitions: [CanaryPhase, CanaryPhase][] = [];
  /** (phase, canaryWeight) after every reconcile. */
  readonly history: { phase: CanaryPhase; weight: number }[] = [];
  last: Decision | undefined;

  constructor(canary: Canary, o: WorldOptions = {}) {
    this.canary = canary;
    this.now = o.now ?? Date.parse('2025-01-01T00:00:00Z');
    this.target = { specHash: o.targetHash ?? 'rev-1', readiness: READY, replicas: 1 };
    this.configs = o.configs;
    this.options = {
      provider: o.provider ?? 'istio',
      canMirror: o.canMirror ?? true,
      minIntervalMs: o.minIntervalMs ?? 10_000,
    };
  }

  /** The canary's provider: spec.provider, else the world's mesh provider. */
  get provider(): string {
    return effectiveProvider(this.canary, this.options.provider);
  }

  get phase(): CanaryPhase {
    return this.canary.status?.phase ?? '';
  }

  get intervalMs(): number {
    return analysisIntervalMs(this.canary, this.options.minIntervalMs);
  }

  snapshot(results: Record<string, InputResult> = {}): Snapshot {
    return {
      now: this.now,
      canary: this.canary,
      options: { minIntervalMs: this.options.minIntervalMs, meshProvider: this.options.provider },
      capabilities: {
        mirror: this.options.canMirror,
        // The test world's stand-in for the router registry's declarations.
        weightedRouting: this.provider !== 'kubernetes',
        sessionAffinity: this.provider !== 'kubernetes',
        reconcileFirst: this.provider.startsWith('appmesh'),
      },
      target: observe(this.target),
      primary: observe(this.primary),
      configs: this.configs,
      routes: this.routes,
      results,
    };
  }

  /** One reconcile: decide until a decision, answer requests, apply effects, write status. */
  reconcile(): Decision {
    const results: Record<string, InputResult> = {};
    const bound = maxInputRounds(this.canary);
    for (let round = 0; round <= bound; round++) {
      const step = decide(this.snapshot(results));
      if (step.kind === 'decision') {
        this.apply(step.decision);
        return step.decision;
      }
      for (const req of step.requests) {
        this.requests.push(req);
        results[req.id] = this.answer(req);
      }
    }
    throw new Error(`no decision after ${bound} rounds`);
  }

  /** Advance the clock (by one analysis interval by default) and reconcile. */
  tick(ms: number = this.intervalMs): Decision {
    this.now += ms;
    return this.reconcile();
  }

  /** Ticks until `done` holds (checked after each tick); fails after `max` ticks. */
  runUntil(done: (w: World) => boolean, max = 50): void {
    for (let i = 0; i < max; i++) {
      this.tick();
      if (done(this)) return;
    }
    throw new Error(`still ${this.phase} after ${max} ticks`);
  }

  /** A new revision of the target (what a `kubectl set image` does). */
  deploy(specHash: string): void {
    if (this.target) this.target.specHash = specHash;
  }

  setCanary(update: (c: Canary) => Canary): void {
    this.canary = update(this.canary);
  }

  eventMessages(): string[] {
    return this.events.map((e) => e.message);
  }

  private answer(req: InputRequest): InputResult {
    switch (req.kind) {
      case 'providers':
        return {
          kind: 'providers',
          ok: this.providersOk,
          message: this.providersOk ? '' : 'prometheus unreachable',
        };
      case 'metrics':
        return { kind: 'metrics', outcomes: this.metrics(req, this) };
      case 'webhook': {
        const script = this.hooks.get(req.hook.name) ?? true;
        const r = typeof script === 'boolean' ? script : script(req, this);
        return typeof r === 'boolean'
          ? { kind: 'webhook', ok: r, message: r ? '' : `${req.hook.name} refused` }
          : r;
      }
    }
  }

  private apply(d: Decision): void {
    this.last = d;
    for (const e of d.effects) this.applyEffect(e);
    const from = this.phase;
    this.canary = { ...this.canary, status: d.status };
    if (from !== this.phase) this.transitions.push([from, this.phase]);
    this.history.push({ phase: this.phase, weight: d.status.canaryWeight ?? 0 });
  }

  private applyEffect(e: Effect): void {
    this.effects.push(e);
    switch (e.kind) {
      case 'ensurePrimary':
        if (this.target)
          this.primary = { specHash: this.target.specHash, readiness: this.primaryReadiness, replicas: 1 };
        break;
      case 'reconcileRouter':
        if (this.options.provider !== 'kubernetes')
          this.routes ??= { primary: 100, canary: 0, mirrored: false };
        break;
      case 'setRoutes':
        if (this.routes) this.routes = e.routes;
        break;
      case 'scaleTargetToZero':
      case 'scaleTargetFromZero':
        if (this.target) this.target.replicas = e.kind === 'scaleTargetToZero' ? 0 : 1;
        break;
      case 'promote':
        if (this.primary && this.target)
          Object.assign(this.primary, { specHash: this.target.specHash, readiness: this.primaryReadiness });
        break;
      case 'emitEvent':
        this.events.push({ type: e.type, reason: e.reason, message: e.message, phase: e.phase });
        break;
      case 'alert':
        this.alerts.push({ severity: e.severity, message: e.message, fields: e.fields });
        break;
      case 'ensureServices':
      case 'reconcilePrimaryScaler':
      case 'callHooks':
      case 'recordMetric':
        break;
    }
  }
}

function observe(w: Workload | undefined): WorkloadObservation | undefined {
  if (w === undefined) return undefined;
  return { kind: 'Deployment', specHash: w.specHash, readiness: w.readiness, replicas: w.replicas };
}

/** A world whose canary has been initialized at rev-1 (the common starting point). */
export function initializedWorld(canary: Canary, o: WorldOptions = {}): World {
  const w = new World(canary, o);
  w.reconcile(); // creates the primary
  if (w.phase === 'Initializing') w.tick(READINESS_POLL_MS);
  if (w.phase !== 'Initialized') throw new Error(`initialization ended in ${w.phase}`);
  return w;
}
