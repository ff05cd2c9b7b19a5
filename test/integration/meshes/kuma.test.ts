// Kuma's cluster-scoped TrafficRoute (kuma.io v1.8.1 CRD) with Kuma data plane telemetry.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runMeshCanary } from './mesh-canary.js';

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
