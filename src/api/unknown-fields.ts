// Fields the API server refuses under kubectl's default strict field validation
// (`--validate=strict`: "strict decoding error: unknown field"). The zod objects are loose so a
// round trip keeps what they do not model, so `flagger-ts validate` walks the generated CRD
// schema instead: one source, the same verdict as `kubectl apply`.
import { buildCrds, type JsonSchema } from './crd-gen.js';

const isRecord = (v: unknown): v is JsonSchema => typeof v === 'object' && v !== null && !Array.isArray(v);

let byKind: Map<string, JsonSchema> | undefined;

/** kind → openAPIV3Schema of our CRDs, built once. */
function schemaFor(kind: string): JsonSchema | undefined {
  if (byKind === undefined) {
    byKind = new Map();
    for (const crd of buildCrds()) {
      const spec = crd['spec'];
      if (!isRecord(spec) || !isRecord(spec['names']) || !Array.isArray(spec['versions'])) continue;
      const version: unknown = spec['versions'][0];
      const schema =
        isRecord(version) && isRecord(version['schema']) ? version['schema']['openAPIV3Schema'] : undefined;
      if (isRecord(schema)) byKind.set(String(spec['names']['kind']), schema);
    }
  }
  return byKind.get(kind);
}

function walk(value: unknown, schema: JsonSchema, path: string, out: string[]): void {
  if (
    schema['x-kubernetes-preserve-unknown-fields'] === true ||
    schema['x-kubernetes-int-or-string'] === true
  )
    return;
  if (Array.isArray(value)) {
    const items = schema['items'];
    if (isRecord(items)) {
      value.forEach((v, i) => {
        walk(v, items, `${path}[${i}]`, out);
      });
    }
    return;
  }
  if (!isRecord(value)) return;
  const props = schema['properties'];
  const extra = schema['additionalProperties'];
  for (const [key, v] of Object.entries(value)) {
    const child = isRecord(props) ? props[key] : undefined;
    const at = path === '' ? key : `${path}.${key}`;
    // metadata is an ObjectMeta the API server decodes itself, not through our schema.
    if (path === '' && key === 'metadata') continue;
    if (isRecord(child)) walk(v, child, at, out);
    else if (isRecord(extra)) walk(v, extra, at, out);
    else out.push(at);
  }
}

/** Dotted paths of the fields of `obj` that our CRD for `kind` does not declare. */
export function unknownFields(kind: string, obj: unknown): string[] {
  const schema = schemaFor(kind);
  if (schema === undefined) return [];
  const out: string[] = [];
  walk(obj, schema, '', out);
  return out;
}
