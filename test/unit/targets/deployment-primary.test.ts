import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { V1Deployment } from '@kubernetes/client-node';
import {
  desiredPrimary,
  promotedPrimary,
  type PrimaryOptions,
} from '../../../src/targets/deployment-primary.js';
import { NS, podinfoDeployment } from './fixtures.js';

const canary = { metadata: { name: 'podinfo', namespace: NS, uid: 'canary-uid' } };
const renames = new Set([
  'configmap/podinfo-config-env',
  'configmap/podinfo-config-all',
  'configmap/podinfo-config-vol',
  'configmap/podinfo-config-projected',
  'configmap/podinfo-config-init',
  'secret/podinfo-secret-env',
  'secret/podinfo-secret-all',
  'secret/podinfo-secret-vol',
  'secret/podinfo-secret-projected',
  'secret/podinfo-secret-init',
]);
const opts: PrimaryOptions = {
  includeLabelPrefix: [],
  selectorLabel: 'app',
  selectorValue: 'podinfo',
  configRenames: renames,
  newFlaggerId: 'id-1',
};

test('desiredPrimary: metadata, selector, replicas and copied fields', () => {
  const target = podinfoDeployment();
  const p = desiredPrimary(target, canary, opts);
  assert.equal(p.apiVersion, 'apps/v1');
  assert.equal(p.kind, 'Deployment');
  assert.equal(p.metadata?.name, 'podinfo-primary');
  assert.equal(p.metadata.namespace, NS);
  // Default prefix copies no labels; the selector label is forced.
  assert.deepEqual(p.metadata.labels, { app: 'podinfo-primary' });
  // All annotations minus toolkit keys.
  assert.deepEqual(p.metadata.annotations, { 'example.com/owner': 'web' });
  assert.deepEqual(p.metadata.ownerReferences, [
    {
      apiVersion: 'flagger.app/v1beta1',
      kind: 'Canary',
      name: 'podinfo',
      uid: 'canary-uid',
      controller: true,
      blockOwnerDeletion: true,
    },
  ]);
  assert.equal(p.spec?.replicas, 2);
  assert.equal(p.spec.progressDeadlineSeconds, 60);
  assert.equal(p.spec.minReadySeconds, 5);
  assert.equal(p.spec.revisionHistoryLimit, 3);
  assert.deepEqual(p.spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0 } });
  assert.deepEqual(p.spec.selector, { matchLabels: { app: 'podinfo-primary' } });
  assert.deepEqual(p.spec.template.metadata?.labels, { app: 'podinfo-primary', version: 'v1' });
  assert.deepEqual(p.spec.template.metadata.annotations, {
    'prometheus.io/scrape': 'true',
    'flagger-id': 'id-1',
  });
  assert.equal(p.status, undefined);
  // The input is not mutated.
  assert.deepEqual(target, podinfoDeployment());
});

test('desiredPrimary: include-label-prefix and replicas fallback', () => {
  const target = podinfoDeployment();
  target.spec!.replicas = 0;
  const p = desiredPrimary(target, canary, { ...opts, includeLabelPrefix: ['*'] });
  assert.deepEqual(p.metadata?.labels, { app: 'podinfo-primary', team: 'web' });
  assert.equal(p.spec?.replicas, 1);
  delete target.spec!.replicas;
  delete target.spec!.strategy;
  const q = desiredPrimary(target, canary, { ...opts, includeLabelPrefix: ['te'] });
  assert.deepEqual(q.metadata?.labels, { app: 'podinfo-primary', team: 'web' });
  assert.equal(q.spec?.replicas, 1);
  assert.equal('strategy' in q.spec, false);
});

test('desiredPrimary: config references renamed in containers, initContainers and volumes', () => {
  const spec = desiredPrimary(podinfoDeployment(), canary, opts).spec!.template.spec!;
  const [app] = spec.containers;
  assert.deepEqual(
    app!.env!.map((e) => e.valueFrom?.configMapKeyRef?.name ?? e.valueFrom?.secretKeyRef?.name ?? e.value),
    ['podinfo-config-env-primary', 'podinfo-secret-env-primary', 'podinfo-config-optional', 'v'],
  );
  assert.deepEqual(app!.envFrom, [
    { configMapRef: { name: 'podinfo-config-all-primary' } },
    { secretRef: { name: 'podinfo-secret-all-primary' } },
  ]);
  const [init] = spec.initContainers!;
  assert.equal(init!.envFrom![0]!.configMapRef!.name, 'podinfo-config-init-primary');
  assert.equal(init!.env![0]!.valueFrom!.secretKeyRef!.name, 'podinfo-secret-init-primary');
  assert.equal(spec.volumes![0]!.configMap!.name, 'podinfo-config-vol-primary');
  assert.equal(spec.volumes![1]!.secret!.secretName, 'podinfo-secret-vol-primary');
  assert.deepEqual(spec.volumes![2]!.projected!.sources, [
    { configMap: { name: 'podinfo-config-projected-primary' } },
    { secret: { name: 'podinfo-secret-projected-primary' } },
  ]);
  // Untracked references stay shared.
  const none = desiredPrimary(podinfoDeployment(), canary, { ...opts, configRenames: new Set() }).spec!
    .template.spec!;
  const source = podinfoDeployment().spec!.template.spec!;
  assert.deepEqual(none.containers, source.containers);
  assert.deepEqual(none.initContainers, source.initContainers);
  assert.deepEqual(none.volumes, source.volumes);
});

