import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { V1DaemonSet } from '@kubernetes/client-node';
import { FakeKubeClient } from '../../../src/kube/fake-client.js';
import { computeDaemonSetHash, DaemonSetAdapter } from '../../../src/targets/daemonset.js';
import {
  SCALE_TO_ZERO_KEY,
  desiredPrimaryDaemonSet,
  promotedPrimaryDaemonSet,
} from '../../../src/targets/daemonset-primary.js';
import { daemonSetReadiness } from '../../../src/targets/readiness.js';
import { kube, NS, podinfoCanary } from './fixtures.js';

const NOW = Date.parse('2025-01-01T12:00:00Z');
const canaryId = { metadata: { name: 'podinfo', namespace: NS, uid: 'canary-uid' } };
const opts = {
  includeLabelPrefix: [],
  selectorLabel: 'app',
  selectorValue: 'podinfo',
  configRenames: new Set(['configmap/cfg']),
  newFlaggerId: 'id-1',
};

/** `primary` as the API server would return it: with the target's status. */
function withStatus(primary: V1DaemonSet, from: V1DaemonSet): V1DaemonSet {
  const copy = structuredClone(primary);
  if (from.status !== undefined) copy.status = structuredClone(from.status);
  return copy;
}

function daemonSet(nodeSelector?: Record<string, string>): V1DaemonSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'podinfo', namespace: NS, generation: 1, labels: { app: 'podinfo' } },
    spec: {
      selector: { matchLabels: { app: 'podinfo' } },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
      minReadySeconds: 3,
      template: {
        metadata: { labels: { app: 'podinfo' } },
        spec: {
          ...(nodeSelector === undefined ? {} : { nodeSelector }),
          containers: [{ name: 'c', image: 'img:1', envFrom: [{ configMapRef: { name: 'cfg' } }] }],
        },
      },
    },
    status: {
      currentNumberScheduled: 3,
      numberMisscheduled: 0,
      desiredNumberScheduled: 3,
      numberReady: 3,
      updatedNumberScheduled: 3,
      numberAvailable: 3,
      observedGeneration: 1,
    },
  };
}

test('hash ignores the scale-to-zero key and an empty nodeSelector, nothing else', () => {
  const base = computeDaemonSetHash(daemonSet());
  assert.equal(computeDaemonSetHash(daemonSet({ [SCALE_TO_ZERO_KEY]: 'true' })), base);
  assert.equal(computeDaemonSetHash(daemonSet({})), base);
  assert.notEqual(computeDaemonSetHash(daemonSet({ zone: 'a' })), base);
  assert.equal(
    computeDaemonSetHash(daemonSet({ zone: 'a', [SCALE_TO_ZERO_KEY]: 'true' })),
    computeDaemonSetHash(daemonSet({ zone: 'a' })),
  );
});

test('desired and promoted primary: selector, copied fields, renamed configs, never the scale-to-zero key', () => {
  const target = daemonSet({ zone: 'a', [SCALE_TO_ZERO_KEY]: 'true' });
  const primary: V1DaemonSet = desiredPrimaryDaemonSet(target, canaryId, opts);
  assert.equal(primary.metadata?.name, 'podinfo-primary');
  assert.deepEqual(primary.spec?.selector, { matchLabels: { app: 'podinfo-primary' } });
  assert.deepEqual(primary.spec.template.spec?.nodeSelector, { zone: 'a' });
  assert.equal(primary.spec.minReadySeconds, 3);
  assert.deepEqual(primary.spec.updateStrategy, target.spec?.updateStrategy);
  assert.equal(primary.spec.template.spec.containers[0]?.envFrom?.[0]?.configMapRef?.name, 'cfg-primary');
  assert.equal(primary.spec.template.metadata?.annotations?.['flagger-id'], 'id-1');

  const changed = daemonSet({ [SCALE_TO_ZERO_KEY]: 'true' });
  delete changed.spec?.minReadySeconds;
  changed.spec!.template.spec!.containers[0]!.image = 'img:2';
  const promoted: V1DaemonSet = promotedPrimaryDaemonSet(withStatus(primary, target), changed, {
    ...opts,
    newFlaggerId: 'id-2',
  });
  assert.equal(promoted.spec?.template.spec?.containers[0]?.image, 'img:2');
  assert.equal(promoted.spec.template.spec.nodeSelector, undefined, 'emptied nodeSelector dropped');
  assert.equal(promoted.spec.minReadySeconds, undefined, 'unset on the target, unset on the primary');
  assert.equal(promoted.spec.template.metadata?.annotations?.['flagger-id'], 'id-2');
  assert.deepEqual(promoted.status, target.status, 'live fields kept');
});

