// What the shell observed, handed to decide() as one immutable value. Everything the
// decision depends on is in here, including time: the core never reads a clock.
import type { Canary, CanaryMetric, CanaryWebhook } from '../api/canary.js';
import type { CanaryPhase } from '../api/status.js';
import type { UserRequest } from './user-request.js';
import type { JudgeObservation } from './judge.js';

/** Readiness as the workload adapter judged it (Flagger's `(retriable, err)` pair, made explicit). */
export type Readiness =
  | { readonly ready: true }
  | {
      readonly ready: false;
      /** false once the progress deadline is exceeded: waiting longer will not help. */
      readonly retriable: boolean;
      /** e.g. "waiting for rollout to finish: 0 out of 1 new replicas have been updated". */
      readonly message: string;
    };

export interface WorkloadObservation {
  /** 'Deployment' | 'DaemonSet' | 'Service' (the target's or the primary's kind). */
  readonly kind: string;
  /** Hash of the pod template (or Service spec): status.lastAppliedSpec compares against it. */
  readonly specHash: string;
  readonly readiness: Readiness;
  /** spec.replicas when the kind has replicas; informational. */
  readonly replicas?: number;
}

/** Live router weights as GetRoutes reports them. */
export interface Routes {
  readonly primary: number;
  readonly canary: number;
  readonly mirrored: boolean;
  /** Session-affinity cookies routed with the weights (analysis.sessionAffinity); absent without it. */
  readonly cookies?: SessionCookies;
  /**
   * flagger-ts: the share routed to `<svc>-baseline` (analysis.baseline, docs/judge.md), taken
   * from the primary's. Only between the shell and the routers: the core sees it folded into
   * `primary`, so its weight arithmetic stays Flagger's.
   */
  readonly baseline?: number;
}

/** `name=value` cookies, as in status (see core/strategies/session-affinity.ts). */
export interface SessionCookies {
  /** Sticks a client to the canary (status.sessionAffinityCookie). */
  readonly canary?: string;
  /** Sticks a client to the primary (status.primarySessionAffinityCookie). */
  readonly primary?: string;
  /** The last run's canary cookie, which clients are told to delete (status.previousSessionAffinityCookie). */
  readonly previous?: string;
}

/** Operator-wide settings the decision needs (from flags / config). */
export interface CoreOptions {
  /** Floor of analysis.interval (Flagger: 10s); lower in tests. */
  readonly minIntervalMs: number;
  /** -mesh-provider: used when spec.provider is empty. */
  readonly meshProvider: string;
  /** -cluster-name: added to every alert as the "Cluster" field when set. */
  readonly clusterName?: string;
}

/** What the router for this canary can do, as the shell's router registry declares it. */
export interface RouterCapabilities {
  /** Can route mirrored traffic for this canary's strategy (Istio: yes; Gateway API: Blue/Green only). */
  readonly mirror: boolean;
  /**
   * False for a provider that shifts no traffic (`kubernetes`): like Flagger's NopRouter the
   * core derives the weights from the status, and Blue/Green switches the apex Service.
   */
  readonly weightedRouting: boolean;
  /** Renders cookie stickiness (analysis.sessionAffinity); without it the block is ignored, as in Flagger. */
  readonly sessionAffinity: boolean;
  /** The router objects are reconciled before the primary is created (App Mesh). */
  readonly reconcileFirst: boolean;
  /** Can route a share to a third backend, the `<svc>-baseline` cohort (analysis.baseline). Default false. */
  readonly threeWaySplit?: boolean;
}

export interface Snapshot {
  /** Epoch milliseconds of this reconcile. */
  readonly now: number;
  /** Parsed and validated by the shell; includes metadata and the current status. */
  readonly canary: Canary;
  readonly options: CoreOptions;
  readonly capabilities: RouterCapabilities;
  /** undefined = the target workload does not exist. */
  readonly target: WorkloadObservation | undefined;
  /** undefined = `<target>-primary` has not been created (yet). */
  readonly primary: WorkloadObservation | undefined;
  /**
   * Current checksums of the ConfigMaps/Secrets the target references
   * (`configmap/<name>` → checksum); undefined when config tracking is off or not
   * applicable (Service targets).
   */
  readonly configs: Readonly<Record<string, string>> | undefined;
  /**
   * Live weights; undefined before the router objects exist. Ignored without
   * `capabilities.weightedRouting`: the core derives them from status like Flagger's NopRouter.
   */
  readonly routes: Routes | undefined;
  /** Answers to the requests of earlier decide() calls in this reconcile, by request id. */
  readonly results: Readonly<Record<string, InputResult>>;
  /** A pending `flagger-ts promote|abort|retry` request, not yet acknowledged (user-request.ts). */
  readonly userRequest?: UserRequest;
  /**
   * Someone else changed an object generated for this canary (a Service, a router object, the
   * primary autoscaler): between analysis ticks the generated objects are put right at once.
   */
  readonly repair?: boolean;
}

/** Webhook types the core asks the shell to call and waits for. */
export type GateHookType =
  | 'confirm-rollout'
  | 'pre-rollout'
  | 'rollout'
  | 'confirm-traffic-increase'
  | 'confirm-promotion'
  | 'rollback';

/**
 * Something only the shell can do, whose answer the decision depends on. Ids are
 * deterministic, so the shell stores the answer under `results[id]` and calls decide again.
 */
export type InputRequest =
  | {
      readonly id: string;
      readonly kind: 'webhook';
      readonly hookType: GateHookType;
      readonly hook: CanaryWebhook;
      /** The `phase` to put in the payload, as Flagger sends it. */
      readonly phase: CanaryPhase;
    }
  | {
      readonly id: string;
      readonly kind: 'metrics';
      /** analysis.metrics, to run in order; stopping at the first failure is allowed. */
      readonly metrics: readonly CanaryMetric[];
    }
  | { readonly id: string; readonly kind: 'providers' };

/** The shell's answer to a webhook request. */
export interface WebhookResult {
  readonly kind: 'webhook';
  /** HTTP status <= 202 (Flagger's success rule). */
  readonly ok: boolean;
  /** The error (response body, timeout, "giving up after N attempt(s)") when not ok. */
  readonly message: string;
}

export interface MetricOutcome {
  readonly name: string;
  readonly query?: string;
  readonly value?: number;
  readonly min?: number;
  readonly max?: number;
  readonly passed: boolean;
  /** The event text for a failure (the shell knows units and provider names); may be '' on success. */
  readonly message: string;
  /** Absent for a threshold failure; set when the query itself failed. */
  readonly failureKind?: 'no-data' | 'error';
  /** flagger-ts: set for a metric with a `judge` block (core/judge.ts). */
  readonly judge?: JudgeObservation;
}

export interface MetricsResult {
  readonly kind: 'metrics';
  readonly outcomes: readonly MetricOutcome[];
}

/** Metric provider availability at initialization (Prometheus `vector(1)`, IsOnline). */
export interface ProvidersResult {
  readonly kind: 'providers';
  readonly ok: boolean;
  readonly message: string;
}

export type InputResult = WebhookResult | MetricsResult | ProvidersResult;
