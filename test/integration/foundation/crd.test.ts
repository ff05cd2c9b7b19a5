// The API server serves CustomResourceDefinitions with a status subresource,
// rejects stale writes with 409, and streams watch events in order: the three
// things an operator relies on.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiException, Watch, type V1CustomResourceDefinition } from '@kubernetes/client-node';
import { eventually, testEnv } from '../../harness/cluster.js';

const group = 'foundation.flagger-ts.test';

const crd: V1CustomResourceDefinition = {
  metadata: { name: `widgets.${group}` },
  spec: {
    group,
    scope: 'Namespaced',
    names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        subresources: { status: {} },
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: { type: 'object', properties: { size: { type: 'integer' } } },
              status: { type: 'object', properties: { phase: { type: 'string' } } },
            },
          },
        },
      },
    ],
  },
};

interface Widget {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; resourceVersion?: string };
  spec: { size: number };
  status?: { phase?: string };
}

test('a CRD with a status subresource is served, stale updates get 409, watches are ordered', async (t) => {
  const env = await testEnv(t, 'crd');
  const ns = env.namespace;
  await env.apiext.createCustomResourceDefinition({ body: crd }).catch((err: unknown) => {
    if (!(err instanceof ApiException) || err.code !== 409) throw err;
  });
  await eventually('CRD Established', async () => {
    const c = await env.apiext.readCustomResourceDefinition({ name: crd.metadata?.name ?? '' });
    return c.status?.conditions?.some((x) => x.type === 'Established' && x.status === 'True')
      ? true
      : undefined;
  });

  const base = { group, version: 'v1', namespace: ns, plural: 'widgets' };
  // Established does not mean every apiserver handler serves the new kind yet: wait
  // until a list succeeds, then watch from its resourceVersion so no event is missed.
  const listed = await eventually('widgets listable', async () => {
    try {
      return (await env.custom.listNamespacedCustomObject(base)) as { metadata: { resourceVersion: string } };
    } catch {
      return undefined;
    }
  });
  const events: string[] = [];
  let watchError: unknown;
  const watch = new Watch(env.kc);
  const ctrl = await watch.watch(
    `/apis/${group}/v1/namespaces/${ns}/widgets`,
    { resourceVersion: listed.metadata.resourceVersion },
    (type: string, obj: Widget) => {
      events.push(`${type}:${obj.metadata.name}:${obj.status?.phase ?? obj.spec.size}`);
    },
    (err: unknown) => {
      watchError = err;
    },
  );
  t.after(() => {
    ctrl.abort();
  });

  const created = (await env.custom.createNamespacedCustomObject({
    ...base,
    body: { apiVersion: `${group}/v1`, kind: 'Widget', metadata: { name: 'w1' }, spec: { size: 1 } },
  })) as Widget;

  // Status is its own subresource: a status write does not touch the spec and vice versa.
  const withStatus = (await env.custom.replaceNamespacedCustomObjectStatus({
    ...base,
    name: 'w1',
    body: { ...created, status: { phase: 'Ready' } },
  })) as Widget;
  assert.equal(withStatus.status?.phase, 'Ready');
  assert.notEqual(withStatus.metadata.resourceVersion, created.metadata.resourceVersion);

  // An update carrying the old resourceVersion must be refused with 409 Conflict.
  await assert.rejects(
    env.custom.replaceNamespacedCustomObject({
      ...base,
      name: 'w1',
      body: { ...created, spec: { size: 2 } },
    }),
    (err: unknown) => err instanceof ApiException && err.code === 409,
  );

  await env.custom.deleteNamespacedCustomObject({ ...base, name: 'w1' });
  await eventually('ADDED, MODIFIED, DELETED events', () => {
    if (events.length < 3 && watchError !== undefined)
      throw new Error(
        `watch ended: ${watchError instanceof Error ? watchError.message : 'without an error'}`,
      );
    return Promise.resolve(events.length >= 3 ? true : undefined);
  });
  assert.deepEqual(
    events.map((e) => e.split(':')[0]),
    ['ADDED', 'MODIFIED', 'DELETED'],
  );
  assert.equal(events[1], 'MODIFIED:w1:Ready');
});
