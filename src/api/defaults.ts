// Effective values: Flagger's defaulting, applied on read rather than stored, so the
// objects users see are exactly what they wrote (as with Flagger). All functions are pure.
import type { Canary, CanaryAlert, CanaryMetric, CanaryWebhook, SessionAffinity } from './canary.js';
import type { IntOrString } from './common.js';

export const DEFAULT_ANALYSIS_INTERVAL_MS = 60_000;
/** Flagger's floor for analysis.interval; a parameter of analysisIntervalMs so tests can go faster. */
export const FLAGGER_MIN_INTERVAL_MS = 10_000;
export const DEFAULT_METRIC_INTERVAL = '1m';
export const DEFAULT_WEBHOOK_TIMEOUT_MS = 10_000;
export const DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;
export const DEFAULT_READY_THRESHOLD = 100;
export const DEFAULT_PORT_NAME = 'http';
export const DEFAULT_COOKIE_MAX_AGE_SECONDS = 86_400;
/** Iterations forced for provider `kubernetes` when analysis.iterations < 1. */
export const KUBERNETES_PROVIDER_ITERATIONS = 10;
export const BUILTIN_METRICS = ['request-success-rate', 'request-duration'] as const;

const UNIT_MS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};
// Sticky: each number+unit pair must start exactly where the previous one ended.
const DURATION_PART = '([0-9]*\\.?[0-9]*)(ns|us|µs|μs|ms|s|m|h)';

/**
 * Parses a Go duration string ("1m30s", "500ms", "1.5h", "-2s", "0") into milliseconds,
 * mirroring time.ParseDuration. Returns undefined for anything Go would reject.
 */
export function parseDurationMs(s: string): number | undefined {
  let rest = s;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    sign = rest.startsWith('-') ? -1 : 1;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (rest === '') return undefined;
  let total = 0;
  const part = new RegExp(DURATION_PART, 'y');
  while (part.lastIndex < rest.length) {
    const m = part.exec(rest);
    const num = m?.[1];
    const unit = m?.[2];
    if (num === undefined || unit === undefined || num === '' || num === '.') return undefined;
    total += Number(num) * (UNIT_MS[unit] ?? Number.NaN);
  }
  return Number.isFinite(total) ? sign * total : undefined;
}

/** analysis.interval: 60s when empty or unparsable, raised to minIntervalMs when lower. */
export function analysisIntervalMs(canary: Canary, minIntervalMs: number = FLAGGER_MIN_INTERVAL_MS): number {
  const raw = canary.spec.analysis.interval;
  const parsed = raw ? parseDurationMs(raw) : undefined;
  const ms = parsed ?? DEFAULT_ANALYSIS_INTERVAL_MS;
  return Math.max(ms, minIntervalMs);
}

/** Failed checks that trigger a rollback: 1 when unset or <= 0. */
export function analysisThreshold(canary: Canary): number {
  const t = canary.spec.analysis.threshold ?? 0;
  return t > 0 ? t : 1;
}

/** The step weights in effect: stepWeights is ignored when stepWeight > 0. */
export function stepWeights(canary: Canary): readonly number[] {
  const a = canary.spec.analysis;
  return (a.stepWeight ?? 0) > 0 ? [] : (a.stepWeights ?? []);
}

/** Weight at which promotion starts: min(100, last stepWeight) with stepWeights, else maxWeight || 100. */
export function maxWeight(canary: Canary): number {
  const steps = canary.spec.analysis.stepWeights ?? [];
  const last = steps[steps.length - 1];
  if (last !== undefined) return Math.min(100, last);
  const mw = canary.spec.analysis.maxWeight ?? 0;
  return mw > 0 ? mw : 100;
}

/** Gradual shift back to primary during promotion; 0 means all traffic in one step. */
export function stepWeightPromotion(canary: Canary): number {
  return Math.max(0, canary.spec.analysis.stepWeightPromotion ?? 0);
}

/** spec.provider, falling back to the operator-wide -mesh-provider. */
export function effectiveProvider(canary: Canary, defaultProvider: string): string {
  return canary.spec.provider || defaultProvider;
}

export type DeploymentStrategy = 'canary' | 'ab-testing' | 'blue-green';

export interface EffectiveStrategy {
  strategy: DeploymentStrategy;
  /** analysis.iterations, or KUBERNETES_PROVIDER_ITERATIONS where Flagger forces it. */
  iterations: number;
}

