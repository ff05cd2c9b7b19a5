// The Canary kind (flagger.app/v1beta1), field for field as Flagger 1.44 defines it.
// Objects are loose: a parse keeps fields this version does not know, so a status or
// spec round trip never drops what a user wrote. Defaults live in defaults.ts, not here.
import { z } from 'zod';
import { CanaryStatusSchema } from './status.js';
import { AnalysisBaselineSchema, BASELINE_SPEC_RULES, MetricJudgeSchema } from './judge.js';
import {
  CorsPolicySchema,
  CustomMetadataSchema,
  GatewayRefSchema,
  HTTPMatchRequestSchema,
  HeaderOperationsSchema,
  MirrorFilterSchema,
} from './routing.js';
import {
  IntOrStringSchema,
  crdDefault,
  ObjectMetaSchema,
  StringMapSchema,
  count,
  int,
  intervalString,
  openObject,
  percent,
  portNumber,
} from './common.js';
import {
  ANALYSIS_RULES,
  METRIC_RULES,
  SERVICE_RULES,
  SESSION_AFFINITY_RULES,
  SPEC_RULES,
  TARGET_PORT_RULES,
  THRESHOLD_RANGE_RULES,
  WEBHOOK_RULES,
} from './canary-rules.js';
import { admissionRulesEnforced, withRules } from './rules.js';

export * from './routing.js';

// ---- references ---------------------------------------------------------------

/** Flagger's CrossNamespaceObjectReference; which members are required depends on the use. */
export interface CrossNamespaceObjectReference {
  apiVersion?: string | undefined;
  kind?: string | undefined;
  name: string;
  namespace?: string | undefined;
}

const kindRef = <const K extends readonly [string, ...string[]]>(kinds: K) =>
  z.looseObject({ apiVersion: z.string(), kind: z.enum(kinds), name: z.string().min(1) });

export const TargetRefSchema = kindRef(['Deployment', 'DaemonSet', 'Service']);
export const IngressRefSchema = kindRef(['Ingress']);
export const RouteRefSchema = kindRef(['ApisixRoute']);
export const UpstreamRefSchema = kindRef(['Upstream']).extend({ namespace: z.string().optional() });

export const AutoscalerReferenceSchema = kindRef(['HorizontalPodAutoscaler', 'ScaledObject']).extend({
  /** KEDA trigger name → query used by the primary ScaledObject. */
  primaryScalerQueries: StringMapSchema.optional(),
  primaryScalerReplicas: z
    .looseObject({ minReplicas: z.int().min(1).optional(), maxReplicas: z.int().min(1).optional() })
    .optional(),
});
export type AutoscalerReference = z.infer<typeof AutoscalerReferenceSchema>;

// ---- spec.service ---------------------------------------------------------------

