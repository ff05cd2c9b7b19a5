// The config-tracking scenario shared by the ConfigMap and Secret tests: a tracked object
// referenced from env and a volume, an opted-out one (`flagger.app/config-tracking:
// disabled`) referenced from envFrom; initialization, a data change that starts a new
// analysis, and a change to the opted-out object that does not.
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import type { KubeObject } from '../../../src/kube/types.js';
import { eventually, sleep, type TestEnv } from '../../harness/cluster.js';
import { canaryStatus, recordWhile, waitForPhase } from '../../harness/canary.js';
import { reconcileCount } from '../../harness/operator.js';
import {
  at,
  blueGreenCanary,
  eventuallyObject,
  initialize,
  podinfoWorkload,
  read,
  ref,
  workloadEnv,
} from './setup.js';

export type ConfigKindName = 'ConfigMap' | 'Secret';

const encode = (kind: ConfigKindName, value: string): string =>
  kind === 'Secret' ? Buffer.from(value).toString('base64') : value;

function config(env: TestEnv, kind: ConfigKindName, name: string, value: string, optOut = false): KubeObject {
  return {
    apiVersion: 'v1',
    kind,
    metadata: {
      name,
      namespace: env.namespace,
      ...(optOut ? { annotations: { 'flagger.app/config-tracking': 'disabled' } } : {}),
    },
    ...(kind === 'Secret' ? { type: 'Opaque' } : {}),
    data: { color: encode(kind, value) },
  };
}

/** env, volume (projected for Secrets, to cover that path) and envFrom references. */
function podSpec(kind: ConfigKindName, tracked: string, optedOut: string): Record<string, unknown> {
  const isSecret = kind === 'Secret';
  const keyRef = isSecret
    ? { secretKeyRef: { name: tracked, key: 'color' } }
    : { configMapKeyRef: { name: tracked, key: 'color' } };
  const volume = isSecret
    ? { name: 'config', projected: { sources: [{ secret: { name: tracked } }] } }
    : { name: 'config', configMap: { name: tracked } };
  return {
    container: {
      env: [{ name: 'COLOR', valueFrom: keyRef }],
      envFrom: [isSecret ? { secretRef: { name: optedOut } } : { configMapRef: { name: optedOut } }],
      volumeMounts: [{ name: 'config', mountPath: '/config' }],
    },
    volumes: [volume],
  };
}

/** The names the primary's pod spec refers to, in the order podSpec() lays them out. */
function primaryRefs(kind: ConfigKindName, primary: KubeObject): unknown[] {
  const spec = at(primary, 'spec', 'template', 'spec');
  const c = at(spec, 'containers', 0);
  return kind === 'Secret'
    ? [
        at(c, 'env', 0, 'valueFrom', 'secretKeyRef', 'name'),
        at(spec, 'volumes', 0, 'projected', 'sources', 0, 'secret', 'name'),
        at(c, 'envFrom', 0, 'secretRef', 'name'),
      ]
    : [
        at(c, 'env', 0, 'valueFrom', 'configMapKeyRef', 'name'),
        at(spec, 'volumes', 0, 'configMap', 'name'),
        at(c, 'envFrom', 0, 'configMapRef', 'name'),
      ];
}

export async function configTrackingScenario(t: TestContext, kind: ConfigKindName): Promise<void> {
  const env = await workloadEnv(t, `track-${kind.toLowerCase()}`);
  const tracked = `podinfo-${kind.toLowerCase()}`;
  const optedOut = `podinfo-static-${kind.toLowerCase()}`;
  const key = `${kind.toLowerCase()}/${tracked}`;
  await env.kube.create(config(env, kind, tracked, 'blue'));
  await env.kube.create(config(env, kind, optedOut, 'static', true));
  await env.kube.create(podinfoWorkload(env.namespace, 'Deployment', podSpec(kind, tracked, optedOut)));
  const { status: initialized, operator } = await initialize(
    t,
    env,
    blueGreenCanary(env.namespace, { iterations: 1 }),
  );

  const cfgRef = (name: string) => ref(env, 'v1', kind, name);
  const copy = await read(env, cfgRef(`${tracked}-primary`));
  assert.equal(at(copy, 'data', 'color'), encode(kind, 'blue'));
  assert.equal(copy.metadata.ownerReferences?.[0]?.kind, 'Canary');
  assert.equal(await env.kube.get(cfgRef(`${optedOut}-primary`)), undefined, 'opted out: no copy');
  const deploymentRef = (name: string) => ref(env, 'apps/v1', 'Deployment', name);
  assert.deepEqual(primaryRefs(kind, await read(env, deploymentRef('podinfo-primary'))), [
    `${tracked}-primary`,
    `${tracked}-primary`,
    optedOut,
  ]);
  const trackedBefore = initialized.raw['trackedConfigs'];
  assert.deepEqual(Object.keys(trackedBefore ?? {}), [key], 'only the tracked object is in status');

  // Idle canaries are not polled (no requeue after Initialized): only the watch on the
  // object can start the analysis. Let the initialization's own events pass first.
  await sleep(2000);
  const phases = recordWhile(async () => (await canaryStatus(env)).phase);
  const live = await read(env, cfgRef(tracked));
  await env.kube.replace({ ...live, data: { color: encode(kind, 'green') } });
  await waitForPhase(env, 'Succeeded', 45_000);
  await phases.stop();
  assert.ok(phases.values.includes('Progressing'), `a new analysis ran: ${phases.values.join(' → ')}`);
  await eventuallyObject(
    env,
    cfgRef(`${tracked}-primary`),
    'new data promoted',
    (o) => at(o, 'data', 'color') === encode(kind, 'green'),
  );
  const primary = await read(env, deploymentRef('podinfo-primary'));
  assert.deepEqual(primaryRefs(kind, primary), [`${tracked}-primary`, `${tracked}-primary`, optedOut]);
  const after = await canaryStatus(env);
  const checksums = after.raw['trackedConfigs'] as Record<string, string> | undefined;
  assert.notEqual(checksums?.[key], (trackedBefore as Record<string, string>)[key], 'checksum updated');

  // A change to the opted-out object is not a new revision. The object is referenced by the pod
  // spec, so its watch event wakes the canary: wait for that reconcile (positive evidence the
  // operator saw the change), then check that it decided nothing.
  const quiet = recordWhile(async () => (await canaryStatus(env)).phase);
  const before = await reconcileCount(operator);
  const staticLive = await read(env, cfgRef(optedOut));
  await env.kube.replace({ ...staticLive, data: { color: encode(kind, 'changed') } });
  await eventually('a reconcile after the opted-out change', async () =>
    (await reconcileCount(operator)) > before ? true : undefined,
  );
  await quiet.stop();
  assert.deepEqual(quiet.values, ['Succeeded'], 'no analysis for an opted-out object');
  await eventually('status unchanged', async () => {
    const s = await canaryStatus(env);
    return s.raw['lastTransitionTime'] === after.raw['lastTransitionTime'] ? true : undefined;
  });
}
