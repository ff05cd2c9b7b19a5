// Validation = schema parse (field-path errors) + the semantic rules a CRD schema
// cannot express. Every message starts with the field path so an Event or a
// `Validated` condition tells the user exactly what to fix.
import type { z } from 'zod';
import { AlertProviderSchema, type AlertProvider } from './alert-provider.js';
import { CanaryInputSchema, type Canary } from './canary.js';
import { withAdmissionRules } from './rules.js';
import { MetricTemplateSchema, type MetricTemplate } from './metric-template.js';

export interface ValidationError {
  /** Dotted path with array indexes, e.g. `spec.analysis.metrics[0].templateRef.name`. */
  field: string;
  message: string;
  /**
   * True for what only the operator checks (the CRD cannot: known providers, cross-namespace
   * references, URL syntax); every other error is also an admission error of our CRDs.
   */
  operatorOnly?: true;
}

export type ValidationResult<K extends string, T> =
  ({ ok: true } & Record<K, T>) | { ok: false; errors: ValidationError[] };

export interface CanaryValidationOptions {
  /** Mirrors Flagger's -no-cross-namespace-refs. */
  noCrossNamespaceRefs: boolean;
  /**
   * Provider names the operator can route. An entry ending in `*` is a prefix
   * (e.g. `smi:v1alpha3:*`). Anything else is an error, never a silent Istio fallback.
   */
  knownProviders: readonly string[];
}

/** Renders a zod issue path as `a.b[0].c`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(root)' : out;
}

const err = (field: string, message: string): ValidationError => ({ field, message: `${field}: ${message}` });
const operatorErr = (field: string, message: string): ValidationError => ({
  ...err(field, message),
  operatorOnly: true,
});

/**
 * The API server prunes null-valued fields before validating (none of ours is nullable), so a
 * `field: null` (or `field:` with no value) is the same as an absent field everywhere.
 */
export function dropNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropNulls);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== null) out[k] = dropNulls(v);
  return out;
}

function issuesToErrors(error: z.ZodError): ValidationError[] {
  return error.issues.map((issue) => err(formatPath(issue.path), issue.message));
}

/** One line for an Event or condition message. */
export const formatValidationErrors = (errors: readonly ValidationError[]): string =>
  errors.map((e) => e.message).join('; ');

export function isKnownProvider(provider: string, known: readonly string[]): boolean {
  return known.some((k) => (k.endsWith('*') ? provider.startsWith(k.slice(0, -1)) : provider === k));
}

const isHttpUrl = (s: string): boolean => {
  if (!URL.canParse(s)) return false;
  const { protocol } = new URL(s);
  return protocol === 'http:' || protocol === 'https:';
};

// The checks below are what the CRD cannot say (they depend on this build, on operator flags, or
// on URL syntax that Go and JS parse differently). They read the raw object with guards, so they
// run even when the schema parse failed and `validate` reports every problem at once.

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const rec = (v: unknown): Record<string, unknown> => (isRecord(v) ? v : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const list = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? v.map(rec) : []);

function checkProvider(
  spec: Record<string, unknown>,
  opts: CanaryValidationOptions,
  out: ValidationError[],
): void {
  const provider = str(spec['provider']);
  if (provider && !isKnownProvider(provider, opts.knownProviders)) {
    out.push(
      operatorErr(
        'spec.provider',
        `unknown provider "${provider}"; supported: ${opts.knownProviders.join(', ')}`,
      ),
    );
  }
}

function checkCrossNamespace(namespace: string, spec: Record<string, unknown>, out: ValidationError[]): void {
  const check = (field: string, refNs: unknown): void => {
    if (typeof refNs === 'string' && refNs !== '' && refNs !== namespace) {
      out.push(
        operatorErr(
          field,
          `cross-namespace reference to "${refNs}" is not allowed (-no-cross-namespace-refs)`,
        ),
      );
    }
  };
  const analysis = rec(spec['analysis']);
  check('spec.upstreamRef.namespace', rec(spec['upstreamRef'])['namespace']);
  list(analysis['metrics']).forEach((m, i) => {
    check(`spec.analysis.metrics[${i}].templateRef.namespace`, rec(m['templateRef'])['namespace']);
  });
  list(analysis['alerts']).forEach((a, i) => {
    check(`spec.analysis.alerts[${i}].providerRef.namespace`, rec(a['providerRef'])['namespace']);
  });
}

