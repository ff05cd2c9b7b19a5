// Derives the three CustomResourceDefinitions from the zod schemas, so the CRD, the TS
// types and runtime validation cannot drift apart. zod's JSON Schema output is reduced
// to Kubernetes' structural subset (see toStructural); names, printer columns and
// categories mirror Flagger's CRDs so kubectl output looks the same.
import { z } from 'zod';
import { stringify } from 'yaml';
import { AlertProviderSpecSchema } from './alert-provider.js';
import { CanarySpecInputSchema } from './canary.js';
import { API_GROUP, API_VERSION, CRD_DEFAULT, ConditionsOnlyStatusSchema } from './common.js';
import { MetricTemplateSpecSchema } from './metric-template.js';
import { CanaryStatusSchema } from './status.js';

export type JsonSchema = Record<string, unknown>;

const isRecord = (v: unknown): v is JsonSchema => typeof v === 'object' && v !== null && !Array.isArray(v);

const isEmptyObject = (v: unknown): boolean => isRecord(v) && Object.keys(v).length === 0;

/** Keys dropped everywhere: JSON Schema bookkeeping and zod-only annotations. */
const DROPPED_KEYS = new Set(['$schema', '$id', 'id', 'propertyNames', 'default', 'title']);

/**
 * Rewrites one zod JSON Schema node (and its children) into a structural schema:
 * - int-or-string unions become `x-kubernetes-int-or-string` with no type;
 * - open maps keep `x-kubernetes-preserve-unknown-fields`, without properties;
 * - loose objects lose `additionalProperties: {}` (Kubernetes prunes unknown fields);
 * - zod's ±MAX_SAFE_INTEGER integer bounds are dropped;
 * - `default` comes only from CRD_DEFAULT (Flagger's own CRD defaults).
 */
export function toStructural(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toStructural);
  if (!isRecord(node)) return node;
  if ('$ref' in node)
    throw new Error(`crd-gen: $ref is not allowed in a CRD schema: ${JSON.stringify(node)}`);
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) {
    if (DROPPED_KEYS.has(key)) continue;
    if (key === CRD_DEFAULT) out['default'] = value;
    else if (key === 'minimum' && value === Number.MIN_SAFE_INTEGER) continue;
    else if (key === 'maximum' && value === Number.MAX_SAFE_INTEGER) continue;
    else if (key === 'additionalProperties' && (value === false || isEmptyObject(value))) continue;
    else if (key === 'properties' && isRecord(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toStructural(v)]));
    } else out[key] = toStructural(value);
  }
  if (out['x-kubernetes-int-or-string'] === true) {
    delete out['anyOf'];
    delete out['oneOf'];
    delete out['type'];
  }
  if (out['x-kubernetes-preserve-unknown-fields'] === true) {
    delete out['additionalProperties'];
    if (isEmptyObject(out['properties'])) delete out['properties'];
  }
  return out;
}

/** zod schema → structural openAPIV3Schema fragment. */
export function crdSchemaOf(schema: z.ZodType): JsonSchema {
  // io: 'input' describes what a user may write (optional fields stay optional).
  const raw = z.toJSONSchema(schema, { target: 'openapi-3.0', io: 'input', unrepresentable: 'throw' });
  const structural = toStructural(raw);
  if (!isRecord(structural)) throw new Error('crd-gen: schema did not produce an object');
  return structural;
}

/** The envelope every CRD's openAPIV3Schema shares; metadata is validated by the API server. */
function objectSchema(description: string, spec: JsonSchema, status: JsonSchema): JsonSchema {
  return {
    description,
    type: 'object',
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { type: 'object' },
      spec,
      status,
    },
    // An object without a spec cannot be acted on; the TS schemas require it too.
    required: ['spec'],
  };
}

interface PrinterColumn {
  name: string;
  type: 'string' | 'boolean' | 'integer' | 'number' | 'date';
  jsonPath: string;
  priority?: number;
}

