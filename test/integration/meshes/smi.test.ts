// SMI TrafficSplit routers against the real TrafficSplit CRDs. One CRD name serves one set of
// versions at a time, so the versions run one after another in this file (node:test runs a
// file's tests in order): v1alpha1 (smi-sdk-go v0.1.0), v1alpha2 (OSM v1.2.4), v1alpha3
// (smi-sdk-go v0.4.1).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runMeshCanary } from './mesh-canary.js';

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
