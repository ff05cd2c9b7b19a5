import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { httpObserver } from '../../../src/metrics/observers/http.js';
import { istioObserver } from '../../../src/metrics/observers/istio.js';
import { UnsupportedObserverError } from '../../../src/metrics/observers/observer.js';
import { observerFor, resolveMetricsProvider } from '../../../src/metrics/observers/registry.js';
import { type QueryModel, renderQuery } from '../../../src/metrics/render.js';

const model: QueryModel = {
  name: 'podinfo',
  namespace: 'test',
  target: 'podinfo',
  service: 'podinfo',
  ingress: 'podinfo',
  route: 'podinfo',
  interval: '1m',
  variables: {},
};

describe('Istio observer', () => {
  it('keeps the success-rate template verbatim from the behaviour spec (§4.1)', () => {
    assert.equal(
      istioObserver.requestSuccessRate,
      'sum(rate(istio_requests_total{reporter="destination",destination_workload_namespace="{{ namespace }}",destination_workload=~"{{ target }}",response_code!~"5.*"}[{{ interval }}])) / sum(rate(istio_requests_total{reporter="destination",destination_workload_namespace="{{ namespace }}",destination_workload=~"{{ target }}"}[{{ interval }}])) * 100',
    );
  });

  it('renders request-success-rate exactly', () => {
    assert.equal(
      renderQuery(istioObserver.requestSuccessRate, model),
      'sum(rate(istio_requests_total{reporter="destination",destination_workload_namespace="test",destination_workload=~"podinfo",response_code!~"5.*"}[1m])) / sum(rate(istio_requests_total{reporter="destination",destination_workload_namespace="test",destination_workload=~"podinfo"}[1m])) * 100',
    );
  });

  it('renders request-duration exactly (P99, milliseconds)', () => {
    assert.equal(
      renderQuery(istioObserver.requestDuration, model),
      'histogram_quantile(0.99, sum(rate(istio_request_duration_milliseconds_bucket{reporter="destination",destination_workload_namespace="test",destination_workload=~"podinfo"}[1m])) by (le))',
    );
    assert.equal(istioObserver.durationToMs, 1);
  });
});

describe('HTTP observer (kubernetes, gatewayapi)', () => {
  it('renders both queries exactly, with durations in seconds', () => {
    const sel = 'kubernetes_namespace="test",kubernetes_pod_name=~"podinfo-[0-9a-zA-Z]+(-[0-9a-zA-Z]+)"';
    assert.equal(
      renderQuery(httpObserver.requestSuccessRate, { ...model, interval: '30s' }),
      `sum(rate(http_request_duration_seconds_count{${sel},status!~"5.*"}[30s])) / sum(rate(http_request_duration_seconds_count{${sel}}[30s])) * 100`,
    );
    assert.equal(
      renderQuery(httpObserver.requestDuration, model),
      `histogram_quantile(0.99, sum(rate(http_request_duration_seconds_bucket{${sel}}[1m])) by (le))`,
    );
    assert.equal(httpObserver.durationToMs, 1000);
  });
});

describe('observer registry', () => {
  it('maps providers to observers', () => {
    assert.equal(observerFor('istio'), istioObserver);
    assert.equal(observerFor('smi:v1alpha3:istio'), istioObserver);
    assert.equal(observerFor('crossover'), istioObserver);
    assert.equal(observerFor('kubernetes'), httpObserver);
    assert.equal(observerFor('gatewayapi:v1'), httpObserver);
    assert.equal(observerFor('gatewayapi:v1beta1'), httpObserver);
  });

  it('maps the ingress providers to their own observers (gloo by prefix)', () => {
    const names = ['contour', 'gloo', 'gloo:v2', 'nginx', 'skipper', 'traefik', 'apisix'].map(
      (p) => observerFor(p).name,
    );
    assert.deepEqual(names, ['contour', 'gloo', 'gloo', 'nginx', 'skipper', 'traefik', 'apisix']);
  });

  it('refuses unknown providers instead of guessing Istio', () => {
    assert.throws(
      () => observerFor('consul'),
      (e: unknown) => e instanceof UnsupportedObserverError && /unknown provider "consul"/.test(e.message),
    );
  });

  it('resolves the metrics provider like Flagger', () => {
    assert.equal(resolveMetricsProvider(undefined, 'istio'), 'istio');
    assert.equal(resolveMetricsProvider('kubernetes', 'istio'), 'kubernetes');
    assert.equal(resolveMetricsProvider('', 'kubernetes'), 'kubernetes');
    assert.equal(resolveMetricsProvider(undefined, 'smi:crossover'), 'crossover');
    assert.equal(resolveMetricsProvider('kubernetes', 'linkerd'), 'linkerd');
    assert.equal(resolveMetricsProvider(undefined, ''), 'istio');
  });
});
