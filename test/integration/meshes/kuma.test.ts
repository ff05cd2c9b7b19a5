// Kuma's cluster-scoped TrafficRoute (kuma.io v1.8.1 CRD) with Kuma data plane telemetry, and
// Flagger's kuma tutorial Canary applied unchanged. The tests share the cluster-wide route name
// `podinfo`, so they live in this one file and run in order.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { waitForPhase } from '../../harness/canary.js';
import { testEnv } from '../../harness/cluster.js';
import { podinfoDeployment } from '../../harness/fixtures.js';
import { FLAGGER_CRDS, installCrds } from '../../harness/kubectl.js';
import { startTestOperator } from '../../harness/operator.js';
import { applyMeshCrds } from './crds.js';
import { runMeshCanary } from './mesh-canary.js';
import { inNamespace, isDeploymentCanary, tutorialObjects } from './tutorial.js';

test('kuma: cluster-scoped TrafficRoute in the annotated mesh; promote then roll back', async (t) => {
  const ref = { apiVersion: 'kuma.io/v1alpha1', kind: 'TrafficRoute', name: 'podinfo' };
  const run = await runMeshCanary(t, {
    provider: 'kuma',
    mesh: 'kuma',
    crds: ['kuma'],
    annotations: { 'kuma.io/mesh': 'payments' },
  });
  // Cluster-scoped and unowned, so deleting the namespace leaves it: remove it for the next run.
  t.after(() => run.env.kube.delete(ref));
  const tr = await run.env.kube.get(ref);
  assert.ok(tr, 'TrafficRoute podinfo');
  assert.equal(tr['mesh'], 'payments');
  assert.equal(tr.metadata.ownerReferences, undefined);
});

test("Flagger's kuma tutorial Canary applies unchanged and initialises (TrafficRoute in its mesh)", async (t) => {
  const env = await testEnv(t, 'tut-kuma');
  installCrds(env.cluster, FLAGGER_CRDS);
  await applyMeshCrds(env.cluster, 'kuma');
  const canary = (await tutorialObjects('kuma-progressive-delivery.md')).find(isDeploymentCanary);
  assert.ok(canary, 'a Canary in the kuma tutorial');
  // TrafficRoutes are cluster-wide and named after the Service: only one run may own `podinfo`.
  const trRef = { apiVersion: 'kuma.io/v1alpha1', kind: 'TrafficRoute', name: 'podinfo' };
  t.after(() => env.kube.delete(trRef));
  await env.kube.create(podinfoDeployment(env.namespace));
  await env.kube.create(inNamespace(canary, env.namespace));
  await startTestOperator(t, env, { meshProvider: 'kuma' });
  await waitForPhase(env, 'Initialized', 60_000);
  const tr = await env.kube.get(trRef);
  assert.equal(tr?.['mesh'], 'default');
  const apex = await env.kube.get({
    apiVersion: 'v1',
    kind: 'Service',
    namespace: env.namespace,
    name: 'podinfo',
  });
  assert.equal(
    apex?.metadata.annotations?.['9898.service.kuma.io/protocol'],
    'http',
    'service.apex annotations',
  );
});
