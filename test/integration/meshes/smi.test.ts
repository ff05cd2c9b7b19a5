// SMI TrafficSplit routers against the real TrafficSplit CRDs. One CRD name serves one set of
// versions at a time, so the versions run one after another in this file (node:test runs a
// file's tests in order): v1alpha1 (smi-sdk-go v0.1.0), v1alpha2 (OSM v1.2.4), v1alpha3
// (smi-sdk-go v0.4.1).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { waitForPhase } from '../../harness/canary.js';
import { testEnv } from '../../harness/cluster.js';
import { podinfoDeployment } from '../../harness/fixtures.js';
import { FLAGGER_CRDS, installCrds } from '../../harness/kubectl.js';
import { startTestOperator } from '../../harness/operator.js';
import { applyMeshCrds } from './crds.js';
import { runMeshCanary } from './mesh-canary.js';
import { hpa, inNamespace, isDeploymentCanary, tutorialObjects } from './tutorial.js';

test('linkerd: TrafficSplit v1alpha1 (quantity weights), Linkerd queries; promote then roll back', async (t) => {
  const run = await runMeshCanary(t, { provider: 'linkerd', mesh: 'linkerd', crds: ['smi-v1alpha1'] });
  const ts = await run.env.kube.get({
    apiVersion: 'split.smi-spec.io/v1alpha1',
    kind: 'TrafficSplit',
    namespace: run.env.namespace,
    name: 'podinfo',
  });
  assert.deepEqual((ts?.['spec'] as { backends: unknown }).backends, [
    { service: 'podinfo-canary', weight: '0' },
    { service: 'podinfo-primary', weight: '100' },
  ]);
});

// The linkerd tutorial installs Flagger with -mesh-provider=gatewayapi:v1beta1; it runs here with
// the `linkerd` provider (SMI TrafficSplit v1alpha1), as Flagger users on SMI do.
test("Flagger's linkerd tutorial Canary and MetricTemplates apply unchanged and initialise", async (t) => {
  const env = await testEnv(t, 'tut-linkerd');
  installCrds(env.cluster, FLAGGER_CRDS);
  await applyMeshCrds(env.cluster, 'smi-v1alpha1');
  const objects = await tutorialObjects('linkerd-progressive-delivery.md');
  const canary = objects.find(isDeploymentCanary);
  assert.ok(canary, 'a Canary in the linkerd tutorial');
  for (const template of objects.filter((o) => o.kind === 'MetricTemplate')) {
    await env.kube.create(inNamespace(template, env.namespace));
  }
  await env.kube.create(podinfoDeployment(env.namespace));
  await env.kube.create(hpa(env.namespace));
  await env.kube.create(inNamespace(canary, env.namespace));
  await startTestOperator(t, env, { meshProvider: 'linkerd' });
  await waitForPhase(env, 'Initialized', 60_000);
  const ts = await env.kube.get({
    apiVersion: 'split.smi-spec.io/v1alpha1',
    kind: 'TrafficSplit',
    namespace: env.namespace,
    name: 'podinfo',
  });
  assert.ok(ts, 'TrafficSplit written');
});

test('osm: TrafficSplit v1alpha2, OSM queries; promote then roll back', async (t) => {
  await runMeshCanary(t, { provider: 'osm', mesh: 'osm', crds: ['osm'] });
});

test('smi:v1alpha3:linkerd under a linkerd mesh: TrafficSplit v1alpha3, Linkerd queries forced', async (t) => {
  await runMeshCanary(t, {
    provider: 'smi:v1alpha3:linkerd',
    meshProvider: 'linkerd',
    metricsProvider: 'linkerd',
    mesh: 'linkerd',
    crds: ['smi-v1alpha3'],
  });
});
