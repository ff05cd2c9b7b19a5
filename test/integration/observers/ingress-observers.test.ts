// The builtin request-success-rate / request-duration queries of the contour, gloo, nginx,
// traefik, skipper and apisix observers, run by the real analysis code on the real
// Prometheus against series carrying exactly the labels those routers export. Each router
// publishes a canary series (25 % errors, 40 ms) and a primary one (no errors, 400 ms): the
// expected figures only come out when the query selects the canary alone.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { CanarySchema, type Canary } from '../../../src/api/canary.js';
import { runMetricChecks } from '../../../src/metrics/analysis.js';
import { localCluster } from '../../harness/cluster.js';
import { addScrapeTarget, waitForSeries } from '../../harness/prometheus.js';
import { SeriesExporter, counter, histogram, type Traffic } from './series-exporter.js';

const CANARY: Traffic = { rps: 40, errorRatio: 0.25, latencySeconds: 0.04 };
const PRIMARY: Traffic = { rps: 40, errorRatio: 0, latencySeconds: 0.4 };
const ENVOY_MS = [0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000];
const NGINX_S = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
// Finer than Traefik's default 0.1/0.3/1.2/5, as a user judging latency configures them.
const TRAEFIK_S = [0.01, 0.025, 0.05, 0.1, 0.3, 1.2, 5];
const SKIPPER_S = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const APISIX_MS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000];

/** Envoy (Contour, Gloo): per-cluster upstream requests by response code, and request time in ms. */
function envoy(cluster: string) {
  return (ok: number, errors: number, latency: number): string[] => [
    counter('envoy_cluster_upstream_rq', { envoy_response_code: '200', envoy_cluster_name: cluster }, ok),
    counter('envoy_cluster_upstream_rq', { envoy_response_code: '503', envoy_cluster_name: cluster }, errors),
    ...histogram(
      'envoy_cluster_upstream_rq_time',
      { envoy_cluster_name: cluster },
      ENVOY_MS,
      ok + errors,
      latency * 1000,
    ),
  ];
}

/** ingress-nginx: requests and response time per ingress, `canary` naming the canary upstream ("" otherwise). */
function nginx(ns: string, canaryUpstream: string) {
  const base = {
    canary: canaryUpstream,
    controller_class: 'k8s.io/ingress-nginx',
    controller_namespace: 'ingress-nginx',
    controller_pod: 'ingress-nginx-controller-7d9f8c6b5-x2x9k',
    host: 'app.example.com',
    ingress: 'podinfo',
    method: 'GET',
    namespace: ns,
    path: '/',
    service: 'podinfo',
  };
  return (ok: number, errors: number, latency: number): string[] => [
    counter('nginx_ingress_controller_requests', { ...base, status: '200' }, ok),
    counter('nginx_ingress_controller_requests', { ...base, status: '503' }, errors),
    ...histogram(
      'nginx_ingress_controller_response_duration_seconds',
      { ...base, status: '200' },
      NGINX_S,
      ok,
      latency,
    ),
    ...histogram(
      'nginx_ingress_controller_response_duration_seconds',
      { ...base, status: '503' },
      NGINX_S,
      errors,
      latency,
    ),
  ];
}

/** Traefik: one request-duration histogram per service, code, method and protocol. */
function traefik(service: string) {
  return (ok: number, errors: number, latency: number): string[] =>
    [['200', ok] as const, ['500', errors] as const].flatMap(([code, n]) =>
      histogram(
        'traefik_service_request_duration_seconds',
        { code, method: 'GET', protocol: 'http', service },
        TRAEFIK_S,
        n,
        latency,
      ),
    );
}

/** Skipper (-serve-route-metrics): response and route-serve durations per route id, code and method. */
function skipper(route: string) {
  return (ok: number, errors: number, latency: number): string[] =>
    [['200', ok] as const, ['500', errors] as const].flatMap(([code, n]) => [
      ...histogram(
        'skipper_response_duration_seconds',
        { code, method: 'GET', route },
        SKIPPER_S,
        n,
        latency,
      ),
      ...histogram(
        'skipper_serve_route_duration_seconds',
        { code, method: 'GET', route },
        SKIPPER_S,
        n,
        latency,
      ),
    ]);
}

/** APISIX's prometheus plugin: status per route, and request latency (ms) by type. */
function apisix(route: string) {
  const base = {
    route,
    matched_uri: '/*',
    matched_host: 'app.example.com',
    service: '',
    consumer: '',
    node: '10.0.0.7',
  };
  return (ok: number, errors: number, latency: number): string[] => [
    counter('apisix_http_status', { code: '200', ...base }, ok),
    counter('apisix_http_status', { code: '502', ...base }, errors),
    ...histogram(
      'apisix_http_latency',
      { type: 'request', route, service: '', consumer: '', node: '10.0.0.7' },
      APISIX_MS,
      ok + errors,
      latency * 1000,
    ),
  ];
}

