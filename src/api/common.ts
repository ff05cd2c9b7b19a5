// Building blocks shared by the three flagger.app kinds. Schemas carry Kubernetes
// OpenAPI hints in `.meta()` so crd-gen.ts can emit them without a second source of truth.
import { z } from 'zod';

export const API_GROUP = 'flagger.app';
export const API_VERSION = 'v1beta1';
export const GROUP_VERSION = `${API_GROUP}/${API_VERSION}`;

/**
 * Meta key for a `default:` that Flagger's own CRD declares. Only these reach the CRD;
 * zod `.default()` values are dropped by crd-gen.ts (defaulting lives in defaults.ts).
 */
export const CRD_DEFAULT = 'x-flagger-ts-crd-default';
export const crdDefault = (value: string | number | boolean): Record<string, unknown> => ({
  [CRD_DEFAULT]: value,
});

/** Go's `int`/`int32` fields: integers only, as Flagger would fail to decode a fraction. */
export const int = (): z.ZodInt => z.int();

/** A non-negative integer count or weight. */
export const count = (): z.ZodInt => z.int().min(0);

/** Kubernetes IntOrString (e.g. a Service targetPort). */
export const IntOrStringSchema = z
  .union([z.int(), z.string()], { error: 'expected an integer or a string (e.g. a port name)' })
  .meta({ 'x-kubernetes-int-or-string': true });
export type IntOrString = z.infer<typeof IntOrStringSchema>;

/**
 * A Go duration that also passes Flagger's CRD pattern `^[0-9]+(m|s)` (which anchors only the
 * start, so `1sfoo` passed it and then ran every 60 s): the first part is whole seconds,
 * minutes or milliseconds, then any further Go duration parts (`1m30s`, `500ms`, `5m0.5s`).
 */
export const INTERVAL_PATTERN = /^[0-9]+(ms|m|s)(([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|μs|ms|s|m|h))*$/;
export const intervalString = (): z.ZodString =>
  z.string().regex(INTERVAL_PATTERN, { error: 'must be a duration such as 30s, 1m or 1m30s' });

/** A percentage of traffic. */
export const percent = (): z.ZodInt => z.int().min(0).max(100);

/** A TCP/UDP port number. */
export const portNumber = (): z.ZodInt => z.int().min(1).max(65535);

export const StringMapSchema = z.record(z.string(), z.string());
export type StringMap = z.infer<typeof StringMapSchema>;

/** An object whose contents Kubernetes must keep verbatim (no pruning, no validation). */
export const openObject = (): z.ZodRecord<z.ZodString, z.ZodUnknown> =>
  z.record(z.string(), z.unknown()).meta({ 'x-kubernetes-preserve-unknown-fields': true });

export const LocalObjectReferenceSchema = z.looseObject({ name: z.string().min(1) });
export type LocalObjectReference = z.infer<typeof LocalObjectReferenceSchema>;

/**
 * The subset of ObjectMeta the operator reads. Loose so ownerReferences, managedFields
 * and anything else survive a parse → write round trip.
 */
export const ObjectMetaSchema = z.looseObject({
  name: z.string().min(1),
  namespace: z.string().optional(),
  uid: z.string().optional(),
  generation: z.int().optional(),
  resourceVersion: z.string().optional(),
  labels: StringMapSchema.optional(),
  annotations: StringMapSchema.optional(),
  finalizers: z.array(z.string()).optional(),
  deletionTimestamp: z.string().optional(),
  creationTimestamp: z.string().optional(),
});
export type ObjectMeta = z.infer<typeof ObjectMetaSchema>;

export const ConditionStatusSchema = z.enum(['True', 'False', 'Unknown']);
export type ConditionStatus = z.infer<typeof ConditionStatusSchema>;

/** Condition shape shared by all three kinds (Flagger's CanaryCondition layout). */
export const ConditionSchema = z.looseObject({
  type: z.string().min(1),
  status: ConditionStatusSchema,
  lastUpdateTime: z.string().meta({ format: 'date-time' }).optional(),
  lastTransitionTime: z.string().meta({ format: 'date-time' }).optional(),
  reason: z.string().optional(),
  message: z.string().optional(),
});

/** Status of MetricTemplate and AlertProvider: Flagger defines conditions but never writes them. */
export const ConditionsOnlyStatusSchema = z.looseObject({
  conditions: z.array(ConditionSchema).optional(),
});
export type ConditionsOnlyStatus = z.infer<typeof ConditionsOnlyStatusSchema>;
