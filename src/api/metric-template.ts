// The MetricTemplate kind: a provider plus a Go-template query (rendered in src/metrics).
import { z } from 'zod';
import { ConditionsOnlyStatusSchema, LocalObjectReferenceSchema, ObjectMetaSchema } from './common.js';

export const METRIC_PROVIDER_TYPES = [
  'prometheus',
  'influxdb',
  'datadog',
  'externalmetrics',
  'stackdriver',
  'cloudwatch',
  'newrelic',
  'graphite',
  'dynatrace',
  'keptn',
  'splunk',
] as const;
export const MetricProviderTypeSchema = z.enum(METRIC_PROVIDER_TYPES);
export type MetricProviderType = z.infer<typeof MetricProviderTypeSchema>;

export const MetricTemplateProviderSchema = z.looseObject({
  type: MetricProviderTypeSchema,
  address: z.string().optional(),
  /** HTTP headers sent to the provider (Prometheus); values are lists like http.Header. */
  headers: z.record(z.string(), z.array(z.string())).optional(),
  /** A Secret in the template's own namespace. */
  secretRef: LocalObjectReferenceSchema.optional(),
  /** CloudWatch region. */
  region: z.string().optional(),
  insecureSkipVerify: z.boolean().optional(),
});
export type MetricTemplateProvider = z.infer<typeof MetricTemplateProviderSchema>;

export const MetricTemplateSpecSchema = z.looseObject({
  provider: MetricTemplateProviderSchema,
  query: z.string().min(1),
});
export type MetricTemplateSpec = z.infer<typeof MetricTemplateSpecSchema>;

export const MetricTemplateSchema = z.looseObject({
  apiVersion: z.string().regex(/^flagger\.app\//),
  kind: z.literal('MetricTemplate'),
  metadata: ObjectMetaSchema,
  spec: MetricTemplateSpecSchema,
  status: ConditionsOnlyStatusSchema.optional(),
});
export type MetricTemplate = z.infer<typeof MetricTemplateSchema>;