function canaryFor(ns: string, provider: string): Canary {
  return CanarySchema.parse({
    apiVersion: 'flagger.app/v1beta1',
    kind: 'Canary',
    metadata: { name: 'podinfo', namespace: ns },
    spec: {
      provider,
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'podinfo' },
      ingressRef: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'podinfo' },
      routeRef: { apiVersion: 'apisix.apache.org/v2', kind: 'ApisixRoute', name: 'podinfo' },
      service: { port: 9898 },
      analysis: {
        interval: '10s',
        threshold: 5,
        metrics: [
          // Checks stop at the first failing one (as in Flagger), so both thresholds pass.
          { name: 'request-success-rate', thresholdRange: { min: 70 }, interval: '15s' },
          { name: 'request-duration', thresholdRange: { max: 500 }, interval: '15s' },
        ],
      },
    },
  });
}

test('ingress observers: builtin queries on real Prometheus select the canary series of each router', async (t) => {
  const cluster = await localCluster();
  // A namespace with a dash: Skipper route ids carry it as "_", which the skipper observer must encode.
  const ns = `obs-${randomBytes(3).toString('hex')}`;
  const skipperNs = ns.replace(/\W/g, '_');
  const exporter = new SeriesExporter();
  const add = (traffic: Traffic, render: (ok: number, errors: number, latency: number) => string[]): void => {
    exporter.add({ traffic, render });
  };
  add(CANARY, envoy(`${ns}_podinfo-canary_9898`));
  add(PRIMARY, envoy(`${ns}_podinfo-primary_9898`));
  add(CANARY, envoy(`${ns}-podinfo-canaryupstream-9898_${ns}`));
  add(PRIMARY, envoy(`${ns}-podinfo-primaryupstream-9898_${ns}`));
  add(CANARY, nginx(ns, `${ns}-podinfo-canary-80`));
  add(PRIMARY, nginx(ns, ''));
  add(CANARY, traefik(`${ns}-podinfo-canary-9898@kubernetescrd`));
  add(PRIMARY, traefik(`${ns}-podinfo-primary-9898@kubernetescrd`));
  add(CANARY, skipper(`kube_${skipperNs}__podinfo_canary__app_example_com_____podinfo_canary`));
  add(PRIMARY, skipper(`kube_${skipperNs}__podinfo_canary__app_example_com_____podinfo_primary`));
  add(CANARY, apisix(`${ns}_podinfo-podinfo-canary_method`));
  add(PRIMARY, apisix(`${ns}_podinfo_method`));
  addScrapeTarget(t, cluster, `observers-${ns}`, await exporter.listen());
  t.after(() => exporter.close());
  // Two scrapes of every family before any rate over the window can be taken.
  await waitForSeries(cluster.prometheusUrl, `rate(apisix_http_status{route=~"${ns}_.*"}[15s])`);
  await waitForSeries(
    cluster.prometheusUrl,
    `rate(envoy_cluster_upstream_rq{envoy_cluster_name=~"${ns}.*"}[15s])`,
  );

  const deps = {
    metricsServer: cluster.prometheusUrl,
    meshProvider: 'istio',
    getMetricTemplate: () => Promise.resolve(undefined),
    getSecretData: () => Promise.resolve(undefined),
  };
  // P99 interpolates inside the bucket holding 40 ms: (25,50] ms → 49.75, (20,50] ms → 49.7.
  const expected: Record<string, [number, number]> = {
    contour: [49, 49],
    gloo: [49, 49],
    nginx: [39, 40],
    traefik: [49, 49],
    skipper: [39, 40],
    apisix: [49, 49],
  };
  for (const [provider, [minMs, maxMs]] of Object.entries(expected)) {
    const out = await runMetricChecks(canaryFor(ns, provider), deps);
    const [rate, duration] = out;
    assert.ok(rate !== undefined && duration !== undefined, provider);
    assert.equal(rate.failureKind, undefined, `${provider}: ${rate.message}`);
    assert.ok(
      Math.abs((rate.value ?? 0) - 75) < 1,
      `${provider} success rate ${String(rate.value)} (query ${rate.query ?? ''})`,
    );
    assert.equal(rate.passed, true, provider);
    assert.equal(duration.failureKind, undefined, `${provider}: ${duration.message}`);
    const ms = duration.value ?? -1;
    assert.ok(ms >= minMs && ms <= maxMs, `${provider} duration ${ms} ms (query ${duration.query ?? ''})`);
    assert.equal(duration.passed, true, provider);
  }
});
