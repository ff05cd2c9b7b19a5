// A full canary promotion on the real control plane, judged by real Prometheus:
// Istio-shaped metrics from a loopback exporter, weights observed on the VirtualService.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IstioExporter } from '../../../hack/demo/istio-exporter.js';
import { testEnv } from '../../harness/cluster.js';
import {
  canaryStatus,
  deploymentImage,
  deploymentReplicas,
  setImage,
  virtualServiceWeights,
  waitForPhase,
  watchCanaryWeights,
} from '../../harness/canary.js';
import { podinfoCanary, podinfoDeployment } from '../../harness/fixtures.js';
import { FLAGGER_CRDS, installCrds } from '../../harness/kubectl.js';
import { addScrapeTarget, waitForSeries } from '../../harness/prometheus.js';
import { startTestOperator } from '../../harness/operator.js';
import { applyThirdPartyCrds } from '../../harness/third-party-crds.js';

test('canary promotion: weights 10→50 on the VirtualService, then Succeeded', async (t) => {
  const env = await testEnv(t, 'promote');
  installCrds(env.cluster, FLAGGER_CRDS);
  await applyThirdPartyCrds(env.cluster, 'istio');
  const exporter = new IstioExporter();
  exporter.set({ namespace: env.namespace, workload: 'podinfo', rps: 20, errorRatio: 0, latencyMs: 40 });
  addScrapeTarget(t, env.cluster, `promote-${env.namespace}`, await exporter.listen());
  t.after(() => exporter.close());

  await env.kube.create(podinfoDeployment(env.namespace));
  await env.kube.create(podinfoCanary(env.namespace));
  await startTestOperator(t, env);

  const init = await waitForPhase(env, 'Initialized');
  assert.equal(init.conditions.find((c) => c.type === 'Promoted')?.status, 'True');
  assert.equal(await deploymentImage(env, 'podinfo-primary'), 'ghcr.io/stefanprodan/podinfo:6.0.0');
  assert.equal(await deploymentReplicas(env, 'podinfo'), 0, 'target scaled to zero after init');
  const apex = await env.core.readNamespacedService({ name: 'podinfo', namespace: env.namespace });
  assert.deepEqual(apex.spec?.selector, { app: 'podinfo-primary' });
  assert.deepEqual(await virtualServiceWeights(env), { primary: 100, canary: 0, mirror: false });

  // The canary's traffic must be visible as a rate before analysis can judge it.
  await waitForSeries(
    env.cluster.prometheusUrl,
    `rate(istio_requests_total{destination_workload_namespace="${env.namespace}"}[10s])`,
  );
  const weights = await watchCanaryWeights(t, env);
  await setImage(env, 'ghcr.io/stefanprodan/podinfo:6.0.1');
  await waitForPhase(env, 'Succeeded', 90_000);
  weights.stop();

  const seen = weights.values;
  for (const w of [10, 20, 30, 40, 50])
    assert.ok(seen.includes(w), `canary weight ${w} observed; saw ${seen.join(',')}`);
  assert.equal(seen.at(-1), 0, 'all traffic back on the primary');
  assert.equal(
    await deploymentImage(env, 'podinfo-primary'),
    'ghcr.io/stefanprodan/podinfo:6.0.1',
    'primary promoted',
  );
  assert.equal(await deploymentReplicas(env, 'podinfo'), 0, 'canary scaled down');
  const final = await canaryStatus(env);
  assert.equal(final.failedChecks, 0);
  assert.equal(final.raw['lastPromotedSpec'], final.raw['lastAppliedSpec']);
});
