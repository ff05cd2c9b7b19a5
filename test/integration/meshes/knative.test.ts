// Knative targets on the real API server with Knative Serving's real CRDs (knative.dev/serving
// v0.51.0). Knative's controller does not run here, so knative-standin.ts plays its part
// (revisions, latestCreatedRevisionName, status.traffic); everything flagger-ts reads and
// writes goes through the API server.
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import type { KubeObject } from '../../../src/kube/types.js';
import { testEnv, updateObject, type TestEnv } from '../../harness/cluster.js';
import { readCanary, waitForPhase } from '../../harness/canary.js';
import { podinfoCanary } from '../../harness/fixtures.js';
import { FLAGGER_CRDS, installCrds } from '../../harness/kubectl.js';
import { startTestOperator } from '../../harness/operator.js';
import { addScrapeTarget, waitForSeries } from '../../harness/prometheus.js';
import { applyThirdPartyCrds } from '../../harness/third-party-crds.js';
import { startKnativeStandIn } from './knative-standin.js';
import { inNamespace, tutorialObjects } from './tutorial.js';
import { MeshExporter } from './mesh-exporter.js';

const svcRef = (env: TestEnv): { apiVersion: string; kind: string; namespace: string; name: string } => ({
  apiVersion: 'serving.knative.dev/v1',
  kind: 'Service',
  namespace: env.namespace,
  name: 'podinfo',
});

const trafficOf = (svc: KubeObject | undefined): unknown => {
  const spec = svc?.['spec'];
  return typeof spec === 'object' && spec !== null ? (spec as { traffic?: unknown }).traffic : undefined;
};

async function setup(t: TestContext, prefix: string): Promise<TestEnv> {
  const env = await testEnv(t, prefix);
  installCrds(env.cluster, FLAGGER_CRDS);
  await applyThirdPartyCrds(env.cluster, 'knative-serving');
  return env;
}

test("Flagger's knative tutorial Service and Canary apply unchanged and initialize", async (t) => {
  const env = await setup(t, 'tut-knative');
  const objects = await tutorialObjects('knative-progressive-delivery.md');
  const here = (o: KubeObject): KubeObject => inNamespace(o, env.namespace);
  const service = objects.find((o) => o.kind === 'Service');
  const canary = objects.find((o) => o.kind === 'Canary');
  assert.ok(service && canary, 'the tutorial has a Knative Service and a Canary');
  await env.kube.create(here(service));
  const standIn = startKnativeStandIn(env.kube, env.namespace, 'podinfo');
  t.after(() => standIn.stop());
  await env.kube.create(here(canary));
  await startTestOperator(t, env, { meshProvider: 'knative' });
  await waitForPhase(env, 'Initialized', 60_000);
  const live = await env.kube.get(svcRef(env));
  assert.equal(live?.metadata.annotations?.['flagger.app/primary-revision'], 'podinfo-00001');
  assert.deepEqual(trafficOf(live), [
    { latestRevision: true, percent: 0 },
    { revisionName: 'podinfo-00001', percent: 100 },
  ]);
});

test('knative: a new revision is promoted on good Envoy metrics, the next one rolled back on bad', async (t) => {
  const env = await setup(t, 'knative');
  const exporter = new MeshExporter('knative');
  const traffic = { namespace: env.namespace, rps: 20, latencyMs: 40, errorRatio: 0 };
  for (const rev of ['podinfo-00001', 'podinfo-00002']) exporter.set({ ...traffic, name: rev });
  exporter.set({ ...traffic, name: 'podinfo-00003', errorRatio: 0.5 });
  addScrapeTarget(t, env.cluster, `knative-${env.namespace}`, await exporter.listen());
  t.after(() => exporter.close());
  await waitForSeries(
    env.cluster.prometheusUrl,
    `rate(envoy_cluster_upstream_rq{envoy_cluster_name="${env.namespace}/podinfo-00003"}[10s])`,
  );

  const image = (tag: string): KubeObject => ({
    ...svcRef(env),
    metadata: { name: 'podinfo', namespace: env.namespace },
    spec: { template: { spec: { containers: [{ image: `ghcr.io/stefanprodan/podinfo:${tag}` }] } } },
  });
  await env.kube.create(image('6.0.0'));
  const standIn = startKnativeStandIn(env.kube, env.namespace, 'podinfo');
  t.after(() => standIn.stop());
  const canary = podinfoCanary(env.namespace, {
    provider: 'knative',
    analysis: { stepWeight: 25, maxWeight: 50 },
    spec: { targetRef: { apiVersion: 'serving.knative.dev/v1', kind: 'Service', name: 'podinfo' } },
  });
  await env.kube.create(canary);
  await startTestOperator(t, env, { meshProvider: 'knative' });
  await waitForPhase(env, 'Initialized', 60_000);

  // The stand-in and the operator write the Service too: retried on 409.
  const setTemplate = async (tag: string): Promise<void> => {
    await updateObject(env.kube, svcRef(env), (live) => {
      live['spec'] = {
        ...(live['spec'] as Record<string, unknown>),
        template: (image(tag)['spec'] as { template: unknown }).template,
      };
    });
  };
  const seen = new Set<number>();
  const watch = setInterval(() => {
    void env.kube.get(svcRef(env)).then((s) => {
      const st = (s?.['status'] ?? {}) as { traffic?: { latestRevision?: boolean; percent?: number }[] };
      const w = st.traffic?.find((x) => x.latestRevision === true)?.percent;
      if (typeof w === 'number') seen.add(w);
    });
  }, 100);
  t.after(() => {
    clearInterval(watch);
  });

  await setTemplate('6.0.1');
  await waitForPhase(env, 'Succeeded', 90_000);
  for (const w of [25, 50]) assert.ok(seen.has(w), `canary revision got ${w}%; saw ${[...seen].join(',')}`);
  let live = await env.kube.get(svcRef(env));
  assert.equal(live?.metadata.annotations?.['flagger.app/primary-revision'], 'podinfo-00002', 'promoted');
  const status = ((await readCanary(env))['status'] ?? {}) as { checks?: { query?: string }[] };
  assert.ok(
    (status.checks ?? []).some((c) =>
      c.query?.includes(`envoy_cluster_name=~"${env.namespace}/podinfo-00002"`),
    ),
    'the Knative query judged the new revision',
  );

  await setTemplate('6.0.2');
  const failed = await waitForPhase(env, 'Failed', 90_000);
  assert.equal(failed.canaryWeight, 0);
  live = await env.kube.get(svcRef(env));
  assert.equal(live?.metadata.annotations?.['flagger.app/primary-revision'], 'podinfo-00002', 'primary kept');
  assert.deepEqual(trafficOf(live), [
    { latestRevision: true, percent: 0 },
    { revisionName: 'podinfo-00002', percent: 100 },
  ]);
});
