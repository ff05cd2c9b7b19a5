// Mirrors Flagger's TestController_checkMetricProviderAvailability (behaviour spec §9.4).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { MetricTemplate } from '../../../src/api/metric-template.js';
import type { MetricCheckDeps } from '../../../src/metrics/analysis.js';
import { PROVIDERS_AVAILABLE_MESSAGE, checkProvidersAvailable } from '../../../src/metrics/availability.js';
import { type StubServer, closedPort, sendJson, startStub, vectorBody } from './stub-server.js';
import { canary, metricTemplate } from './fixtures.js';

let prom: StubServer;
let dead: string;
before(async () => {
  prom = await startStub((_req, res) => {
    sendJson(res, 200, vectorBody('1'));
  });
  dead = `http://127.0.0.1:${await closedPort()}`;
});
after(async () => {
  await prom.close();
});

function deps(
  templates: MetricTemplate[] = [],
  over: Partial<MetricCheckDeps> = {},
): MetricCheckDeps & { asked: string[] } {
  const asked: string[] = [];
  return {
    metricsServer: prom.url,
    meshProvider: 'istio',
    asked,
    getMetricTemplate: (ns, name) => {
      asked.push(`${ns}/${name}`);
      return Promise.resolve(templates.find((t) => t.metadata.name === name && t.metadata.namespace === ns));
    },
    getSecretData: () => Promise.resolve(undefined),
    ...over,
  };
}

const builtin = [
  { name: 'request-success-rate', thresholdRange: { min: 99 } },
  { name: 'request-duration', threshold: 500 },
];

describe('checkProvidersAvailable', () => {
  it('accepts a reachable Prometheus for builtin metrics, querying it once', async () => {
    prom.requests.length = 0;
    const r = await checkProvidersAvailable(canary(builtin), deps());
    assert.deepEqual(r, { available: true, message: PROVIDERS_AVAILABLE_MESSAGE });
    assert.equal(prom.requests.length, 1);
    assert.equal(prom.requests[0]?.url.searchParams.get('query'), 'vector(1)');
  });

  it('reports an unreachable global metrics server', async () => {
    const r = await checkProvidersAvailable(canary(builtin), deps([], { metricsServer: dead }));
    assert.equal(r.available, false);
    assert.match(r.message, /^prometheus at http:\/\/127\.0\.0\.1:\d+\/ not available: .*ECONNREFUSED/);
  });

  it('lets spec.metricsServer override the global server', async () => {
    const r = await checkProvidersAvailable(
      canary(builtin, { metricsServer: prom.url }),
      deps([], { metricsServer: dead }),
    );
    assert.equal(r.available, true);
  });

  it('reports a missing template', async () => {
    const r = await checkProvidersAvailable(
      canary([{ name: 'x', templateRef: { name: 'nope', namespace: 'other' } }]),
      deps(),
    );
    assert.deepEqual(r, { available: false, message: 'Metric template nope.other error: not found' });
  });

  it('accepts an existing template whose provider is online', async () => {
    const t = metricTemplate('rate', 'other', {
      provider: { type: 'prometheus', address: prom.url },
      query: 'q',
    });
    const r = await checkProvidersAvailable(
      canary([{ name: 'x', templateRef: { name: 'rate', namespace: 'other' } }]),
      deps([t]),
    );
    assert.equal(r.available, true);
  });

  it('resolves a templateRef without namespace in the canary namespace', async () => {
    const t = metricTemplate('rate', 'test', {
      provider: { type: 'prometheus', address: prom.url },
      query: 'q',
    });
    const d = deps([t]);
    const r = await checkProvidersAvailable(canary([{ name: 'x', templateRef: { name: 'rate' } }]), d);
    assert.equal(r.available, true);
    assert.deepEqual(d.asked, ['test/rate']);
  });

  it('reports a template provider that is offline', async () => {
    const t = metricTemplate('rate', 'test', { provider: { type: 'prometheus', address: dead }, query: 'q' });
    const r = await checkProvidersAvailable(
      canary([{ name: 'x', templateRef: { name: 'rate' } }]),
      deps([t]),
    );
    assert.equal(r.available, false);
    assert.match(r.message, /^prometheus in metric template rate\.test not available: /);
  });

  it('reports a mesh provider without builtin metrics at init', async () => {
    const r = await checkProvidersAvailable(canary(builtin, { provider: 'nosuchmesh' }), deps());
    assert.deepEqual(r, {
      available: false,
      message: 'no builtin metrics observer for unknown provider "nosuchmesh"',
    });
  });

  it('does not check inline queries (as Flagger)', async () => {
    const r = await checkProvidersAvailable(
      canary([{ name: 'q', query: 'up' }]),
      deps([], { metricsServer: dead }),
    );
    assert.equal(r.available, true);
  });
});
