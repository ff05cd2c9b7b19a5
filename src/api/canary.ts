// The Canary kind (flagger.app/v1beta1), field for field as Flagger 1.44 defines it.
// Objects are loose: a parse keeps fields this version does not know, so a status or
// spec round trip never drops what a user wrote. Defaults live in defaults.ts, not here.
import { z } from 'zod';
import { CanaryStatusSchema } from './status.js';
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
} from './common.js';

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

export const CanaryServiceSchema = z.looseObject({
  name: z.string().optional(),
  port: int(),
  portName: z.string().optional(),
  targetPort: IntOrStringSchema.optional(),
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
      attempts: int().optional(),
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
export type CanaryService = z.infer<typeof CanaryServiceSchema>;

// ---- spec.analysis --------------------------------------------------------------

export const SessionAffinitySchema = z.looseObject({
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
export type SessionAffinity = z.infer<typeof SessionAffinitySchema>;

export const CanaryMetricSchema = z.looseObject({
  name: z.string().min(1),
  interval: intervalString().optional(),
  /** Deprecated by Flagger in favour of thresholdRange; still honoured. */
  threshold: z.number().optional(),
  thresholdRange: z.looseObject({ min: z.number().optional(), max: z.number().optional() }).optional(),
  /** Deprecated inline PromQL, run against metricsServer. */
  query: z.string().optional(),
  templateRef: z.looseObject({ name: z.string().min(1), namespace: z.string().optional() }).optional(),
  templateVariables: StringMapSchema.optional(),
});
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

export const CanaryWebhookSchema = z.looseObject({
  name: z.string().min(1),
  type: WebhookTypeSchema.optional(),
  // A plain string so a bad URL surfaces as a named validation error, not a parse failure.
  url: z.string().min(1).meta({ format: 'uri' }),
  timeout: intervalString().optional(),
  retries: count().optional(),
  disableTLS: z.boolean().optional(),
  muteAlert: z.boolean().optional(),
  metadata: StringMapSchema.optional(),
});
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

export const CanaryAnalysisSchema = z
  .looseObject({
    interval: intervalString().optional(),
    threshold: int().optional(),
    iterations: int().optional(),
    maxWeight: int().optional(),
    stepWeight: int().optional(),
    stepWeights: z.array(int()).optional(),
    stepWeightPromotion: int().optional(),
    mirror: z.boolean().optional(),
    mirrorWeight: int().optional(),
    primaryReadyThreshold: int().optional(),
    canaryReadyThreshold: int().optional(),
    match: z.array(HTTPMatchRequestSchema).optional(),
    sessionAffinity: SessionAffinitySchema.optional(),
    metrics: z.array(CanaryMetricSchema).optional(),
    alerts: z.array(CanaryAlertSchema).optional(),
    webhooks: z.array(CanaryWebhookSchema).optional(),
  })
  // Enforced by the API server like Flagger's CRD; the TS parse stays lenient because
  // defaults.ts supplies interval/threshold for objects that bypassed the CRD.
  .meta({ oneOf: ANALYSIS_ONE_OF });
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
export const CanarySpecInputSchema = CanarySpecSchema.extend({ service: CanaryServiceSchema.optional() });
export const CanaryInputSchema = CanarySchema.extend({ spec: CanarySpecInputSchema });
export type CanaryInput = z.infer<typeof CanaryInputSchema>;
