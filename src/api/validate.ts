// Validation = schema parse (field-path errors) + the semantic rules a CRD schema
// cannot express. Every message starts with the field path so an Event or a
// `Validated` condition tells the user exactly what to fix.
import type { z } from 'zod';
import { AlertProviderSchema, type AlertProvider } from './alert-provider.js';
import { CanaryInputSchema, type Canary, type CanaryInput } from './canary.js';
import { canaryNamespace, isBuiltinMetric, parseDurationMs } from './defaults.js';
import { MetricTemplateSchema, type MetricTemplate } from './metric-template.js';

export interface ValidationError {
  /** Dotted path with array indexes, e.g. `spec.analysis.metrics[0].templateRef.name`. */
  field: string;
  message: string;
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

const isKnativeTarget = (c: CanaryInput): boolean =>
  c.spec.targetRef.kind === 'Service' && c.spec.targetRef.apiVersion.startsWith('serving.knative.dev/');

function checkProvider(c: Canary, opts: CanaryValidationOptions, out: ValidationError[]): void {
  const { provider } = c.spec;
  if (provider && !isKnownProvider(provider, opts.knownProviders)) {
    out.push(
      err('spec.provider', `unknown provider "${provider}"; supported: ${opts.knownProviders.join(', ')}`),
    );
  }
  const knativeTarget = isKnativeTarget(c);
  if (knativeTarget && provider !== 'knative') {
    out.push(err('spec.provider', 'a Knative Service target requires provider "knative"'));
  }
  if (!knativeTarget && provider === 'knative') {
    out.push(err('spec.targetRef', 'provider "knative" requires a serving.knative.dev/v1 Service target'));
  }
  if (knativeTarget && c.spec.autoscalerRef) {
    out.push(err('spec.autoscalerRef', 'autoscalerRef is not supported with a Knative Service target'));
  }
  const svc = c.spec.service;
  if (provider?.startsWith('gatewayapi:') && (svc.gatewayRefs?.length ?? 0) === 0) {
    out.push(err('spec.service.gatewayRefs', `provider "${provider}" requires at least one gatewayRef`));
  }
  if (provider === 'appmesh' && !svc.meshName) {
    out.push(err('spec.service.meshName', 'mesh name cannot be empty for provider "appmesh"'));
  }
  if (svc.delegation && ((svc.hosts?.length ?? 0) > 0 || (svc.gateways?.length ?? 0) > 0)) {
    out.push(err('spec.service.delegation', 'a delegate VirtualService cannot set hosts or gateways'));
  }
}

function checkCrossNamespace(c: Canary, out: ValidationError[]): void {
  const ns = canaryNamespace(c);
  const check = (field: string, refNs: string | undefined): void => {
    if (refNs && refNs !== ns) {
      out.push(
        err(field, `cross-namespace reference to "${refNs}" is not allowed (-no-cross-namespace-refs)`),
      );
    }
  };
  check('spec.upstreamRef.namespace', c.spec.upstreamRef?.namespace);
  c.spec.analysis.metrics?.forEach((m, i) => {
    check(`spec.analysis.metrics[${i}].templateRef.namespace`, m.templateRef?.namespace);
  });
  c.spec.analysis.alerts?.forEach((a, i) => {
    check(`spec.analysis.alerts[${i}].providerRef.namespace`, a.providerRef.namespace);
  });
}

function checkDuplicates(items: readonly { name: string }[], base: string, out: ValidationError[]): void {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (seen.has(item.name)) out.push(err(`${base}[${i}].name`, `duplicate name "${item.name}"`));
    seen.add(item.name);
  });
}

