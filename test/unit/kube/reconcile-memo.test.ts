// One reconcile reads an object at most once; a failed write forgets it so a conflict
// retry reads the server again.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isConflict } from '../../../src/kube/errors.js';
import { FakeKubeClient } from '../../../src/kube/fake-client.js';
import { modifyObject } from '../../../src/kube/ensure.js';
import { reconcileMemo } from '../../../src/kube/reconcile-memo.js';
import type { KubeObject } from '../../../src/kube/types.js';

const ref = {
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  namespace: 'test',
  name: 'podinfo',
};
const vs = (weight: number): KubeObject => ({
  ...ref,
  metadata: { name: ref.name, namespace: ref.namespace },
  spec: { http: [{ route: [{ weight }] }] },
});

test('reads once, serves writes back, and returns copies', async () => {
  const server = new FakeKubeClient();
  server.seed(vs(10));
  const client = reconcileMemo(server);
  const first = await client.get(ref);
  await client.get(ref);
  assert.equal(server.requests.count('get'), 1);
  assert.ok(first);
  first['spec'] = { mutated: true };
  assert.deepEqual((await client.get(ref))?.['spec'], { http: [{ route: [{ weight: 10 }] }] });

  const written = await client.replace({
    ...vs(20),
    metadata: (await client.get(ref))?.metadata ?? first.metadata,
  });
  assert.deepEqual((await client.get(ref))?.['spec'], written['spec']);
  assert.equal(server.requests.count('get'), 1, 'the written object is served back');

  assert.equal(await client.get({ ...ref, name: 'absent' }), undefined);
  assert.equal(await client.get({ ...ref, name: 'absent' }), undefined);
  assert.equal(server.requests.count('get'), 2, 'a 404 is remembered too');
});

test('a conflicting write forgets the object, so modifyObject retries on fresh data', async () => {
  const server = new FakeKubeClient();
  server.seed(vs(10));
  const client = reconcileMemo(server);
  await client.get(ref); // remembered at its current resourceVersion
  // Someone else changes it behind our back.
  const theirs = await server.get(ref);
  assert.ok(theirs);
  await server.replace({ ...theirs, spec: { http: [{ route: [{ weight: 30 }] }] } });

  const stale = await client.get(ref);
  assert.ok(stale);
  await assert.rejects(client.replace({ ...stale, spec: { changed: 1 } }), (err: unknown) => isConflict(err));
  const fresh = await client.get(ref);
  assert.deepEqual(fresh?.['spec'], { http: [{ route: [{ weight: 30 }] }] });

  const result = await modifyObject(client, ref, (o) => ({
    ...o,
    spec: { http: [{ route: [{ weight: 40 }] }] },
  }));
  assert.deepEqual(result?.['spec'], { http: [{ route: [{ weight: 40 }] }] });
});
