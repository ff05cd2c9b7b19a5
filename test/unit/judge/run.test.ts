// A judged metric from the Canary spec to the core's observation, against a local Prometheus
// stand-in that answers range queries per cohort (the rendered query names the cohort's pods).
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Canary } from '../../../src/api/canary.js';
import type { MetricJudge } from '../../../src/api/judge.js';
import { Prng } from '../../../src/judge/prng.js';
import { combineWindows, runJudgedMetrics } from '../../../src/judge/run.js';
import type { MetricCheckDeps } from '../../../src/metrics/run-context.js';
import { startStub, type StubServer } from '../metrics/stub-server.js';
import { progressingBaselineCanary } from './fixtures.js';

const NOW = Date.parse('2026-01-01T00:10:00Z');
const servers: StubServer[] = [];
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

/** Range answers: 15 points × 10 pods per cohort; the canary's median is `canaryMedian`. */
async function prometheus(canaryMedian: number): Promise<StubServer> {
  const s = await startStub((req, res) => {
    const q = req.url.searchParams.get('query') ?? '';
    const rng = new Prng(q.length * 7919);
    const median = /podinfo-(baseline|primary)/.test(q) ? 100 : canaryMedian;
    const series = Array.from({ length: 10 }, (_, pod) => ({
      metric: { pod: `p${pod}` },
      values: Array.from({ length: 15 }, (_, i) => [
        NOW / 1000 - 150 + i * 10,
        String(rng.lognormal(median, 0.3)),
      ]),
    }));
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: series } }));
  });
  servers.push(s);
  return s;
}

function canary(judge: MetricJudge): Canary {
  return progressingBaselineCanary([
    {
      name: 'p99',
      interval: '2m',
      query: 'p99{pod=~"{{ target }}-.*",c="{{ variables.cohort }}"}',
      judge,
    },
  ]);
}

function deps(url: string): MetricCheckDeps {
  return {
    metricsServer: url,
    meshProvider: 'istio',
    getMetricTemplate: () => Promise.resolve(undefined),
    getSecretData: () => Promise.resolve(undefined),
  };
}

describe('judged metric run', () => {
  it('a 30 % slower canary fails with evidence for both windows and both rendered queries', async () => {
    const s = await prometheus(130);
    const c = canary({ kind: 'latency' });
    const [o] = await runJudgedMetrics(c, c.spec.analysis.metrics ?? [], deps(s.url), NOW);
    assert.ok(o?.judge);
    assert.equal(o.passed, false);
    assert.equal(o.judge.verdict, 'fail');
    assert.equal(o.judge.evidence.against, 'baseline');
    assert.deepEqual(
      o.judge.evidence.windows.map((w) => w.window),
      ['interval', 'run'],
    );
    const w = o.judge.evidence.windows[0];
    assert.ok(w);
    assert.equal(w.canary.query, 'p99{pod=~"podinfo-.*",c="canary"}');
    assert.equal(w.baseline.query, 'p99{pod=~"podinfo-baseline-.*",c="baseline"}');
    assert.equal(w.baseline.n, 150);
    assert.ok((w.tests?.[0]?.pvalue ?? 1) < 0.005);
    // the interval window spans the metric interval, the run window starts at the analysis start
    const starts = s.requests.map((r) => Number(r.url.searchParams.get('start')));
    assert.ok(
      starts.includes(NOW / 1000 - 120) && starts.includes(Date.parse('2026-01-01T00:00:00Z') / 1000),
    );
    assert.match(o.message, /^p99 fail against baseline over the interval: location \+/);
  });

  it('an equal canary passes; a dry-run failure passes the check but keeps its verdict', async () => {
    const equal = await prometheus(100);
    const c1 = canary({ kind: 'latency' });
    const [pass] = await runJudgedMetrics(c1, c1.spec.analysis.metrics ?? [], deps(equal.url), NOW);
    assert.equal(pass?.judge?.verdict, 'pass');
    const slow = await prometheus(150);
    const c2 = canary({ kind: 'latency', dryRun: true, against: 'primary' });
    const [dry] = await runJudgedMetrics(c2, c2.spec.analysis.metrics ?? [], deps(slow.url), NOW);
    assert.ok(dry?.judge);
    assert.equal(dry.passed, true);
    assert.equal(dry.judge.verdict, 'fail');
    assert.equal(dry.judge.evidence.dryRun, true);
    assert.equal(dry.judge.evidence.windows[0]?.baseline.query, 'p99{pod=~"podinfo-primary-.*",c="primary"}');
  });

  it('an unreachable Prometheus fails the check as an error (a dry run does not)', async () => {
    const c = canary({ kind: 'latency' });
    const [o] = await runJudgedMetrics(c, c.spec.analysis.metrics ?? [], deps('http://127.0.0.1:1'), NOW);
    assert.ok(o);
    assert.equal(o.passed, false);
    assert.equal(o.failureKind, 'error');
    assert.match(o.message, /judge query failed/);
  });

  it('windows combine as fail > inconclusive > pass > wait', () => {
    assert.equal(combineWindows(['wait', 'pass']), 'pass');
    assert.equal(combineWindows(['pass', 'inconclusive']), 'inconclusive');
    assert.equal(combineWindows(['inconclusive', 'fail']), 'fail');
    assert.equal(combineWindows(['wait', 'wait']), 'wait');
  });
});