test('desiredPrimary: anti-affinity and topology spread selectors point at primary pods', () => {
  const spec = desiredPrimary(podinfoDeployment(), canary, opts).spec!.template.spec!;
  const anti = spec.affinity!.podAntiAffinity!;
  assert.deepEqual(anti.preferredDuringSchedulingIgnoredDuringExecution![0]!.podAffinityTerm.labelSelector, {
    matchLabels: { app: 'podinfo-primary' },
  });
  assert.deepEqual(anti.requiredDuringSchedulingIgnoredDuringExecution![0]!.labelSelector!.matchExpressions, [
    { key: 'app', operator: 'In', values: ['podinfo-primary', 'other'] },
    // Not a selector-label key: left alone.
    { key: 'tier', operator: 'In', values: ['podinfo'] },
  ]);
  assert.deepEqual(spec.topologySpreadConstraints![0]!.labelSelector, {
    matchLabels: { app: 'podinfo-primary' },
  });
  // Only keys in -selector-labels are rewritten.
  const custom = desiredPrimary(podinfoDeployment(), canary, { ...opts, selectorLabels: ['name'] }).spec!
    .template.spec!;
  assert.deepEqual(custom.topologySpreadConstraints![0]!.labelSelector, { matchLabels: { app: 'podinfo' } });
});

function livePrimary(): V1Deployment {
  const p = desiredPrimary(podinfoDeployment(), canary, opts);
  p.metadata!.resourceVersion = '42';
  p.metadata!.uid = 'primary-uid';
  p.spec!.replicas = 3;
  p.status = { replicas: 3, updatedReplicas: 3, availableReplicas: 3 };
  return p;
}

test('promotedPrimary: copies the template and a new flagger-id, keeps identity and selector', () => {
  const target = podinfoDeployment();
  target.spec!.template.spec!.containers[0]!.image = 'ghcr.io/stefanprodan/podinfo:6.0.1';
  target.spec!.template.metadata!.labels!['version'] = 'v2';
  target.spec!.minReadySeconds = 10;
  delete target.spec!.revisionHistoryLimit;
  const live = livePrimary();
  const p = promotedPrimary(live, target, { ...opts, newFlaggerId: 'id-2', hasAutoscaler: false });
  assert.equal(p.metadata?.resourceVersion, '42');
  assert.equal(p.metadata.uid, 'primary-uid');
  assert.deepEqual(p.metadata.ownerReferences, live.metadata?.ownerReferences);
  assert.deepEqual(p.spec?.selector, { matchLabels: { app: 'podinfo-primary' } });
  assert.equal(p.spec.template.spec?.containers[0]?.image, 'ghcr.io/stefanprodan/podinfo:6.0.1');
  assert.equal(
    p.spec.template.spec.containers[0].envFrom?.[0]?.configMapRef?.name,
    'podinfo-config-all-primary',
  );
  assert.deepEqual(p.spec.template.metadata?.labels, { app: 'podinfo-primary', version: 'v2' });
  assert.equal(p.spec.template.metadata.annotations?.['flagger-id'], 'id-2');
  assert.equal(p.spec.minReadySeconds, 10);
  assert.equal('revisionHistoryLimit' in p.spec, false);
  // Without an autoscaler the target's replica count is copied.
  assert.equal(p.spec.replicas, 2);
  assert.deepEqual(p.status, live.status);
  // The live object is untouched.
  assert.deepEqual(live, livePrimary());
});

test('promotedPrimary: replicas stay with an autoscaler', () => {
  const p = promotedPrimary(livePrimary(), podinfoDeployment(), { ...opts, hasAutoscaler: true });
  assert.equal(p.spec?.replicas, 3);
  const target = podinfoDeployment();
  delete target.spec!.replicas;
  const q = promotedPrimary(livePrimary(), target, { ...opts, hasAutoscaler: false });
  assert.equal('replicas' in q.spec!, false);
});

test('promotedPrimary: object labels and annotations are replaced, filtered by prefix', () => {
  const live = livePrimary();
  live.metadata!.annotations!['stale'] = 'x';
  live.metadata!.labels!['stale'] = 'x';
  const p = promotedPrimary(live, podinfoDeployment(), { ...opts, hasAutoscaler: false });
  assert.deepEqual(p.metadata?.annotations, {});
  assert.deepEqual(p.metadata.labels, { app: 'podinfo-primary' });
  const q = promotedPrimary(live, podinfoDeployment(), {
    ...opts,
    includeLabelPrefix: ['*'],
    hasAutoscaler: false,
  });
  assert.deepEqual(q.metadata?.annotations, { 'example.com/owner': 'web' });
  assert.deepEqual(q.metadata.labels, { app: 'podinfo-primary', team: 'web' });
});