function checkDuplicates(
  items: readonly Record<string, unknown>[],
  base: string,
  out: ValidationError[],
): void {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    const name = str(item['name']);
    if (name === undefined) return;
    if (seen.has(name)) out.push(err(`${base}[${i}].name`, `duplicate name "${name}"`));
    seen.add(name);
  });
}

function checkAnalysis(spec: Record<string, unknown>, out: ValidationError[]): void {
  const a = rec(spec['analysis']);
  const hooks = list(a['webhooks']);
  hooks.forEach((h, i) => {
    const url = str(h['url']);
    if (url !== undefined && url !== '' && !isHttpUrl(url))
      out.push(operatorErr(`spec.analysis.webhooks[${i}].url`, `"${url}" is not a valid http(s) URL`));
  });
  checkDuplicates(list(a['metrics']), 'spec.analysis.metrics', out);
  checkDuplicates(hooks, 'spec.analysis.webhooks', out);
  checkDuplicates(list(a['alerts']), 'spec.analysis.alerts', out);
}

/** Parses and checks a Canary; a new invalid canary must not be acted on. */
export function validateCanary(
  obj: unknown,
  opts: CanaryValidationOptions,
): ValidationResult<'canary', Canary> {
  const input = dropNulls(obj);
  const parsed = withAdmissionRules(() => CanaryInputSchema.safeParse(input));
  const errors: ValidationError[] = parsed.success ? [] : issuesToErrors(parsed.error);
  const raw = rec(input);
  const spec = rec(raw['spec']);
  const namespace = str(rec(raw['metadata'])['namespace']) ?? 'default';
  checkProvider(spec, opts, errors);
  if (opts.noCrossNamespaceRefs) checkCrossNamespace(namespace, spec, errors);
  checkAnalysis(spec, errors);
  if (!parsed.success || errors.length > 0) return { ok: false, errors };
  // spec.service is optional for a Knative target (SPEC_RULES); Flagger's zero value stands in.
  const data = parsed.data;
  const canary: Canary = { ...data, spec: { ...data.spec, service: data.spec.service ?? { port: 0 } } };
  return { ok: true, canary };
}

export function validateMetricTemplate(obj: unknown): ValidationResult<'template', MetricTemplate> {
  const parsed = withAdmissionRules(() => MetricTemplateSchema.safeParse(dropNulls(obj)));
  if (!parsed.success) return { ok: false, errors: issuesToErrors(parsed.error) };
  const template = parsed.data;
  const errors: ValidationError[] = [];
  const { address } = template.spec.provider;
  if (address && !isHttpUrl(address)) {
    errors.push(operatorErr('spec.provider.address', `"${address}" is not a valid http(s) URL`));
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, template };
}

/**
 * `admission`: also apply the CRD's own rule (exactly one of address and secretRef), as
 * `flagger-ts validate` does; objects the operator reads have passed it at the API server.
 */
export function validateAlertProvider(
  obj: unknown,
  opts: { admission?: boolean } = {},
): ValidationResult<'provider', AlertProvider> {
  const parse = () => AlertProviderSchema.safeParse(dropNulls(obj));
  const parsed = opts.admission === true ? withAdmissionRules(parse) : parse();
  if (!parsed.success) return { ok: false, errors: issuesToErrors(parsed.error) };
  const provider = parsed.data;
  const { address, proxy, secretRef } = provider.spec;
  const errors: ValidationError[] = [];
  if (!address && !secretRef) {
    errors.push(operatorErr('spec.address', 'one of spec.address or spec.secretRef is required'));
  }
  if (address && !isHttpUrl(address))
    errors.push(operatorErr('spec.address', `"${address}" is not a valid http(s) URL`));
  if (proxy && !isHttpUrl(proxy))
    errors.push(operatorErr('spec.proxy', `"${proxy}" is not a valid http(s) URL`));
  return errors.length > 0 ? { ok: false, errors } : { ok: true, provider };
}
