// Everything one reconcile needs, built once per reconcile and passed down, so
// helpers take one argument instead of the same five collaborators.
import type { Canary } from '../api/canary.js';
import type { CanaryPhase } from '../api/status.js';
import type { OperatorConfig } from '../config/operator-config.js';
import type { CanaryEventEmitter } from '../events/emitter.js';
import type { KubeClient } from '../kube/client.js';
import type { ApiServerAccess } from '../kube/transport.js';
import type { KubeObject } from '../kube/types.js';
import type { AlertDispatcher } from '../notifiers/index.js';
import type { ConfigMapContents } from './config-contents.js';
import type { Router } from '../routers/router.js';
import type { TargetAdapter, TargetObservation } from '../targets/target.js';
import type { Logger } from '../telemetry/logger.js';
import type { OperatorMetrics } from '../telemetry/metrics.js';
import type { CacheReader } from './object-store.js';

/** Operator-wide collaborators, created at start-up. */
export interface ControllerDeps {
  readonly client: KubeClient;
  /** The API server access `client` uses (metric providers keptn and externalmetrics). */
  readonly kubeConfig?: ApiServerAccess;
  readonly cache: CacheReader;
  readonly config: OperatorConfig;
  readonly logger: Logger;
  readonly metrics: OperatorMetrics;
  readonly events: CanaryEventEmitter;
  /** ConfigMap contents reused while unchanged (config tracking). */
  readonly configContents?: ConfigMapContents;
  /** Chat alerts (analysis.alerts and the global notifier). */
  readonly alerts: AlertDispatcher;
  readonly target: TargetAdapter;
  readonly now: () => number;
  /** Webhook retry pacing; tests shorten it. */
  readonly webhookRetryBaseDelayMs?: number;
  /** Starts watching the kinds this canary's router and autoscaler read (reads then hit the cache). */
  readonly watchKindsFor?: (canary: Canary, router: Router) => void;
}

/** One reconcile of one Canary. */
export interface ReconcileContext {
  readonly deps: ControllerDeps;
  /** The stored object (for status patches and events). */
  readonly raw: KubeObject;
  /** The validated view with Flagger's types. */
  readonly canary: Canary;
  readonly router: Router;
  readonly observation: TargetObservation | undefined;
  readonly log: Logger;
  readonly signal: AbortSignal;
  /** The phase just decided, while its effects run (the baseline's share depends on it). */
  readonly phase?: CanaryPhase | undefined;
}