/**
 * Strategy is derived, not declared: match + iterations → A/B, iterations → Blue/Green,
 * else canary. Provider `kubernetes` can only switch whole Services, so it is always
 * Blue/Green, with KUBERNETES_PROVIDER_ITERATIONS when analysis.iterations < 1.
 */
export function analysisStrategy(canary: Canary, defaultProvider: string): EffectiveStrategy {
  const a = canary.spec.analysis;
  const declared = a.iterations ?? 0;
  if (effectiveProvider(canary, defaultProvider) === 'kubernetes') {
    return { strategy: 'blue-green', iterations: declared < 1 ? KUBERNETES_PROVIDER_ITERATIONS : declared };
  }
  if (declared > 0 && (a.match?.length ?? 0) > 0) return { strategy: 'ab-testing', iterations: declared };
  if (declared > 0) return { strategy: 'blue-green', iterations: declared };
  return { strategy: 'canary', iterations: declared };
}

/** Percent of updated primary pods that must be available (100 when unset). */
export const primaryReadyThreshold = (canary: Canary): number =>
  canary.spec.analysis.primaryReadyThreshold ?? DEFAULT_READY_THRESHOLD;

/** Percent of updated canary pods that must be available (100 when unset). */
export const canaryReadyThreshold = (canary: Canary): number =>
  canary.spec.analysis.canaryReadyThreshold ?? DEFAULT_READY_THRESHOLD;

export const progressDeadlineSeconds = (canary: Canary): number =>
  canary.spec.progressDeadlineSeconds ?? DEFAULT_PROGRESS_DEADLINE_SECONDS;

/** Promote without analysis when asked to (Flagger also skips when analysis is absent). */
export const skipAnalysis = (canary: Canary): boolean => canary.spec.skipAnalysis === true;

/** The apex name: service.name, else targetRef.name. */
export const serviceName = (canary: Canary): string => canary.spec.service.name || canary.spec.targetRef.name;
export const primaryName = (canary: Canary): string => `${serviceName(canary)}-primary`;
export const canaryName = (canary: Canary): string => `${serviceName(canary)}-canary`;

export const portName = (canary: Canary): string => canary.spec.service.portName || DEFAULT_PORT_NAME;

/** service.targetPort, else service.port. */
export const targetPort = (canary: Canary): IntOrString =>
  canary.spec.service.targetPort ?? canary.spec.service.port;

/** Namespace helpers: an unset reference namespace means the canary's own namespace. */
export const canaryNamespace = (canary: Canary): string => canary.metadata.namespace ?? 'default';

export const templateNamespace = (canary: Canary, metric: CanaryMetric): string =>
  metric.templateRef?.namespace || canaryNamespace(canary);

export const alertProviderNamespace = (canary: Canary, alert: CanaryAlert): string =>
  alert.providerRef.namespace || canaryNamespace(canary);

export const isBuiltinMetric = (name: string): boolean =>
  (BUILTIN_METRICS as readonly string[]).includes(name);

/**
 * The `{{ interval }}` for a metric: builtin and inline-query metrics default to 1m;
 * template metrics get the raw value (possibly ''), as in Flagger.
 */
export function metricInterval(metric: CanaryMetric): string {
  if (metric.templateRef) return metric.interval ?? '';
  return metric.interval || DEFAULT_METRIC_INTERVAL;
}

/** Webhook type; '' and unset mean 'rollout'. */
export type EffectiveWebhookType = Exclude<NonNullable<CanaryWebhook['type']>, ''>;
export const webhookType = (hook: CanaryWebhook): EffectiveWebhookType => hook.type || 'rollout';

/** Webhook timeout: 10s when unset; undefined when set but unparsable (validate.ts reports it). */
export function webhookTimeoutMs(hook: CanaryWebhook): number | undefined {
  return hook.timeout ? parseDurationMs(hook.timeout) : DEFAULT_WEBHOOK_TIMEOUT_MS;
}

export const webhookRetries = (hook: CanaryWebhook): number => Math.max(0, hook.retries ?? 0);

export const cookieMaxAgeSeconds = (affinity: SessionAffinity): number =>
  affinity.maxAge ?? DEFAULT_COOKIE_MAX_AGE_SECONDS;
