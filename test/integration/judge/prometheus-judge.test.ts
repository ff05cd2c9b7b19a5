// The judge on the real local Prometheus: an exporter on loopback publishes a latency gauge and
// request/error counters for ten canary pods and ten primary pods; Prometheus scrapes it every
// second; runJudgedMetrics renders the queries per cohort, reads range and instant results and
// judges them. No cluster objects are needed, only Prometheus.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import type { Canary } from '../../../src/api/canary.js';
import { Prng } from '../../../src/judge/prng.js';
import { runJudgedMetrics } from '../../../src/judge/run.js';
import { localCluster } from '../../harness/cluster.js';
import { addScrapeTarget, waitForSeries } from '../../harness/prometheus.js';

const PODS = 10;
const pod = (cohort: 'canary' | 'primary', i: number): string =>
  cohort === 'canary' ? `podinfo-7d9f${i}-x${i}z` : `podinfo-primary-6c8b${i}-y${i}w`;

/** Each scrape: a fresh latency per pod (canary 30 % slower), 200 requests per pod, errors 0.5 % vs 0.1 %. */
function exporter(run: string): http.Server {
  const rng = new Prng(7);
  const requests = new Map<string, number>();
  const errors = new Map<string, number>();
  return http.createServer((_req, res) => {
    let body = '';
    for (const cohort of ['canary', 'primary'] as const) {
      for (let i = 0; i < PODS; i++) {
        const p = pod(cohort, i);
        const latency = rng.lognormal(cohort === 'canary' ? 0.13 : 0.1, 0.3);
        const equal = 0.1 + (i % 5) * 0.01; // identical in both cohorts
        requests.set(p, (requests.get(p) ?? 0) + 200);
        errors.set(p, (errors.get(p) ?? 0) + rng.binomial(200, cohort === 'canary' ? 0.005 : 0.001));
        const labels = `run="${run}",pod="${p}"`;
        body += `judge_it_latency_seconds{${labels}} ${latency}\n`;
        body += `judge_it_equal_seconds{${labels}} ${equal}\n`;
        body += `judge_it_requests_total{${labels}} ${requests.get(p) ?? 0}\n`;
        body += `judge_it_errors_total{${labels}} ${errors.get(p) ?? 0}\n`;
      }
    }
    res.setHeader('content-type', 'text/plain; version=0.0.4');
    res.end(body);
  });
}

test('judged metrics on real Prometheus: slower and more erroneous canary fails, equal one passes', async (t) => {
  const cluster = await localCluster();
  const run = `judge-${randomBytes(4).toString('hex')}`;
  const server = exporter(run);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => server.close());
  addScrapeTarget(t, cluster, run, `127.0.0.1:${(server.address() as AddressInfo).port}`);
  const sel = `run="${run}",pod=~"{{ target }}-[0-9a-z]+-[0-9a-z]+"`;
  await waitForSeries(cluster.prometheusUrl, `judge_it_latency_seconds{run="${run}"}`);
  // 25 s of 1 s scrapes: ≥ 20 points × 10 pods per cohort in a 20 s window
  await new Promise((r) => setTimeout(r, 25_000));

  const canary: Canary = {
    apiVersion: 'flagger.app/v1beta1',
    kind: 'Canary',
    metadata: { name: 'podinfo', namespace: 'test' },
    spec: {
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'podinfo' },
      service: { port: 9898 },
      analysis: {
        interval: '20s',
        threshold: 2,
        stepWeight: 10,
        metrics: [
          {
            name: 'latency',
            interval: '20s',
            query: `judge_it_latency_seconds{${sel}}`,
            judge: { kind: 'latency', step: '1s', against: 'primary' },
          },
          {
            name: 'equal',
            interval: '20s',
            query: `judge_it_equal_seconds{${sel}}`,
            judge: { kind: 'latency', step: '1s', against: 'primary' },
          },
          {
            name: 'errors',
            interval: '20s',
            query: `sum(increase(judge_it_errors_total{${sel}}[{{ interval }}]))`,
            judge: {
              kind: 'errors',
              against: 'primary',
              requestsQuery: `sum(increase(judge_it_requests_total{${sel}}[{{ interval }}]))`,
            },
          },
        ],
      },
    },
  };
  const deps = {
    metricsServer: cluster.prometheusUrl,
    meshProvider: 'istio',
    getMetricTemplate: () => Promise.resolve(undefined),
    getSecretData: () => Promise.resolve(undefined),
  };
  const [latency, equal, errors] = await runJudgedMetrics(
    canary,
    canary.spec.analysis.metrics ?? [],
    deps,
    Date.now(),
  );
  const show = JSON.stringify({ latency: latency?.message, equal: equal?.message, errors: errors?.message });
  assert.equal(latency?.judge?.verdict, 'fail', show);
  const w = latency.judge.evidence.windows[0];
  assert.ok(w && w.baseline.n >= 150 && w.canary.n >= 150, show);
  assert.match(w.baseline.query ?? '', /podinfo-primary-\[0-9a-z\]/);
  assert.equal(equal?.judge?.verdict, 'pass', show);
  assert.equal(errors?.judge?.verdict, 'fail', show);
  const e = errors.judge.evidence.windows[0];
  assert.ok(e && (e.canary.total ?? 0) > 10_000 && (e.baseline.total ?? 0) > 10_000, show);
  assert.equal(e.tests?.[0]?.test, 'fisher-exact');
});
