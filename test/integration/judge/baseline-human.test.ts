// The baseline cohort and "inconclusive → a human" on the real control plane (issue 13): an Istio
// canary with analysis.baseline gets `podinfo-baseline` (the primary's template, the canary's
// replicas) and `podinfo-baseline` Service, the VirtualService routes it the canary's weight out
// of the primary's, and a judged metric 7 % worse (significant, under the 10 % floor) holds the
// canary in Progressing with Inconclusive=True until `flagger-ts promote` (or, after an operator
// restart, `flagger-ts abort`) decides; the baseline is then removed. Samples come from an
// exporter scraped by the real Prometheus, as in prometheus-judge.test.ts.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test, type TestContext } from 'node:test';
import { BufferWriter } from '../../../src/cli/common/output.js';
import { runRequest } from '../../../src/cli/request-command.js';
import { Prng } from '../../../src/judge/prng.js';
import { canaryStatus, readVirtualService, setImage, waitForPhase } from '../../harness/canary.js';
import { eventually, type TestEnv } from '../../harness/cluster.js';
import { addScrapeTarget, waitForSeries } from '../../harness/prometheus.js';
import { canaryScenario, type Scenario } from '../../harness/scenario.js';

/** Per-pod latency every scrape: the canary's pods 7 % slower than the baseline's, little noise. */
function exporter(ns: string): http.Server {
  const rng = new Prng(13);
  const pods = [
    'podinfo-baseline-5f7d9-ab1cd',
    'podinfo-baseline-5f7d9-ef2gh',
    'podinfo-7c8d6-ij3kl',
    'podinfo-7c8d6-mn4op',
  ];
  return http.createServer((_req, res) => {
    const body = pods
      .map((p) => {
        const median = p.startsWith('podinfo-baseline') ? 0.1 : 0.107;
        return `judge_human_latency_seconds{ns="${ns}",pod="${p}"} ${rng.lognormal(median, 0.02)}\n`;
      })
      .join('');
    res.setHeader('content-type', 'text/plain; version=0.0.4');
    res.end(body);
  });
}

async function scenario(t: TestContext, prefix: string): Promise<Scenario> {
  const s = await canaryScenario(t, prefix, {
    canary: {
      analysis: {
        interval: '2s',
        threshold: 2,
        stepWeight: 10,
        maxWeight: 50,
        baseline: { enabled: true, inconclusiveTimeout: '10m' },
        metrics: [],
      },
    },
    start: false,
  });
  const ns = s.env.namespace;
  const server = exporter(ns);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => server.close());
  addScrapeTarget(
    t,
    s.env.cluster,
    `judge-human-${ns}`,
    `127.0.0.1:${(server.address() as AddressInfo).port}`,
  );
  await waitForSeries(s.env.cluster.prometheusUrl, `judge_human_latency_seconds{ns="${ns}"}`);
  // The judged metric goes in once its series exist (the canary is not analysing yet).
  const canary = await s.env.kube.get({
    apiVersion: 'flagger.app/v1beta1',
    kind: 'Canary',
    name: 'podinfo',
    namespace: ns,
  });
  assert.ok(canary);
  const spec = canary['spec'] as { analysis: { metrics: unknown[] } };
  spec.analysis.metrics = [
    {
      name: 'latency',
      interval: '10s',
      query: `judge_human_latency_seconds{ns="${ns}",pod=~"{{ target }}-[0-9a-z]+-[0-9a-z]+"}`,
      judge: { kind: 'latency', step: '1s' },
    },
  ];
  await s.env.kube.replace(canary);
  await s.startOperator();
  return s;
}

interface Destination {
  destination: { host: string };
  weight?: number;
}

async function vsWeights(env: TestEnv): Promise<Record<string, number>> {
  const vs = (await readVirtualService(env)) as { spec?: { http?: { route?: Destination[] }[] } } | undefined;
  return Object.fromEntries(
    (vs?.spec?.http?.[0]?.route ?? []).map((d) => [d.destination.host, d.weight ?? 0]),
  );
}

const baselineRef = (ns: string, kind: 'Deployment' | 'Service') => ({
  apiVersion: kind === 'Service' ? 'v1' : 'apps/v1',
  kind,
  name: 'podinfo-baseline',
  namespace: ns,
});

