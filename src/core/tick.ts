// The working state of one decide() call: the status being built, the effects so far and
// the first input still missing. Steps mutate it; finish() turns it into a Step. Nothing
// here escapes decide(), so the mutation stays local and decide() stays pure.
import type { Canary, CanaryWebhook } from '../api/canary.js';
import {
  analysisIntervalMs,
  analysisStrategy,
  analysisThreshold,
  effectiveProvider,
  type EffectiveStrategy,
} from '../api/defaults.js';
import type { CanaryPhase, CheckRecord } from '../api/status.js';
import { toIso, type SpecProblem } from './conditions.js';
import type { AlertSeverity, Effect, EventReason, EventType } from './effects.js';
import { alertFields } from './alert-fields.js';
import { assertTransition } from './phases.js';
import type {
  GateHookType,
  InputRequest,
  InputResult,
  MetricsResult,
  ProvidersResult,
  Routes,
  Snapshot,
  WebhookResult,
} from './snapshot.js';
import { draftOf, type StatusDraft } from './status.js';
import { withSessionAffinity } from './strategies/session-affinity.js';
import type { UserRequestAck } from './user-request.js';

/** While waiting for a workload to become ready, poll at most this often (watch events come sooner). */
export const READINESS_POLL_MS = 5_000;

export const METRICS_REQUEST_ID = 'metrics';
export const PROVIDERS_REQUEST_ID = 'providers';

export class Tick {
  readonly s: Snapshot;
  readonly c: Canary;
  readonly before: StatusDraft;
  readonly draft: StatusDraft;
  readonly effects: Effect[] = [];
  readonly checks: CheckRecord[] = [];
  readonly intervalMs: number;
  readonly threshold: number;
  readonly provider: string;
  readonly strategy: EffectiveStrategy;
  /** The first missing input; set means this call ends with `need`. */
  request: InputRequest | undefined;
  /** Overrides the phase-based requeue (readiness waits, not-yet-due ticks). */
  requeueAfterMs: number | null | undefined;
  /** The tick acted on the rollout: status.lastAnalysisTime becomes `now`. */
  stamped = false;
  /** Live weights, once read (step 14). */
  routes: Routes | undefined;
  problem: SpecProblem | undefined;
  /** The answer to the snapshot's user request, once applied or rejected. */
  userAck: UserRequestAck | undefined;
  /** A user's retry of a Failed canary lets this tick run as for a new revision. */
  retrying = false;

  constructor(s: Snapshot) {
    this.s = s;
    this.c = s.canary;
    this.before = draftOf(s.canary.status);
    this.draft = { ...this.before };
    this.intervalMs = analysisIntervalMs(s.canary, s.options.minIntervalMs);
    this.threshold = analysisThreshold(s.canary);
    this.provider = effectiveProvider(s.canary, s.options.meshProvider);
    this.strategy = analysisStrategy(s.canary, s.options.meshProvider);
  }

  get phase(): CanaryPhase {
    return this.draft.phase;
  }

  get nowIso(): string {
    return toIso(this.s.now);
  }

  /** A method, not a getter: TypeScript would keep a getter's narrowing across step calls. */
  isPending(): boolean {
    return this.request !== undefined;
  }

  /** Flagger's SetStatusPhase: counters follow the phase (see StatusDraft). */
  setPhase(phase: CanaryPhase): void {
    assertTransition(this.draft.phase, phase);
    this.draft.phase = phase;
    // Flagger zeroes the weight here too; flagger-ts keeps it in WaitingPromotion because
    // the routes do not change while waiting, so status.canaryWeight keeps telling the truth.
    if (
      phase !== 'Progressing' &&
      phase !== 'Waiting' &&
      phase !== 'Promoting' &&
      phase !== 'WaitingPromotion'
    ) {
      this.draft.canaryWeight = 0;
      this.draft.iterations = 0;
    }
    if (phase === 'WaitingPromotion') this.draft.iterations = this.waitingIterations();
    if (phase === 'Initialized' || phase === 'Succeeded')
      this.draft.lastPromotedSpec = this.draft.lastAppliedSpec;
  }

  /** Flagger pins iterations at N-1 while waiting for promotion; never below 0 (canary strategy has N = 0). */
  waitingIterations(): number {
    return Math.max(0, this.strategy.iterations - 1);
  }

  /** Flagger's SyncStatus: phase and counters from the arguments, hashes from the snapshot. */
  sync(phase: CanaryPhase, weight = 0): void {
    assertTransition(this.draft.phase, phase);
    Object.assign(this.draft, { phase, canaryWeight: weight, failedChecks: 0, iterations: 0 });
    this.refreshHashes();
    if (phase === 'Initialized') this.draft.lastPromotedSpec = this.draft.lastAppliedSpec;
  }

  refreshHashes(): void {
    if (this.s.target !== undefined) this.draft.lastAppliedSpec = this.s.target.specHash;
    this.draft.trackedConfigs = this.s.configs === undefined ? undefined : { ...this.s.configs };
  }

  effect(e: Effect): void {
    this.effects.push(e);
  }

  event(type: EventType, reason: EventReason, message: string, phase: CanaryPhase = this.phase): void {
    this.effect({ kind: 'emitEvent', type, reason, message, phase });
  }

  info(reason: EventReason, message: string): void {
    this.event('Normal', reason, message);
  }

  warn(reason: EventReason, message: string): void {
    this.event('Warning', reason, message);
  }

  /** `withMetadata` adds Flagger's Target/threshold/deadline/routing fields (init and new revision only). */
  alert(severity: AlertSeverity, message: string, withMetadata = false): void {
    const fields = alertFields(this.c, this.s.options.clusterName, withMetadata ? this.strategy : undefined);
    this.effect({ kind: 'alert', severity, message, fields, phase: this.phase });
  }

  setRoutes(weights: Routes): void {
    // Cookies travel with the weights, so status and router change in the same tick.
    const routes = withSessionAffinity(this, weights);
    this.routes = routes;
    this.effect({ kind: 'setRoutes', routes });
    this.effect({
      kind: 'recordMetric',
      record: { metric: 'weight', primary: routes.primary, canary: routes.canary },
    });
  }

  /** Ends the tick as a wait: short requeue, no analysis stamp. */
  wait(ms: number = Math.min(this.intervalMs, READINESS_POLL_MS)): void {
    this.requeueAfterMs = ms;
  }

  /**
   * The answer to `request`, or undefined after recording it as the missing input (only
   * the first missing one is asked for: later ones may depend on it).
   */
  private answer(request: InputRequest): InputResult | undefined {
    const found = this.s.results[request.id];
    if (found === undefined) this.request ??= request;
    else if (found.kind !== request.kind) {
      throw new Error(`result ${request.id} has kind ${found.kind}, expected ${request.kind}`);
    }
    return found;
  }

  webhook(
    hookType: GateHookType,
    hook: CanaryWebhook,
    id: string,
    phase: CanaryPhase,
  ): WebhookResult | undefined {
    const r = this.answer({ id, kind: 'webhook', hookType, hook, phase });
    return r?.kind === 'webhook' ? r : undefined;
  }

  metrics(): MetricsResult | undefined {
    const r = this.answer({
      id: METRICS_REQUEST_ID,
      kind: 'metrics',
      metrics: this.c.spec.analysis.metrics ?? [],
    });
    return r?.kind === 'metrics' ? r : undefined;
  }

  providers(): ProvidersResult | undefined {
    const r = this.answer({ id: PROVIDERS_REQUEST_ID, kind: 'providers' });
    return r?.kind === 'providers' ? r : undefined;
  }
}
