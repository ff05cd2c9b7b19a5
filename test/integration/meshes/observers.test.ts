// Each mesh's builtin queries (request-success-rate, request-duration), rendered by the
// operator's own renderer, run on the real Prometheus against series with the label sets
// that mesh exports. The primary's series are deliberately bad, so a selector that caught
// them would fail the "good" expectations.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { collapseWhitespace, renderQuery } from '../../../src/metrics/render.js';
import { builtinQuery, type BuiltinMetricName } from '../../../src/metrics/observers/observer.js';
import { observerFor, resolveMetricsProvider } from '../../../src/metrics/observers/registry.js';
import { eventually, testEnv } from '../../harness/cluster.js';
import { addScrapeTarget, instantQuery } from '../../harness/prometheus.js';
import { MeshExporter, type Mesh } from './mesh-exporter.js';

const CASES: { provider: string; mesh: Mesh; canary: string; primary: string }[] = [
  { provider: 'linkerd', mesh: 'linkerd', canary: 'podinfo', primary: 'podinfo-primary' },
  { provider: 'osm', mesh: 'osm', canary: 'podinfo', primary: 'podinfo-primary' },
  { provider: 'kuma', mesh: 'kuma', canary: 'podinfo', primary: 'podinfo-primary' },
  { provider: 'appmesh', mesh: 'appmesh', canary: 'podinfo', primary: 'podinfo-primary' },
  { provider: 'appmesh:v1beta2', mesh: 'appmesh', canary: 'podinfo', primary: 'podinfo-primary' },
  // Knative: the canary is the latest created revision, the primary the annotated one.
  { provider: 'knative', mesh: 'knative', canary: 'podinfo-00002', primary: 'podinfo-00001' },
];

async function value(url: string, query: string): Promise<number | undefined> {
  const r = await instantQuery(url, query);
  const v = r[0]?.value;
  return r.length === 1 && v !== undefined && Number.isFinite(v) ? v : undefined;
}

for (const { provider, mesh, canary, primary } of CASES) {
  test(`${provider}: builtin queries on real Prometheus, good then bad canary`, async (t) => {
    const env = await testEnv(t, `obs-${mesh}`);
    const exporter = new MeshExporter(mesh);
    exporter.set({ namespace: env.namespace, name: canary, rps: 50, errorRatio: 0, latencyMs: 40 });
    exporter.set({ namespace: env.namespace, name: primary, rps: 50, errorRatio: 0.9, latencyMs: 2000 });
    addScrapeTarget(t, env.cluster, `obs-${env.namespace}`, await exporter.listen());
    t.after(() => exporter.close());

    const observer = observerFor(provider);
    assert.equal(observer.durationToMs, 1, 'every mesh here reports milliseconds');
    const model = {
      name: 'podinfo',
      namespace: env.namespace,
      target: 'podinfo',
      service: 'podinfo',
      ingress: 'podinfo',
      route: canary,
      interval: '10s',
      variables: {},
    };
    const q = (m: BuiltinMetricName): string =>
      collapseWhitespace(renderQuery(builtinQuery(observer, m), model));
    const url = env.cluster.prometheusUrl;

    const good = await eventually(`${provider} success rate 100`, async () => {
      const v = await value(url, q('request-success-rate'));
      return v !== undefined && v > 99.9 ? v : undefined;
    });
    assert.ok(good <= 100);
    const p99 = await eventually(`${provider} P99 latency`, () => value(url, q('request-duration')));
    // 40 ms requests: the P99 falls in the (25, 50] bucket.
    assert.ok(p99 > 25 && p99 <= 50, `P99 ${p99} ms`);

    exporter.set({ namespace: env.namespace, name: canary, rps: 50, errorRatio: 0.5, latencyMs: 700 });
    const bad = await eventually(`${provider} success rate falling`, async () => {
      const v = await value(url, q('request-success-rate'));
      return v !== undefined && v < 90 ? v : undefined;
    });
    assert.ok(bad > 40, `only the canary's errors count (${bad})`);
    const slow = await eventually(`${provider} P99 rising`, async () => {
      const v = await value(url, q('request-duration'));
      return v !== undefined && v > 500 ? v : undefined;
    });
    assert.ok(slow <= 1000, `P99 ${slow} ms`);
  });
}

test('a linkerd mesh forces the linkerd queries for every canary; others keep their own', () => {
  assert.equal(resolveMetricsProvider('kuma', 'linkerd'), 'linkerd');
  assert.equal(resolveMetricsProvider('smi:v1alpha1:linkerd', 'linkerd'), 'linkerd');
  assert.equal(resolveMetricsProvider('osm', 'istio'), 'osm');
  assert.equal(observerFor(resolveMetricsProvider('knative', 'kuma')).name, 'knative');
  assert.equal(observerFor('smi:v1alpha2:linkerd').name, 'istio', "Flagger's default for smi:*");
});
