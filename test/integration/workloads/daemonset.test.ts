// A DaemonSet target on the real control plane (KWOK nodes run its pods): the primary
// DaemonSet, "scale to zero" as a nodeSelector no node carries, a blue/green promotion,
// then a rollback that leaves the primary on the promoted image.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../../src/kube/types.js';
import { canaryStatus, waitForPhase } from '../../harness/canary.js';
import { startWebhookServer } from '../../harness/webhook-server.js';
import * as w from './setup.js';

const SCALE_TO_ZERO = 'flagger.app/scale-to-zero';

/** The target kept off every node: the selector set and no pod scheduled. */
const scaledToZero = (ds: KubeObject): boolean =>
  w.at(ds, 'spec', 'template', 'spec', 'nodeSelector', SCALE_TO_ZERO) === 'true' &&
  w.at(ds, 'status', 'desiredNumberScheduled') === 0;

test('DaemonSet: primary copy, promotion, then rollback', async (t) => {
  const env = await w.workloadEnv(t, 'ds');
  const hooks = await startWebhookServer(t);
  const nodes = (await env.core.listNode()).items.length;
  await env.kube.create(w.podinfoWorkload(env.namespace, 'DaemonSet'));
  await w.initialize(
    t,
    env,
    w.blueGreenCanary(env.namespace, {
      kind: 'DaemonSet',
      webhooks: [{ name: 'check', type: 'rollout', url: hooks.url('/rollout') }],
    }),
  );

  const dsRef = (name: string) => w.ref(env, 'apps/v1', 'DaemonSet', name);
  const primary = await w.read(env, dsRef('podinfo-primary'));
  assert.deepEqual(w.at(primary, 'spec', 'selector', 'matchLabels'), { app: 'podinfo-primary' });
  assert.equal(w.at(primary, 'spec', 'template', 'spec', 'nodeSelector', SCALE_TO_ZERO), undefined);
  assert.equal(w.at(primary, 'status', 'numberReady'), nodes, 'a primary pod on every node');
  // The target cannot have 0 replicas: it is kept off every node instead.
  await w.eventuallyObject(
    env,
    dsRef('podinfo'),
    'scaled to zero',
    (ds) => scaledToZero(ds) && w.at(ds, 'status', 'currentNumberScheduled') === 0,
  );
  const apex = await env.core.readNamespacedService({ name: 'podinfo', namespace: env.namespace });
  assert.deepEqual(apex.spec?.selector, { app: 'podinfo-primary' });
  const initial = await canaryStatus(env);

  // Promotion: the target runs again for the analysis, then its template reaches the primary.
  await w.setWorkloadImage(env, 'DaemonSet', `${w.IMAGE}:6.0.1`);
  await w.eventuallyObject(
    env,
    dsRef('podinfo'),
    'scaled up for the analysis',
    (ds) =>
      w.at(ds, 'spec', 'template', 'spec', 'nodeSelector', SCALE_TO_ZERO) === undefined &&
      w.at(ds, 'status', 'numberReady') === nodes,
  );
  await waitForPhase(env, 'Succeeded', 45_000);
  assert.ok(hooks.count('/rollout') >= 2, 'the rollout hook ran for each iteration');
  const promoted = await w.eventuallyObject(
    env,
    dsRef('podinfo-primary'),
    'rolled out',
    (ds) =>
      w.at(ds, 'status', 'updatedNumberScheduled') === nodes &&
      w.at(ds, 'status', 'numberAvailable') === nodes,
  );
  assert.equal(w.imageOf(promoted), `${w.IMAGE}:6.0.1`);
  assert.equal(w.at(promoted, 'spec', 'template', 'spec', 'nodeSelector', SCALE_TO_ZERO), undefined);
  const target = await w.read(env, dsRef('podinfo'));
  assert.equal(w.at(target, 'spec', 'template', 'spec', 'nodeSelector', SCALE_TO_ZERO), 'true');
  const succeeded = await canaryStatus(env);
  assert.notEqual(succeeded.raw['lastPromotedSpec'], initial.raw['lastPromotedSpec']);
  // Scaling the target down is not a new revision: the hash ignores the scale-to-zero key.
  assert.equal(succeeded.raw['lastAppliedSpec'], succeeded.raw['lastPromotedSpec']);

  // Rollback: the rollout hook now fails; threshold 1 fails the canary.
  hooks.setStatus('/rollout', 500);
  await w.setWorkloadImage(env, 'DaemonSet', `${w.IMAGE}:6.0.2`);
  await waitForPhase(env, 'Failed', 45_000);
  assert.equal(w.imageOf(await w.read(env, dsRef('podinfo-primary'))), `${w.IMAGE}:6.0.1`, 'primary kept');
  await w.eventuallyObject(env, dsRef('podinfo'), 'scaled to zero after the rollback', scaledToZero);
  assert.equal(
    w.imageOf(await w.read(env, dsRef('podinfo'))),
    `${w.IMAGE}:6.0.2`,
    'the target keeps its spec',
  );
});