function checkAnalysis(c: Canary, out: ValidationError[]): void {
  const a = c.spec.analysis;
  const affinity = a.sessionAffinity;
  if (affinity?.primaryCookieName && affinity.primaryCookieName === affinity.cookieName) {
    out.push(
      err('spec.analysis.sessionAffinity.primaryCookieName', "can't use the same cookie name as cookieName"),
    );
  }
  const metrics = a.metrics ?? [];
  metrics.forEach((m, i) => {
    const base = `spec.analysis.metrics[${i}]`;
    if (!m.templateRef && !m.query && !isBuiltinMetric(m.name)) {
      out.push(err(base, `metric "${m.name}": no usable metrics template and query were configured`));
    }
    if (m.interval !== undefined && parseDurationMs(m.interval) === undefined) {
      out.push(err(`${base}.interval`, `"${m.interval}" is not a valid duration`));
    }
  });
  const hooks = a.webhooks ?? [];
  hooks.forEach((h, i) => {
    const base = `spec.analysis.webhooks[${i}]`;
    if (!isHttpUrl(h.url)) out.push(err(`${base}.url`, `"${h.url}" is not a valid http(s) URL`));
    if (h.timeout !== undefined && parseDurationMs(h.timeout) === undefined) {
      out.push(err(`${base}.timeout`, `"${h.timeout}" is not a valid duration`));
    }
  });
  checkDuplicates(metrics, 'spec.analysis.metrics', out);
  checkDuplicates(hooks, 'spec.analysis.webhooks', out);
  checkDuplicates(a.alerts ?? [], 'spec.analysis.alerts', out);
}

/**
 * spec.service is optional in the API (as in Flagger's CRD) but every target except a Knative
 * Service is routed through the apex/-primary/-canary ClusterIP Services, which need its port.
 * A Knative canary without it reads as Flagger's zero value (port 0, never used).
 */
function withService(input: CanaryInput, out: ValidationError[]): Canary {
  const { service } = input.spec;
  if (service !== undefined) return { ...input, spec: { ...input.spec, service } };
  if (!isKnativeTarget(input)) {
    const provider = input.spec.provider ?? 'the default mesh provider';
    out.push(
      err(
        'spec.service',
        `required for a ${input.spec.targetRef.kind} target: ${provider} routes through the ClusterIP Services built from spec.service.port`,
      ),
    );
  }
  return { ...input, spec: { ...input.spec, service: { port: 0 } } };
}

/** Parses and checks a Canary; a new invalid canary must not be acted on. */
export function validateCanary(
  obj: unknown,
  opts: CanaryValidationOptions,
): ValidationResult<'canary', Canary> {
  const parsed = CanaryInputSchema.safeParse(obj);
  if (!parsed.success) return { ok: false, errors: issuesToErrors(parsed.error) };
  const errors: ValidationError[] = [];
  const canary = withService(parsed.data, errors);
  checkProvider(canary, opts, errors);
  if (opts.noCrossNamespaceRefs) checkCrossNamespace(canary, errors);
  checkAnalysis(canary, errors);
  return errors.length > 0 ? { ok: false, errors } : { ok: true, canary };
}

export function validateMetricTemplate(obj: unknown): ValidationResult<'template', MetricTemplate> {
  const parsed = MetricTemplateSchema.safeParse(obj);
  if (!parsed.success) return { ok: false, errors: issuesToErrors(parsed.error) };
  const template = parsed.data;
  const errors: ValidationError[] = [];
  const { address } = template.spec.provider;
  if (address && !isHttpUrl(address)) {
    errors.push(err('spec.provider.address', `"${address}" is not a valid http(s) URL`));
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, template };
}

export function validateAlertProvider(obj: unknown): ValidationResult<'provider', AlertProvider> {
  const parsed = AlertProviderSchema.safeParse(obj);
  if (!parsed.success) return { ok: false, errors: issuesToErrors(parsed.error) };
  const provider = parsed.data;
  const { address, proxy, secretRef } = provider.spec;
  const errors: ValidationError[] = [];
  if (!address && !secretRef) {
    errors.push(err('spec.address', 'one of spec.address or spec.secretRef is required'));
  }
  if (address && !isHttpUrl(address))
    errors.push(err('spec.address', `"${address}" is not a valid http(s) URL`));
  if (proxy && !isHttpUrl(proxy)) errors.push(err('spec.proxy', `"${proxy}" is not a valid http(s) URL`));
  return errors.length > 0 ? { ok: false, errors } : { ok: true, provider };
}