/** Lists keyed by `name`: the API server refuses duplicate names, as validate.ts does. */
const NAMED_LIST = { 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'] };

const CanaryServiceFields = z.looseObject({
  name: z.string().optional(),
  port: portNumber(),
  portName: z.string().optional(),
  targetPort: withRules(IntOrStringSchema, TARGET_PORT_RULES).optional(),
  appProtocol: z.string().optional(),
  trafficDistribution: z.enum(['PreferClose', 'PreferSameZone', 'PreferSameNode']).optional(),
  portDiscovery: z.boolean().optional(),
  headless: z.boolean().optional(),
  timeout: z.string().optional(),
  backendTimeout: z.string().optional(),
  meshName: z.string().optional(),
  backends: z.array(z.string()).optional(),
  hosts: z.array(z.string()).optional(),
  gateways: z.array(z.string()).optional(),
  gatewayRefs: z.array(GatewayRefSchema).max(32).optional(),
  delegation: z.boolean().optional(),
  /** Istio DestinationRule trafficPolicy, passed through verbatim. */
  trafficPolicy: openObject().optional(),
  match: z.array(HTTPMatchRequestSchema).optional(),
  rewrite: z
    .looseObject({
      uri: z.string().optional(),
      authority: z.string().optional(),
      type: z.string().optional(),
    })
    .optional(),
  retries: z
    .looseObject({
      attempts: count().optional(),
      perTryTimeout: z.string().optional(),
      retryOn: z.string().optional(),
    })
    .optional(),
  headers: z
    .looseObject({ request: HeaderOperationsSchema.optional(), response: HeaderOperationsSchema.optional() })
    .optional(),
  mirror: z.array(MirrorFilterSchema).optional(),
  corsPolicy: CorsPolicySchema.optional(),
  apex: CustomMetadataSchema.optional(),
  primary: CustomMetadataSchema.optional(),
  canary: CustomMetadataSchema.optional(),
  unmanagedMetadata: z
    .looseObject({ annotations: z.array(z.string()).optional(), labels: z.array(z.string()).optional() })
    .optional(),
});
export const CanaryServiceSchema = withRules(CanaryServiceFields, SERVICE_RULES);
export type CanaryService = z.infer<typeof CanaryServiceSchema>;

// ---- spec.analysis --------------------------------------------------------------

const SessionAffinityFields = z.looseObject({
  cookieName: z.string().min(1),
  primaryCookieName: z.string().optional(),
  domain: z.string().optional(),
  httpOnly: z.boolean().optional(),
  maxAge: int().optional().meta(crdDefault(86400)),
  partitioned: z.boolean().optional(),
  path: z.string().optional(),
  sameSite: z.enum(['Strict', 'Lax', 'None']).optional(),
  secure: z.boolean().optional(),
});
export const SessionAffinitySchema = withRules(SessionAffinityFields, SESSION_AFFINITY_RULES);
export type SessionAffinity = z.infer<typeof SessionAffinitySchema>;

const CanaryMetricFields = z.looseObject({
  name: z.string().min(1),
  interval: intervalString().optional(),
  /** Deprecated by Flagger in favour of thresholdRange; still honoured. */
  threshold: z.number().optional(),
  thresholdRange: withRules(
    z.looseObject({ min: z.number().optional(), max: z.number().optional() }),
    THRESHOLD_RANGE_RULES,
  ).optional(),
  /** Deprecated inline PromQL, run against metricsServer. */
  query: z.string().optional(),
  templateRef: z.looseObject({ name: z.string().min(1), namespace: z.string().optional() }).optional(),
  templateVariables: StringMapSchema.optional(),
  /** flagger-ts: compare canary and baseline statistically instead of a threshold (docs/judge.md). */
  judge: MetricJudgeSchema.optional(),
});
export const CanaryMetricSchema = withRules(CanaryMetricFields, METRIC_RULES);
export type CanaryMetric = z.infer<typeof CanaryMetricSchema>;

export const WEBHOOK_TYPES = [
  '',
  'confirm-rollout',
  'pre-rollout',
  'rollout',
  'confirm-traffic-increase',
  'confirm-promotion',
  'post-rollout',
  'rollback',
  'event',
] as const;
export const WebhookTypeSchema = z.enum(WEBHOOK_TYPES);
/** '' is treated as 'rollout' (see defaults.webhookType). */
export type WebhookType = z.infer<typeof WebhookTypeSchema>;

const CanaryWebhookFields = z.looseObject({
  name: z.string().min(1),
  type: WebhookTypeSchema.optional(),
  // A plain string so a bad URL surfaces as a named validation error, not a parse failure.
  // A scheme or an absolute path, as Go's url.ParseRequestURI wants (Flagger's CRD says
  // `format: uri`, but the API server then let a list through as the url); whether it is a
  // usable http(s) URL is an operator check (validate.ts).
  url: z.string().regex(/^([A-Za-z][A-Za-z0-9+.-]*:|\/)/, { error: 'must be an absolute URL' }),
  timeout: intervalString().optional(),
  retries: count().optional(),
  disableTLS: z.boolean().optional(),
  muteAlert: z.boolean().optional(),
  metadata: StringMapSchema.optional(),
});
export const CanaryWebhookSchema = withRules(CanaryWebhookFields, WEBHOOK_RULES);
export type CanaryWebhook = z.infer<typeof CanaryWebhookSchema>;

export const ALERT_SEVERITIES = ['', 'info', 'warn', 'error'] as const;
export const CanaryAlertSchema = z.looseObject({
  name: z.string().min(1),
  severity: z.enum(ALERT_SEVERITIES).optional(),
  providerRef: z.looseObject({ name: z.string().min(1), namespace: z.string().optional() }),
});
export type CanaryAlert = z.infer<typeof CanaryAlertSchema>;

const ANALYSIS_ONE_OF = ['iterations', 'stepWeight', 'stepWeights'].map((k) => ({
  required: ['interval', 'threshold', k],
}));

/** TS twin of ANALYSIS_ONE_OF: interval, threshold and exactly one strategy field. */
function analysisOneOfError(a: Record<string, unknown>): string | undefined {
  const has = (k: string): boolean => a[k] !== undefined;
  const strategy = ['iterations', 'stepWeight', 'stepWeights'].filter(has);
  if (!has('interval') || !has('threshold')) return 'interval and threshold are required';
  if (strategy.length !== 1)
    return `exactly one of iterations, stepWeight or stepWeights is required (found ${strategy.length === 0 ? 'none' : strategy.join(', ')})`;
  return undefined;
}

const CanaryAnalysisFields = z
  .looseObject({
    interval: intervalString().optional(),
    threshold: count().optional(),
    iterations: count().optional(),
    maxWeight: percent().optional(),
    stepWeight: percent().optional(),
    stepWeights: z.array(percent()).max(100).optional(),
    stepWeightPromotion: percent().optional(),
    mirror: z.boolean().optional(),
    mirrorWeight: percent().optional(),
    primaryReadyThreshold: percent().optional(),
    canaryReadyThreshold: percent().optional(),
    match: z.array(HTTPMatchRequestSchema).optional(),
    sessionAffinity: SessionAffinitySchema.optional(),
    metrics: z.array(CanaryMetricSchema).meta(NAMED_LIST).optional(),
    alerts: z.array(CanaryAlertSchema).meta(NAMED_LIST).optional(),
    webhooks: z.array(CanaryWebhookSchema).meta(NAMED_LIST).optional(),
    /** flagger-ts: the `<target>-baseline` cohort for the statistical judge (docs/judge.md). */
    baseline: AnalysisBaselineSchema.optional(),
  })
  // Enforced by the API server like Flagger's CRD (oneOf) and by the same check in TS.
  .superRefine((a, ctx) => {
    if (!admissionRulesEnforced()) return;
    const message = analysisOneOfError(a);
    if (message !== undefined) ctx.addIssue({ code: 'custom', message, input: a });
  })
  .meta({ oneOf: ANALYSIS_ONE_OF });
export const CanaryAnalysisSchema = withRules(CanaryAnalysisFields, ANALYSIS_RULES);
export type CanaryAnalysis = z.infer<typeof CanaryAnalysisSchema>;

// ---- spec, object ---------------------------------------------------------------

export const CanarySpecSchema = z.looseObject({
  provider: z.string().optional(),
  metricsServer: z.string().optional(),
  targetRef: TargetRefSchema,
  autoscalerRef: AutoscalerReferenceSchema.optional(),
  ingressRef: IngressRefSchema.optional(),
  routeRef: RouteRefSchema.optional(),
  upstreamRef: UpstreamRefSchema.optional(),
  service: CanaryServiceSchema,
  analysis: CanaryAnalysisSchema,
  progressDeadlineSeconds: int().optional(),
  skipAnalysis: z.boolean().optional(),
  revertOnDeletion: z.boolean().optional(),
  suspend: z.boolean().optional(),
});
export type CanarySpec = z.infer<typeof CanarySpecSchema>;

export const CanarySchema = z.looseObject({
  apiVersion: z.string().regex(/^flagger\.app\//),
  kind: z.literal('Canary'),
  metadata: ObjectMetaSchema,
  spec: CanarySpecSchema,
  status: CanaryStatusSchema.optional(),
});
/** A validated Canary: spec.service is present (validate.ts checks or supplies it). */
export type Canary = z.infer<typeof CanarySchema>;

/**
 * What the API accepts (the CRD and the first parse of validate.ts): like Flagger's CRD, only
 * targetRef and analysis are required; whether spec.service is needed depends on the target.
 */
export const CanarySpecInputSchema = withRules(
  CanarySpecSchema.extend({ service: CanaryServiceSchema.optional() }),
  [...SPEC_RULES, ...BASELINE_SPEC_RULES],
);
export const CanaryInputSchema = CanarySchema.extend({ spec: CanarySpecInputSchema });
export type CanaryInput = z.infer<typeof CanaryInputSchema>;
