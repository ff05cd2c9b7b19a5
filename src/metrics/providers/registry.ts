// MetricTemplate provider type → provider factory.
//
// Flagger falls back to Prometheus for an unknown type; here every type without an
// implementation is a ProviderConfigError naming it, so a Datadog template is never
// silently sent to a Prometheus address.
import type { MetricProviderType, MetricTemplateProvider } from '../../api/metric-template.js';
import { type MetricProvider, ProviderConfigError } from './provider.js';
import { PrometheusProvider } from './prometheus.js';

export interface ProviderFactoryInput {
  readonly provider: MetricTemplateProvider;
  /** Decoded data of provider.secretRef's Secret, when it has one. */
  readonly credentials?: Readonly<Record<string, string>> | undefined;
  /** Overrides the provider's default query timeout (tests use short ones). */
  readonly timeoutMs?: number | undefined;
}

export type ProviderFactory = (input: ProviderFactoryInput) => MetricProvider;

const createPrometheus: ProviderFactory = ({ provider, credentials, timeoutMs }) => {
  if (!provider.address) throw new ProviderConfigError('prometheus address is not set');
  return new PrometheusProvider({
    address: provider.address,
    headers: provider.headers,
    credentials,
    insecureSkipVerify: provider.insecureSkipVerify,
    timeoutMs,
  });
};

const FACTORIES: ReadonlyMap<string, ProviderFactory> = new Map<MetricProviderType, ProviderFactory>([
  ['prometheus', createPrometheus],
]);

export function isSupportedProviderType(type: string): boolean {
  return FACTORIES.has(type);
}

/** Builds the provider for a MetricTemplate; throws ProviderConfigError when it cannot. */
export function createMetricProvider(input: ProviderFactoryInput): MetricProvider {
  const type = input.provider.type;
  const factory = FACTORIES.get(type);
  if (factory === undefined) {
    throw new ProviderConfigError(`metrics provider type ${type} is not supported yet`);
  }
  return factory(input);
}
