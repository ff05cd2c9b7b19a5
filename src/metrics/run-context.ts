// Shared plumbing for one metrics run: the injected lookups, the builtin Prometheus
// client, MetricTemplate → provider resolution and error classification. Used by
// analysis.ts (the checks) and availability.ts (the init-time check).
import type { Canary, CanaryMetric } from '../api/canary.js';
import { canaryNamespace, parseDurationMs, templateNamespace } from '../api/defaults.js';
import type { MetricTemplate } from '../api/metric-template.js';
import { redactUrl } from '../webhooks/http.js';
import { resolveMetricsProvider } from './observers/registry.js';
import {
  type MetricProvider,
  type ProviderFailureKind,
  ProviderError,
  ProviderHttpError,
} from './providers/provider.js';
import { type KubeAccess, type ProviderFactoryInput, createMetricProvider } from './providers/registry.js';

export type MetricFailureKind = ProviderFailureKind | 'render-error' | 'config-error';

export interface MetricCheckDeps {
  /** The operator-wide Prometheus URL (-metrics-server); spec.metricsServer overrides it. */
  readonly metricsServer: string;
  /** The operator-wide -mesh-provider; spec.provider overrides it for builtin queries. */
  readonly meshProvider: string;
  /** undefined (or a throw) when the MetricTemplate does not exist. */
  getMetricTemplate(namespace: string, name: string): Promise<MetricTemplate | undefined>;
  /** The Secret's data, base64-decoded; undefined (or a throw) when it does not exist. */
  getSecretData(namespace: string, name: string): Promise<Readonly<Record<string, string>> | undefined>;
  /** Replaces the provider registry (tests). */
  readonly createProvider?: ((input: ProviderFactoryInput) => MetricProvider) | undefined;
  /** The operator's API server access (keptn and externalmetrics templates). */
  readonly kube?: KubeAccess | undefined;
  /** Per-query timeout; the provider default (5s) when unset. */
  readonly queryTimeoutMs?: number | undefined;
  readonly signal?: AbortSignal | undefined;
}

/** Why a check could not produce a value, in Flagger's words. */
export interface Failure {
  readonly message: string;
  readonly failureKind: MetricFailureKind;
  /** Flagger records "no values found" as a Warning event and every other error as Error. */
  readonly eventType: 'Warning' | 'Error';
}

export const errText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export const configFailure = (message: string): Failure => ({
  message,
  failureKind: 'config-error',
  eventType: 'Error',
});

export const isFailure = (v: object): v is Failure => 'failureKind' in v;

export interface ResolvedTemplate {
  readonly template: MetricTemplate;
  readonly provider: MetricProvider;
  /** "Metric template <name>.<ns>", the prefix of Flagger's template error texts. */
  readonly where: string;
}

export class RunContext {
  readonly canary: Canary;
  readonly deps: MetricCheckDeps;
  /** The provider whose builtin queries apply (see resolveMetricsProvider). */
  readonly metricsProvider: string;
  readonly ref: { readonly name: string; readonly namespace: string };
  #builtin: MetricProvider | Failure | undefined;

  constructor(canary: Canary, deps: MetricCheckDeps) {
    this.canary = canary;
    this.deps = deps;
    this.metricsProvider = resolveMetricsProvider(
      canary.spec.provider,
      deps.meshProvider,
      canary.spec.targetRef,
    );
    this.ref = { name: canary.metadata.name, namespace: canaryNamespace(canary) };
  }

  get builtinAddress(): string {
    return this.canary.spec.metricsServer || this.deps.metricsServer;
  }

  #build(input: Omit<ProviderFactoryInput, 'timeoutMs'>): MetricProvider {
    const full: ProviderFactoryInput = {
      ...input,
      timeoutMs: this.deps.queryTimeoutMs,
      kube: this.deps.kube,
    };
    return (this.deps.createProvider ?? createMetricProvider)(full);
  }

  /** The Prometheus client for builtin and inline metrics, built once per run. */
  builtinProvider(): MetricProvider | Failure {
    if (this.#builtin !== undefined) return this.#builtin;
    const address = this.builtinAddress;
    try {
      this.#builtin = this.#build({ provider: { type: 'prometheus', address } });
    } catch (err) {
      this.#builtin = configFailure(
        `Error building Prometheus client for ${redactUrl(address)}: ${errText(err)}`,
      );
    }
    return this.#builtin;
  }

  /** Looks up the metric's MetricTemplate and its Secret, and builds its provider. */
  async templateProvider(metric: CanaryMetric, templateName: string): Promise<ResolvedTemplate | Failure> {
    const ns = templateNamespace(this.canary, metric);
    const where = `Metric template ${templateName}.${ns}`;
    const template = await lookup(() => this.deps.getMetricTemplate(ns, templateName));
    if (!template.ok) return configFailure(`${where} error: ${template.error}`);
    const providerSpec = template.value.spec.provider;
    let credentials: Readonly<Record<string, string>> | undefined;
    const secretName = providerSpec.secretRef?.name;
    if (secretName) {
      // The Secret lives in the template's namespace, never the canary's.
      const secret = await lookup(() => this.deps.getSecretData(ns, secretName));
      if (!secret.ok) return configFailure(`${where} secret ${secretName} error: ${secret.error}`);
      credentials = secret.value;
    }
    try {
      return {
        template: template.value,
        // The metric's interval sets the windowed providers' look-back (10 intervals).
        provider: this.#build({
          provider: providerSpec,
          credentials,
          metricIntervalMs: metric.interval === undefined ? undefined : parseDurationMs(metric.interval),
        }),
        where,
      };
    } catch (err) {
      return configFailure(`${where} provider ${providerSpec.type} error: ${errText(err)}`);
    }
  }

  /** Runs a query; provider failures are returned, the caller's abort propagates. */
  async measure(provider: MetricProvider, query: string): Promise<number | ProviderError> {
    try {
      return await provider.runQuery(query, this.deps.signal);
    } catch (err) {
      if (err instanceof ProviderError) return err;
      if (this.deps.signal?.aborted === true) throw err;
      // Anything else is still a failed check, never a crashed reconcile.
      return new ProviderHttpError(`unexpected provider error: ${errText(err)}`, 0, '');
    }
  }
}

type Lookup<T> = { ok: true; value: T } | { ok: false; error: string };

/** A missing object and a failed lookup both become a message naming what went wrong. */
async function lookup<T>(get: () => Promise<T | undefined>): Promise<Lookup<T>> {
  try {
    const value = await get();
    return value === undefined ? { ok: false, error: 'not found' } : { ok: true, value };
  } catch (err) {
    return { ok: false, error: errText(err) };
  }
}
