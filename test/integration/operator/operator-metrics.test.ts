// The operator's own /metrics during a real rollout: Flagger's metric names and
// labels (so existing dashboards and alert rules work), and /healthz, /readyz.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventually, testEnv } from '../../harness/cluster.js';
import { podinfoCanary, podinfoDeployment } from '../../harness/fixtures.js';
import { FLAGGER_CRDS, installCrds } from '../../harness/kubectl.js';
import { startTestOperator } from '../../harness/operator.js';
import { setImage, virtualServiceWeights, waitForPhase } from '../../harness/canary.js';
import { canaryScenario } from '../../harness/scenario.js';
import { concreteQuery, loadDashboard } from '../../harness/dashboard.js';
import { addScrapeTarget, instantQuery, waitForSeries } from '../../harness/prometheus.js';

async function scrape(port: number): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`);
  assert.equal(res.status, 200);
  return res.text();
}

/** The value of one series, matched by name and an exact label set. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const body = line.slice(name.length + 1, line.lastIndexOf('}'));
    const have = Object.fromEntries(
      body.split(',').map((kv) => {
        const [k = '', v = ''] = kv.split('=');
        return [k, v.replace(/^"|"$/g, '')];
      }),
    );
    if (Object.entries(labels).every(([k, v]) => have[k] === v))
      return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

test('/metrics exports Flagger-compatible series during a real rollout', async (t) => {
  const s = await canaryScenario(t, 'opmetrics', { canary: { analysis: { interval: '2s' } } });
  const { env } = s;
  const port = s.operator?.http.port ?? 0;
  assert.equal((await fetch(`http://127.0.0.1:${port}/healthz`)).status, 200);
  assert.equal((await fetch(`http://127.0.0.1:${port}/readyz`)).status, 200);
  await waitForPhase(env, 'Initialized');
  const ns = env.namespace;
  // Real Prometheus scrapes the operator too, so the shipped dashboard can be checked on real data.
  addScrapeTarget(t, env.cluster, `operator-${ns}`, `127.0.0.1:${port}`);

  const initial = await scrape(port);
  assert.equal(sample(initial, 'flagger_info', { mesh_provider: 'istio' }), 1);
  assert.equal(sample(initial, 'flagger_canary_status', { name: 'podinfo', namespace: ns }), 1);
  assert.equal(sample(initial, 'flagger_canary_total', { namespace: ns }), 1);

  await setImage(env, 'ghcr.io/stefanprodan/podinfo:6.0.1');
  await eventually(
    'weight 20',
    async () => ((await virtualServiceWeights(env))?.canary === 20 ? true : undefined),
    60_000,
  );
  const during = await scrape(port);
  assert.equal(sample(during, 'flagger_canary_status', { name: 'podinfo', namespace: ns }), 0, 'progressing');
  const canaryW = sample(during, 'flagger_canary_weight', { workload: 'podinfo', namespace: ns }) ?? -1;
  const primaryW =
    sample(during, 'flagger_canary_weight', { workload: 'podinfo-primary', namespace: ns }) ?? -1;
  assert.ok(canaryW >= 10 && canaryW + primaryW === 100, `weights ${primaryW}/${canaryW}`);
  const rate = sample(during, 'flagger_canary_metric_analysis', {
    name: 'podinfo',
    namespace: ns,
    metric: 'request-success-rate',
  });
  assert.equal(rate, 100);
  const duration =
    sample(during, 'flagger_canary_metric_analysis', {
      name: 'podinfo',
      namespace: ns,
      metric: 'request-duration',
    }) ?? -1;
  assert.ok(duration > 0 && duration <= 0.5, `request-duration recorded in seconds: ${duration}`);
  assert.equal(
    sample(during, 'flagger_ts_canary_metric_threshold_min', {
      name: 'podinfo',
      namespace: ns,
      metric: 'request-success-rate',
    }),
    99,
  );

  await waitForPhase(env, 'Succeeded', 90_000);
  const after = await scrape(port);
  assert.equal(
    sample(after, 'flagger_canary_successes_total', {
      name: 'podinfo',
      namespace: ns,
      deployment_strategy: 'canary',
      analysis_status: 'completed',
    }),
    1,
  );
  assert.equal(sample(after, 'flagger_canary_status', { name: 'podinfo', namespace: ns }), 1);
  assert.ok((sample(after, 'flagger_ts_reconciles_total', { result: 'success' }) ?? 0) > 5);
  assert.ok((sample(after, 'flagger_ts_kube_api_requests_total', { verb: 'patchStatus' }) ?? 0) > 5);

  // Every query of the shipped Grafana dashboard is valid PromQL on real Prometheus, and
  // the rollout panels show this canary.
  const prom = env.cluster.prometheusUrl;
  await waitForSeries(prom, `flagger_canary_successes_total{namespace="${ns}"}`, 30_000);
  const vars = { namespace: ns, canary: 'podinfo', rate: '1m' };
  const mustShow = new Set([
    'Canary status (0 progressing, 1 done, 2 failed)',
    'Traffic weight',
    'Metric analysis vs threshold',
  ]);
  for (const panel of loadDashboard().panels) {
    for (const target of panel.targets) {
      const rows = await instantQuery(prom, concreteQuery(target.expr, vars));
      if (mustShow.has(panel.title) && target.refId === 'A')
        assert.ok(rows.length > 0, `dashboard panel "${panel.title}" shows data`);
    }
  }
  const reconcileCount =
    sample(after, 'flagger_canary_duration_seconds_count', { name: 'podinfo', namespace: ns }) ?? 0;
  assert.ok(reconcileCount > 5, `flagger_canary_duration_seconds_count ${reconcileCount}`);
});

test('an invalid canary is visible to alerting (flagger_ts_canary_invalid), and clears when fixed', async (t) => {
  const env = await testEnv(t, 'invalidmetric');
  installCrds(env.cluster, FLAGGER_CRDS);
  await env.kube.create(podinfoDeployment(env.namespace));
  // A provider the CRD cannot judge but the operator can: not a router this build has.
  await env.kube.create(podinfoCanary(env.namespace, { provider: 'consul' }));
  const op = await startTestOperator(t, env);
  const ns = env.namespace;
  const value = async (): Promise<number | undefined> =>
    sample(await scrape(op.http.port), 'flagger_ts_canary_invalid', { name: 'podinfo', namespace: ns });
  await eventually('invalid canary reported', async () => ((await value()) === 1 ? true : undefined), 30_000);
  await env.custom.patchNamespacedCustomObject({
    group: 'flagger.app',
    version: 'v1beta1',
    namespace: ns,
    plural: 'canaries',
    name: 'podinfo',
    body: [{ op: 'replace', path: '/spec/provider', value: 'kubernetes' }],
  });
  await eventually('fixed canary cleared', async () => ((await value()) === 0 ? true : undefined), 30_000);
});
