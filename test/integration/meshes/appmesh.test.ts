// App Mesh v1beta1 (VirtualNode/VirtualService CRDs of the App Mesh controller v0.5.0) with
// Envoy sidecar telemetry. v1beta2 has no CRD source here (see hack/crds/pins.txt).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runMeshCanary } from './mesh-canary.js';

test('appmesh: VirtualNodes and weighted VirtualService accepted; promote then roll back', async (t) => {
  const run = await runMeshCanary(t, {
    provider: 'appmesh',
    mesh: 'appmesh',
    crds: ['appmesh-v1beta1'],
    service: { meshName: 'global' },
  });
  const ref = { apiVersion: 'appmesh.k8s.aws/v1beta1', namespace: run.env.namespace };
  for (const name of ['podinfo', 'podinfo-primary', 'podinfo-canary']) {
    assert.ok(await run.env.kube.get({ ...ref, kind: 'VirtualNode', name }), `VirtualNode ${name}`);
  }
  const canaryVs = await run.env.kube.get({
    ...ref,
    kind: 'VirtualService',
    name: `podinfo-canary.${run.env.namespace}`,
  });
  assert.ok(canaryVs, 'canary VirtualService');
});
