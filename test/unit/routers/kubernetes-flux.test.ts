// A user's apex Service taken over by the kubernetes router gets Flux's "hands off"
// annotations (Flagger's test/kubernetes/test-deployment.sh checks both), or Flux reverts
// the selector to the target's pods, which are at 0 replicas.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeKubeClient } from '../../../src/kube/fake-client.js';
import { ensureApexService } from '../../../src/routers/kubernetes.js';
import { inputs, must, podinfo, specOf, svcRef } from './fixtures.js';

const userApex = (annotations: Record<string, string>, selector: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'podinfo', namespace: 'default', labels: { team: 'a' }, annotations },
  spec: {
    type: 'ClusterIP',
    clusterIP: '10.0.0.11',
    selector,
    ports: [{ name: 'http', port: 9898, targetPort: 9898, protocol: 'TCP' }],
  },
});

test('an unowned apex Service keeps its metadata and gains the Flux toolkit annotations', async () => {
  const kube = new FakeKubeClient();
  kube.seed(userApex({ 'kustomize.toolkit.fluxcd.io/checksum': 'abc', owner: 'team-a' }, { app: 'podinfo' }));
  const res = await ensureApexService(podinfo(), inputs(), { client: kube });
  assert.equal(res.action, 'updated');
  const live = must(kube.peek(svcRef('podinfo')));
  assert.deepEqual(specOf(live)['selector'], { app: 'podinfo-primary' });
  assert.deepEqual(live.metadata.annotations, {
    'kustomize.toolkit.fluxcd.io/checksum': 'abc',
    owner: 'team-a',
    'kustomize.toolkit.fluxcd.io/reconcile': 'disabled',
    'helm.toolkit.fluxcd.io/driftDetection': 'disabled',
  });
  assert.deepEqual(live.metadata.labels, { team: 'a' });
  assert.equal(live.metadata.ownerReferences, undefined);
});

test('a taken-over apex whose selector already matches still converges on the annotations, then is left alone', async () => {
  const kube = new FakeKubeClient();
  kube.seed(userApex({}, { app: 'podinfo-primary' }));
  const first = await ensureApexService(podinfo(), inputs(), { client: kube });
  assert.equal(first.action, 'updated');
  const live = must(kube.peek(svcRef('podinfo')));
  assert.equal(live.metadata.annotations?.['kustomize.toolkit.fluxcd.io/reconcile'], 'disabled');
  assert.equal(live.metadata.annotations['helm.toolkit.fluxcd.io/driftDetection'], 'disabled');
  const second = await ensureApexService(podinfo(), inputs(), { client: kube });
  assert.notEqual(second.action, 'updated');
});
