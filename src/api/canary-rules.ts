// The Canary's cross-field rules (see rules.ts): each is a CEL rule in the CRD and the same
// check in TS. Field bounds (percentages, ports, durations) are plain schema bounds in
// canary.ts; what depends on the build or on operator flags (known providers, cross-namespace
// references, URL syntax) stays in validate.ts as an operator condition.
import { BUILTIN_METRICS, isBuiltinMetric, parseDurationMs } from './defaults.js';
import { MAX_GO_DURATION_MS, present, type Rule } from './rules.js';

const KNATIVE_TARGET_CEL =
  "self.targetRef.kind == 'Service' && self.targetRef.apiVersion.startsWith('serving.knative.dev/')";

interface SpecView {
  provider?: string | undefined;
  targetRef: { kind: string; apiVersion: string };
  autoscalerRef?: unknown;
  service?: { gatewayRefs?: readonly unknown[] | undefined; meshName?: string | undefined } | undefined;
}

export const isKnativeTargetRef = (ref: { kind: string; apiVersion: string }): boolean =>
  ref.kind === 'Service' && ref.apiVersion.startsWith('serving.knative.dev/');

export const SPEC_RULES: readonly Rule<SpecView>[] = [
  {
    cel: `has(self.service) || (${KNATIVE_TARGET_CEL})`,
    message:
      'required: every target except a Knative Service is routed through the ClusterIP Services built from spec.service.port',
    check: (s) => present(s.service) || isKnativeTargetRef(s.targetRef),
    field: '.service',
  },
  {
    cel: `!(${KNATIVE_TARGET_CEL}) || (has(self.provider) && self.provider == 'knative')`,
    message: 'a Knative Service target requires provider "knative"',
    check: (s) => !isKnativeTargetRef(s.targetRef) || s.provider === 'knative',
    field: '.provider',
  },
  {
    cel: `!has(self.provider) || self.provider != 'knative' || (${KNATIVE_TARGET_CEL})`,
    message: 'provider "knative" requires a serving.knative.dev/v1 Service target',
    check: (s) => s.provider !== 'knative' || isKnativeTargetRef(s.targetRef),
    field: '.targetRef',
  },
  {
    cel: `!has(self.autoscalerRef) || !(${KNATIVE_TARGET_CEL})`,
    message: 'autoscalerRef is not supported with a Knative Service target',
    check: (s) => !present(s.autoscalerRef) || !isKnativeTargetRef(s.targetRef),
    field: '.autoscalerRef',
  },
  {
    cel: "!has(self.provider) || !self.provider.startsWith('gatewayapi:') || (has(self.service) && has(self.service.gatewayRefs) && size(self.service.gatewayRefs) > 0)",
    message: 'a gatewayapi provider requires at least one gatewayRef',
    check: (s) => !(s.provider ?? '').startsWith('gatewayapi:') || (s.service?.gatewayRefs?.length ?? 0) > 0,
    field: '.service.gatewayRefs',
  },
  {
    cel: "!has(self.provider) || self.provider != 'appmesh' || (has(self.service) && has(self.service.meshName) && self.service.meshName != '')",
    message: 'mesh name cannot be empty for provider "appmesh"',
    check: (s) => s.provider !== 'appmesh' || (s.service?.meshName ?? '') !== '',
    field: '.service.meshName',
  },
];

interface AnalysisView {
  iterations?: number | undefined;
  stepWeight?: number | undefined;
  stepWeights?: readonly number[] | undefined;
}

export const ANALYSIS_RULES: readonly Rule<AnalysisView>[] = [
  {
    // Flagger picks the strategy from these; a zero/empty one leaves the canary stuck.
    cel: '(!has(self.stepWeight) || self.stepWeight > 0) && (!has(self.stepWeights) || size(self.stepWeights) > 0) && (!has(self.iterations) || self.iterations > 0)',
    message: 'the strategy field (stepWeight, stepWeights or iterations) must be greater than 0 or non-empty',
    check: (a) =>
      (a.stepWeight === undefined || a.stepWeight > 0) &&
      (a.stepWeights === undefined || a.stepWeights.length > 0) &&
      (a.iterations === undefined || a.iterations > 0),
  },
  {
    cel: '!has(self.stepWeights) || self.stepWeights.isSorted()',
    message: 'stepWeights must be in ascending order',
    check: (a) => (a.stepWeights ?? []).every((w, i, all) => i === 0 || (all[i - 1] ?? 0) <= w),
    field: '.stepWeights',
  },
];

export const THRESHOLD_RANGE_RULES: readonly Rule<{ min?: number | undefined; max?: number | undefined }>[] =
  [
    {
      cel: '!has(self.min) || !has(self.max) || self.min <= self.max',
      message: 'thresholdRange.min must not be greater than thresholdRange.max',
      check: (r) => r.min === undefined || r.max === undefined || r.min <= r.max,
      field: '.min',
    },
  ];

export const METRIC_RULES: readonly Rule<{
  name: string;
  templateRef?: unknown;
  query?: string | undefined;
}>[] = [
  {
    cel: `has(self.templateRef) || (has(self.query) && self.query != '') || self.name in [${BUILTIN_METRICS.map((n) => `'${n}'`).join(', ')}]`,
    message:
      'a metric needs a templateRef, a query, or a builtin name (request-success-rate, request-duration)',
    check: (m) => present(m.templateRef) || (m.query ?? '') !== '' || isBuiltinMetric(m.name),
  },
];

export const WEBHOOK_RULES: readonly Rule<{ timeout?: string | undefined }>[] = [
  {
    cel: "!has(self.timeout) || duration(self.timeout) > duration('0s')",
    message: 'timeout must be greater than 0',
    check: (h) => {
      if (h.timeout === undefined) return true;
      const ms = parseDurationMs(h.timeout);
      return ms !== undefined && ms > 0 && ms <= MAX_GO_DURATION_MS;
    },
    field: '.timeout',
  },
];

export const SESSION_AFFINITY_RULES: readonly Rule<{
  cookieName: string;
  primaryCookieName?: string | undefined;
}>[] = [
  {
    cel: '!has(self.primaryCookieName) || self.primaryCookieName != self.cookieName',
    message: "primaryCookieName can't be the same as cookieName",
    check: (a) => a.primaryCookieName === undefined || a.primaryCookieName !== a.cookieName,
    field: '.primaryCookieName',
  },
];

export const SERVICE_RULES: readonly Rule<{
  delegation?: boolean | undefined;
  hosts?: readonly string[] | undefined;
  gateways?: readonly string[] | undefined;
}>[] = [
  {
    cel: '!has(self.delegation) || !self.delegation || ((!has(self.hosts) || size(self.hosts) == 0) && (!has(self.gateways) || size(self.gateways) == 0))',
    message: 'a delegate VirtualService cannot set hosts or gateways',
    check: (s) => s.delegation !== true || ((s.hosts?.length ?? 0) === 0 && (s.gateways?.length ?? 0) === 0),
    field: '.delegation',
  },
];

export const TARGET_PORT_RULES: readonly Rule<number | string>[] = [
  {
    cel: 'type(self) == string || (self >= 1 && self <= 65535)',
    message: 'a numeric targetPort must be between 1 and 65535',
    check: (p) => typeof p === 'string' || (p >= 1 && p <= 65535),
  },
];
