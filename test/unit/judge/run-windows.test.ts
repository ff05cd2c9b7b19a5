// Count queries (errors, histograms) are instant queries at the window's end, so the run window
// must render `{{ interval }}` as the run's length: otherwise it would count the last interval
// again. Range queries (latency) keep the metric's interval inside each point.
import { after, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Canary } from '../../../src/api/canary.js';
import { runJudgedMetrics } from '../../../src/judge/run.js';
import { startStub, type StubServer } from '../metrics/stub-server.js';
import { progressingBaselineCanary } from './fixtures.js';

const NOW = Date.parse('2026-01-01T00:10:00Z');
const servers: StubServer[] = [];
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

function canary(kind: 'errors' | 'latency'): Canary {
  const q =
    kind === 'errors'
      ? 'sum(increase(bad{pod=~"{{ target }}-.*"}[{{ interval }}]))'
      : 'rate(x{pod=~"{{ target }}-.*"}[{{ interval }}])';
  return progressingBaselineCanary([
    {
      name: 'm',
      interval: '2m',
      query: q,
      judge: kind === 'errors' ? { kind, requestsQuery: q.replace('bad', 'all') } : { kind },
    },
  ]);
}

async function queriesSent(kind: 'errors' | 'latency'): Promise<string[]> {
  const s = await startStub((req, res) => {
    const range = req.url.pathname.endsWith('query_range');
    const value = req.url.searchParams.get('query')?.startsWith('sum(increase(all') === true ? '5000' : '5';
    const result = range
      ? [{ metric: {}, values: [[NOW / 1000, '1']] }]
      : [{ metric: {}, value: [NOW / 1000, value] }];
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ status: 'success', data: { resultType: range ? 'matrix' : 'vector', result } }));
  });
  servers.push(s);
  const c = canary(kind);
  const deps = {
    metricsServer: s.url,
    meshProvider: 'istio',
    getMetricTemplate: () => Promise.resolve(undefined),
    getSecretData: () => Promise.resolve(undefined),
  };
  await runJudgedMetrics(c, c.spec.analysis.metrics ?? [], deps, NOW);
  return s.requests.map((r) => r.url.searchParams.get('query') ?? '');
}

it('errors: the interval window counts over the metric interval, the run window over the whole run (600 s)', async () => {
  const q = await queriesSent('errors');
  assert.ok(q.includes('sum(increase(bad{pod=~"podinfo-.*"}[2m]))'), q.join('\n'));
  assert.ok(q.includes('sum(increase(bad{pod=~"podinfo-baseline-.*"}[600s]))'), q.join('\n'));
  assert.ok(q.includes('sum(increase(all{pod=~"podinfo-.*"}[600s]))'), q.join('\n'));
});

it('latency: both windows keep the metric interval inside each range point', async () => {
  const q = await queriesSent('latency');
  assert.ok(q.length >= 4 && q.every((x) => x.endsWith('[2m])')), q.join('\n'));
});