interface CrdInput {
  kind: string;
  plural: string;
  description: string;
  spec: z.ZodType;
  status: z.ZodType;
  columns: readonly PrinterColumn[];
}

const wide = (name: string, type: PrinterColumn['type'], jsonPath: string): PrinterColumn => ({
  name,
  type,
  jsonPath,
  priority: 1,
});

// Column order and types follow Flagger's CRD (weights shown as strings, as there).
const CANARY_COLUMNS: readonly PrinterColumn[] = [
  { name: 'Status', type: 'string', jsonPath: '.status.phase' },
  { name: 'Weight', type: 'string', jsonPath: '.status.canaryWeight' },
  wide('Suspended', 'boolean', '.spec.suspend'),
  wide('FailedChecks', 'string', '.status.failedChecks'),
  wide('Interval', 'string', '.spec.analysis.interval'),
  wide('Mirror', 'boolean', '.spec.analysis.mirror'),
  wide('StepWeight', 'string', '.spec.analysis.stepWeight'),
  wide('StepWeights', 'string', '.spec.analysis.stepWeights'),
  wide('MaxWeight', 'string', '.spec.analysis.maxWeight'),
  { name: 'LastTransitionTime', type: 'string', jsonPath: '.status.lastTransitionTime' },
];

const CRD_INPUTS: readonly CrdInput[] = [
  {
    kind: 'Canary',
    plural: 'canaries',
    description: 'Canary is the Schema for the Canary API.',
    spec: CanarySpecInputSchema,
    status: CanaryStatusSchema,
    columns: CANARY_COLUMNS,
  },
  {
    kind: 'MetricTemplate',
    plural: 'metrictemplates',
    description: 'MetricTemplate is the Schema for the MetricTemplates API.',
    spec: MetricTemplateSpecSchema,
    status: ConditionsOnlyStatusSchema,
    columns: [{ name: 'Provider', type: 'string', jsonPath: '.spec.provider.type' }],
  },
  {
    kind: 'AlertProvider',
    plural: 'alertproviders',
    description: 'AlertProvider is the Schema for the AlertProvider API.',
    spec: AlertProviderSpecSchema,
    status: ConditionsOnlyStatusSchema,
    columns: [{ name: 'Type', type: 'string', jsonPath: '.spec.type' }],
  },
];

function buildCrd(input: CrdInput): JsonSchema {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      name: `${input.plural}.${API_GROUP}`,
      // Keeps the CRDs (and so every Canary) when the Helm release is uninstalled.
      annotations: { 'helm.sh/resource-policy': 'keep' },
    },
    spec: {
      group: API_GROUP,
      names: {
        kind: input.kind,
        listKind: `${input.kind}List`,
        plural: input.plural,
        singular: input.kind.toLowerCase(),
        categories: ['all'],
      },
      scope: 'Namespaced',
      versions: [
        {
          name: API_VERSION,
          served: true,
          storage: true,
          subresources: { status: {} },
          additionalPrinterColumns: input.columns,
          schema: {
            openAPIV3Schema: objectSchema(
              input.description,
              crdSchemaOf(input.spec),
              crdSchemaOf(input.status),
            ),
          },
        },
      ],
    },
  };
}

/** The three CRD objects, in a stable order. */
export function buildCrds(): JsonSchema[] {
  return CRD_INPUTS.map(buildCrd);
}

const HEADER = '# Generated from src/api by scripts/gen-crds.mjs (npm run gen:crds). Do not edit.\n';

/**
 * The multi-document YAML written to charts/flagger-ts/crds/crds.yaml. Written as YAML 1.1, as
 * kubectl and Helm read it (sigs.k8s.io/yaml): a property named `n` or `y` is quoted there,
 * where YAML 1.2 output leaves it bare and kubectl would read the boolean false/true.
 */
export function renderCrdsYaml(): string {
  const docs = buildCrds().map((crd) => stringify(crd, { lineWidth: 0, version: '1.1' }));
  return HEADER + docs.map((d) => `---\n${d}`).join('');
}