test('readiness from desired/updated/available counts; deadline from the canary transition time', () => {
  const ready = daemonSet();
  assert.deepEqual(daemonSetReadiness(ready, 100, 60, NOW, NOW), { ready: true });
  const rolling = daemonSet();
  rolling.status!.updatedNumberScheduled = 1;
  assert.deepEqual(daemonSetReadiness(rolling, 100, 60, NOW, NOW - 10_000), {
    ready: false,
    retriable: true,
    message: 'waiting for rollout to finish: 1 out of 3 new pods have been updated',
  });
  assert.equal(daemonSetReadiness(rolling, 100, 60, NOW, NOW - 61_000).ready, false);
  assert.deepEqual(daemonSetReadiness(rolling, 100, 60, NOW, NOW - 61_000), {
    ready: false,
    retriable: false,
    message: 'waiting for rollout to finish: 1 out of 3 new pods have been updated',
  });
  const unavailable = daemonSet();
  unavailable.status!.numberAvailable = 1;
  assert.equal(
    daemonSetReadiness(unavailable, 50, 60, NOW, undefined).ready,
    true,
    '1 of floor(3 × 50%) = 1',
  );
  assert.deepEqual(daemonSetReadiness(unavailable, 100, 60, NOW, undefined), {
    ready: false,
    retriable: true,
    message: 'waiting for rollout to finish: 1 of 3 (readyThreshold 100%) updated pods are available',
  });
  const stale = daemonSet();
  stale.metadata!.generation = 2;
  assert.equal(daemonSetReadiness(stale, 100, 60, NOW, undefined).ready, false);
});

test('adapter: scale to zero and back is a nodeSelector patch; OnDelete targets are invalid', async () => {
  const client = new FakeKubeClient({ now: () => new Date(NOW) });
  const target = daemonSet({ zone: 'a' });
  client.seed(
    kube(target),
    kube({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: NS }, data: { a: 'b' } }),
  );
  const canary = podinfoCanary({ targetRef: { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'podinfo' } });
  const adapter = new DaemonSetAdapter({ client, now: () => NOW });
  const selector = () =>
    (
      client.peek({
        apiVersion: 'apps/v1',
        kind: 'DaemonSet',
        name: 'podinfo',
        namespace: NS,
      }) as unknown as V1DaemonSet
    ).spec?.template.spec?.nodeSelector;
  assert.equal(await adapter.scaleToZero(canary), true);
  assert.deepEqual(selector(), { zone: 'a', [SCALE_TO_ZERO_KEY]: 'true' });
  assert.equal(await adapter.scaleToZero(canary), false, 'no second write');
  assert.equal(await adapter.scaleFromZero(canary), true);
  assert.deepEqual(selector(), { zone: 'a' });
  assert.equal(await adapter.ensurePrimary(canary), 'created');
  const obs = await adapter.observe(canary);
  assert.equal(obs.kind, 'DaemonSet');
  assert.equal(obs.targetReplicas, undefined);
  assert.deepEqual(obs.trackedConfigs, { 'configmap/cfg': obs.trackedConfigs['configmap/cfg'] });

  const onDelete = daemonSet();
  onDelete.spec!.updateStrategy = { type: 'OnDelete' };
  client.seed(kube(onDelete));
  await assert.rejects(adapter.observe(canary), { name: 'TargetError', reason: 'InvalidTarget' });
});
