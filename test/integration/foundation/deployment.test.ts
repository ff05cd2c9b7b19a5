// The local control plane runs real Deployments: kube-controller-manager makes
// ReplicaSets and Pods, the scheduler binds them, KWOK makes them Ready, and the
// garbage collector removes what a deleted Deployment owned.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PatchStrategy, setHeaderOptions, type V1Deployment } from '@kubernetes/client-node';
import { eventually, testEnv } from '../../harness/cluster.js';

// client-node 1.x sends JSON-patch by default; a merge patch needs its content type.
const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

function deployment(name: string, replicas: number): V1Deployment {
  return {
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [
            { name: 'app', image: 'ghcr.io/stefanprodan/podinfo:6.0.0', ports: [{ containerPort: 9898 }] },
          ],
        },
      },
    },
  };
}

test('a Deployment becomes Available with ready KWOK pods, scales, and is garbage-collected', async (t) => {
  const env = await testEnv(t, 'deploy');
  const ns = env.namespace;
  await env.apps.createNamespacedDeployment({ namespace: ns, body: deployment('podinfo', 2) });

  const available = await eventually('deployment Available with 2 ready replicas', async () => {
    const d = await env.apps.readNamespacedDeployment({ name: 'podinfo', namespace: ns });
    const cond = d.status?.conditions?.find((c) => c.type === 'Available');
    return cond?.status === 'True' && d.status?.readyReplicas === 2 ? d : undefined;
  });
  assert.equal(available.status?.availableReplicas, 2);

  const rsList = await env.apps.listNamespacedReplicaSet({ namespace: ns });
  assert.equal(rsList.items.length, 1);
  const owner = rsList.items[0]?.metadata?.ownerReferences?.[0];
  assert.equal(owner?.kind, 'Deployment');
  assert.equal(owner.uid, available.metadata?.uid);
  const pods = await env.core.listNamespacedPod({ namespace: ns });
  assert.equal(pods.items.filter((p) => p.status?.phase === 'Running').length, 2);
  assert.ok(
    pods.items.every((p) => p.spec?.nodeName?.startsWith('kwok-node-')),
    'pods are bound to KWOK nodes',
  );

  const scale = async (replicas: number): Promise<void> => {
    await env.apps.patchNamespacedDeployment(
      { name: 'podinfo', namespace: ns, body: { spec: { replicas } } },
      mergePatch,
    );
  };
  await scale(0);
  await eventually('scaled to 0', async () => {
    const d = await env.apps.readNamespacedDeployment({ name: 'podinfo', namespace: ns });
    return d.status?.observedGeneration === d.metadata?.generation && (d.status?.replicas ?? 0) === 0
      ? true
      : undefined;
  });
  await scale(2);
  await eventually('scaled back to 2 ready', async () => {
    const d = await env.apps.readNamespacedDeployment({ name: 'podinfo', namespace: ns });
    return d.status?.readyReplicas === 2 && d.status.observedGeneration === d.metadata?.generation
      ? true
      : undefined;
  });

  await env.apps.deleteNamespacedDeployment({ name: 'podinfo', namespace: ns });
  await eventually('ReplicaSet garbage-collected', async () => {
    const rs = await env.apps.listNamespacedReplicaSet({ namespace: ns });
    return rs.items.length === 0 ? true : undefined;
  });
});
