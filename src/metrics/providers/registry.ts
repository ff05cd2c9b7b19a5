// MetricTemplate provider type → provider factory.
//
// Flagger falls back to Prometheus for an unknown type; here an unknown type is a
// ProviderConfigError naming it, so a template is never silently sent to the wrong
// backend. The factory gets what Flagger's factory gets: the metric's interval (the
// windowed providers look back 10 intervals), the template's provider spec, the
// decoded Secret, and the operator's Kubernetes access (keptn, externalmetrics).
import type { MetricProviderType, MetricTemplateProvider } from '../../api/metric-template.js';
import type { KubeClient } from '../../kube/client.js';
import type { ApiServerAccess } from '../../kube/transport.js';
import { createCloudWatch } from './cloudwatch.js';
import { createDatadog } from './datadog.js';
import { createDynatrace } from './dynatrace.js';
import { createExternalMetrics } from './externalmetrics.js';
import { createGraphite } from './graphite.js';
import { createInfluxdb } from './influxdb.js';
import { createKeptn } from './keptn.js';
import { createNewRelic } from './newrelic.js';
import { type MetricProvider, ProviderConfigError } from './provider.js';
import { PrometheusProvider } from './prometheus.js';
import { createSplunk } from './splunk.js';
import { createStackdriver } from './stackdriver.js';

/** The operator's own API server access, for providers that read Kubernetes objects. */
export interface KubeAccess {
  readonly client: KubeClient;
  /** The operator's transport (or, in tests, a client-node KubeConfig). */
  readonly kubeConfig: ApiServerAccess;
}

export interface ProviderFactoryInput {
  readonly provider: MetricTemplateProvider;
  /** Decoded data of provider.secretRef's Secret, when it has one. */
  readonly credentials?: Readonly<Record<string, string>> | undefined;
  /** Overrides the provider's default query timeout (tests use short ones). */
  readonly timeoutMs?: number | undefined;
  /** The canary metric's interval in ms (1m when unset); the look-back window derives from it. */
  readonly metricIntervalMs?: number | undefined;
  /** Needed by keptn and externalmetrics only. */
  readonly kube?: KubeAccess | undefined;
  /** The clock for query windows (tests pin it). */
  readonly now?: (() => number) | undefined;
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
  ['datadog', createDatadog],
  ['newrelic', createNewRelic],
  ['dynatrace', createDynatrace],
  ['graphite', createGraphite],
  ['influxdb', createInfluxdb],
  ['stackdriver', createStackdriver],
  ['cloudwatch', createCloudWatch],
  ['splunk', createSplunk],
  ['keptn', createKeptn],
  ['externalmetrics', createExternalMetrics],
]);

export function isSupportedProviderType(type: string): boolean {
  return FACTORIES.has(type);
}

/** Builds the provider for a MetricTemplate; throws ProviderConfigError when it cannot. */
export function createMetricProvider(input: ProviderFactoryInput): MetricProvider {
  const type = input.provider.type;
  const factory = FACTORIES.get(type);
  if (factory === undefined) {
    throw new ProviderConfigError(`unknown metrics provider type ${type}`);
  }
  return factory(input);
}