/** Rolls out 6.0.1 and waits until the judge holds it: Inconclusive=True at weight 10. */
async function untilInconclusive(s: Scenario): Promise<void> {
  const { env } = s;
  await waitForPhase(env, 'Initialized', 60_000);
  await setImage(env, 'ghcr.io/stefanprodan/podinfo:6.0.1');
  await eventually(
    'Inconclusive=True',
    async () => {
      const st = await canaryStatus(env);
      if (st.phase === 'Failed') throw new Error(`failed: ${JSON.stringify(st.raw['checks'])}`);
      const c = st.conditions.find((x) => x.type === 'Inconclusive' && x.status === 'True');
      return c === undefined ? undefined : c;
    },
    90_000,
  );
}

test('baseline cohort on Istio: three-way VirtualService; inconclusive waits in Progressing until flagger-ts promote', async (t) => {
  const s = await scenario(t, 'judge-promote');
  const { env } = s;
  const ns = env.namespace;
  await untilInconclusive(s);
  const held = await canaryStatus(env);
  assert.equal(held.phase, 'Progressing');
  assert.equal(held.conditions.find((c) => c.type === 'Inconclusive')?.reason, 'WaitingForDecision');
  // The baseline runs the primary's version with the canary's replicas, beside its Service.
  const baseline = await env.apps.readNamespacedDeployment({ name: 'podinfo-baseline', namespace: ns });
  assert.equal(baseline.spec?.replicas, 2);
  assert.equal(baseline.spec.template.spec?.containers[0]?.image, 'ghcr.io/stefanprodan/podinfo:6.0.0');
  assert.ok(await env.kube.get(baselineRef(ns, 'Service')));
  await eventually('VirtualService 80/10/10', async () => {
    const w = await vsWeights(env);
    return w['podinfo-primary'] === 80 && w['podinfo-canary'] === 10 && w['podinfo-baseline'] === 10
      ? w
      : undefined;
  });
  // The weight holds over further analysis ticks (their time stamps move on).
  const first = String(held.raw['lastAnalysisTime']);
  const later = await eventually(
    'two more analysis ticks',
    async () => {
      const st = await canaryStatus(env);
      return Date.parse(String(st.raw['lastAnalysisTime'])) >= Date.parse(first) + 4_000 ? st : undefined;
    },
    30_000,
  );
  assert.deepEqual([later.phase, later.canaryWeight], ['Progressing', 10]);
  const events = await env.core.listNamespacedEvent({ namespace: ns });
  const why = events.items.find((e) => e.reason === 'JudgeInconclusive')?.message ?? '';
  assert.match(why, /waiting for flagger-ts promote or abort: latency inconclusive against baseline/);

  const out = new BufferWriter();
  await runRequest(
    'promote',
    'podinfo',
    { kubeconfig: env.cluster.kubeconfig, namespace: ns, timeout: '30s' },
    out,
  );
  await waitForPhase(env, 'Succeeded', 60_000);
  await eventually('baseline removed', async () =>
    (await env.kube.get(baselineRef(ns, 'Deployment'))) === undefined &&
    (await env.kube.get(baselineRef(ns, 'Service'))) === undefined
      ? true
      : undefined,
  );
  assert.deepEqual(await vsWeights(env), { 'podinfo-primary': 100, 'podinfo-canary': 0 });
});

test('a restarted operator finishes the baseline it did not create: abort rolls back and removes it', async (t) => {
  const s = await scenario(t, 'judge-abort');
  const { env } = s;
  const ns = env.namespace;
  await untilInconclusive(s);
  assert.ok(await env.kube.get(baselineRef(ns, 'Deployment')));
  await s.operator?.stop();
  await s.startOperator();
  const out = new BufferWriter();
  await runRequest(
    'abort',
    'podinfo',
    { kubeconfig: env.cluster.kubeconfig, namespace: ns, timeout: '30s' },
    out,
  );
  await waitForPhase(env, 'Failed', 30_000);
  await eventually('baseline removed', async () =>
    (await env.kube.get(baselineRef(ns, 'Deployment'))) === undefined &&
    (await env.kube.get(baselineRef(ns, 'Service'))) === undefined
      ? true
      : undefined,
  );
  const w = await vsWeights(env);
  assert.deepEqual(w, { 'podinfo-primary': 100, 'podinfo-canary': 0 });
});
