// Istio- and Gateway-API-shaped routing types used by Canary.spec.service and
// spec.analysis.match. Split from canary.ts only to keep files small; canary.ts re-exports them.
import { z } from 'zod';
import { StringMapSchema, crdDefault, int } from './common.js';

const STRING_MATCH_KEYS = ['exact', 'prefix', 'suffix', 'regex'] as const;

/** Istio StringMatch: at most one of exact | prefix | suffix | regex. */
export const StringMatchSchema = z
  .looseObject({
    exact: z.string().optional(),
    prefix: z.string().optional(),
    suffix: z.string().optional(),
    regex: z.string().optional(),
  })
  .refine((m) => STRING_MATCH_KEYS.filter((k) => m[k] !== undefined).length <= 1, {
    message: 'only one of exact, prefix, suffix or regex may be set',
  })
  .meta({
    oneOf: [
      { not: { anyOf: STRING_MATCH_KEYS.map((k) => ({ required: [k] })) } },
      ...STRING_MATCH_KEYS.map((k) => ({ required: [k] })),
    ],
  });
export type StringMatch = z.infer<typeof StringMatchSchema>;

const StringMatchMapSchema = z.record(z.string(), StringMatchSchema);

export const HTTPMatchRequestSchema = z.looseObject({
  name: z.string().optional(),
  uri: StringMatchSchema.optional(),
  scheme: StringMatchSchema.optional(),
  method: StringMatchSchema.optional(),
  authority: StringMatchSchema.optional(),
  headers: StringMatchMapSchema.optional(),
  queryParams: StringMatchMapSchema.optional(),
  withoutHeaders: StringMatchMapSchema.optional(),
  port: z.int().min(1).max(65535).optional(),
  sourceLabels: StringMapSchema.optional(),
  gateways: z.array(z.string()).optional(),
  ignoreUriCase: z.boolean().optional(),
  sourceNamespace: z.string().optional(),
});
export type HTTPMatchRequest = z.infer<typeof HTTPMatchRequestSchema>;

export const HeaderOperationsSchema = z.looseObject({
  set: StringMapSchema.optional(),
  add: StringMapSchema.optional(),
  remove: z.array(z.string()).optional(),
});

export const CorsPolicySchema = z.looseObject({
  allowOrigin: z.array(z.string()).optional(),
  allowOrigins: z.array(StringMatchSchema).optional(),
  allowMethods: z.array(z.string()).optional(),
  allowHeaders: z.array(z.string()).optional(),
  exposeHeaders: z.array(z.string()).optional(),
  maxAge: z.string().optional(),
  allowCredentials: z.boolean().optional(),
});

// Gateway API object-reference limits, as the Gateway API (and Flagger's CRD) bound them.
// The bounds also keep the CEL rule below within the API server's cost budget.
const gwGroup = () => z.string().max(253);
const gwKind = () => z.string().min(1).max(63);
const gwName = () => z.string().min(1).max(253);
const gwNamespace = () => z.string().min(1).max(63);
const gwPort = () => z.int().min(1).max(65535);

/** Gateway API parentRef; group and kind are defaulted by the API server like Flagger's CRD. */
export const GatewayRefSchema = z.looseObject({
  group: gwGroup().optional().meta(crdDefault('gateway.networking.k8s.io')),
  kind: gwKind().optional().meta(crdDefault('Gateway')),
  namespace: gwNamespace().optional(),
  name: gwName(),
  sectionName: gwName().optional(),
  port: gwPort().optional(),
});
export type GatewayRef = z.infer<typeof GatewayRefSchema>;

const BackendObjectReferenceSchema = z
  .looseObject({
    // Defaults make the CEL rule's `self.group`/`self.kind` always present.
    group: gwGroup().optional().meta(crdDefault('')),
    kind: gwKind().optional().meta(crdDefault('Service')),
    name: gwName(),
    namespace: gwNamespace().optional(),
    port: gwPort().optional(),
  })
  .meta({
    'x-kubernetes-validations': [
      {
        message: 'Must have port for Service reference',
        rule: "(size(self.group) == 0 && self.kind == 'Service') ? has(self.port) : true",
      },
    ],
  });

/** Gateway API HTTPRequestMirrorFilter (static mirrors on the HTTPRoute). */
export const MirrorFilterSchema = z.looseObject({
  backendRef: BackendObjectReferenceSchema,
  percent: int().optional(),
  fraction: z.looseObject({ numerator: int(), denominator: int().optional() }).optional(),
});

export const CustomMetadataSchema = z.looseObject({
  labels: StringMapSchema.optional(),
  annotations: StringMapSchema.optional(),
});
export type CustomMetadata = z.infer<typeof CustomMetadataSchema>;
