import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isAlreadyExists, isConflict, isNotFound } from '../../../src/kube/errors.js';
import { FakeKubeClient } from '../../../src/kube/fake-client.js';
import type { KubeObject } from '../../../src/kube/types.js';

const cm = (data: Record<string, string>, extra: Partial<KubeObject['metadata']> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'cfg', namespace: 'test', ...extra },
  data,
});
const ref = { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'test', name: 'cfg' };

test('create assigns uid and resourceVersion; a second create is AlreadyExists', async () => {
  const kube = new FakeKubeClient();
  const created = await kube.create(cm({ a: '1' }));
  assert.ok(created.metadata.uid);
  assert.ok(created.metadata.resourceVersion);
  await assert.rejects(kube.create(cm({ a: '1' })), (err) => isAlreadyExists(err));
});

test('get of a missing object is undefined; replace of a missing object is NotFound', async () => {
  const kube = new FakeKubeClient();
  assert.equal(await kube.get(ref), undefined);
  await assert.rejects(kube.replace(cm({})), (err) => isNotFound(err));
});

test('replace with a stale resourceVersion fails with 409 Conflict', async () => {
  const kube = new FakeKubeClient();
  const v1 = await kube.create(cm({ a: '1' }));
  const v2 = await kube.replace({ ...v1, data: { a: '2' } });
  assert.notEqual(v2.metadata.resourceVersion, v1.metadata.resourceVersion);
  await assert.rejects(kube.replace({ ...v1, data: { a: '3' } }), (err) => isConflict(err));
  assert.deepEqual(kube.peek(ref)?.['data'], { a: '2' });
});

test('a no-op replace keeps the resourceVersion', async () => {
  const kube = new FakeKubeClient();
  const v1 = await kube.create(cm({ a: '1' }));
  const same = await kube.replace(v1);
  assert.equal(same.metadata.resourceVersion, v1.metadata.resourceVersion);
});

test('main-resource writes ignore status; patchStatus changes only status', async () => {
  const kube = new FakeKubeClient();
  const canary: KubeObject = {
    apiVersion: 'flagger.app/v1beta1',
    kind: 'Canary',
    metadata: { name: 'podinfo', namespace: 'test' },
    spec: { a: 1 },
    status: { phase: 'Bogus' },
  };
  const created = await kube.create(canary);
  assert.equal(created['status'], undefined);
  const cref = { apiVersion: 'flagger.app/v1beta1', kind: 'Canary', namespace: 'test', name: 'podinfo' };
  const patched = await kube.patchStatus(cref, { phase: 'Initializing', canaryWeight: 0 });
  assert.deepEqual(patched['status'], { phase: 'Initializing', canaryWeight: 0 });
  assert.equal(patched.metadata.generation, 1);
  const replaced = await kube.replace({ ...patched, spec: { a: 2 }, status: { phase: 'Failed' } });
  assert.deepEqual(replaced['status'], { phase: 'Initializing', canaryWeight: 0 });
  assert.equal(replaced.metadata.generation, 2);
});

test('mergePatch applies RFC 7386 and honours a resourceVersion precondition', async () => {
  const kube = new FakeKubeClient();
  const v1 = await kube.create(cm({ a: '1', b: '2' }));
  const v2 = await kube.mergePatch(ref, { data: { a: null, c: '3' } });
  assert.deepEqual(v2['data'], { b: '2', c: '3' });
  await assert.rejects(
    kube.mergePatch(ref, { metadata: { resourceVersion: v1.metadata.resourceVersion }, data: { b: 'x' } }),
    (err) => isConflict(err),
  );
});

test('delete with finalizers sets deletionTimestamp; removing the last finalizer deletes', async () => {
  const kube = new FakeKubeClient();
  await kube.create(cm({}, { finalizers: ['finalizer.flagger.app'] }));
  assert.equal(await kube.delete(ref), true);
  const terminating = kube.peek(ref);
  assert.ok(terminating?.metadata.deletionTimestamp);
  await kube.mergePatch(ref, { metadata: { finalizers: null } });
  assert.equal(kube.peek(ref), undefined);
  assert.equal(await kube.delete(ref), false);
});

test('list filters by namespace and label selector', async () => {
  const kube = new FakeKubeClient();
  const svc = (name: string, ns: string, labels: Record<string, string>): KubeObject => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: ns, labels },
  });
  kube.seed(
    svc('a', 'x', { app: 'a', tier: 'web' }),
    svc('b', 'x', { app: 'b' }),
    svc('c', 'y', { app: 'a' }),
  );
  const names = async (ns: string | undefined, sel?: string): Promise<string[]> =>
    (await kube.list('v1', 'ConfigMap', ns, { labelSelector: sel })).map((o) => o.metadata.name).sort();
  assert.deepEqual(await names('x'), ['a', 'b']);
  assert.deepEqual(await names(undefined, 'app=a'), ['a', 'c']);
  assert.deepEqual(await names(undefined, 'app in (a,b),!tier'), ['b', 'c']);
  assert.deepEqual(await names('x', 'app!=a'), ['b']);
});

test('Services get server defaults; changing an allocated clusterIP is rejected', async () => {
  const kube = new FakeKubeClient();
  const svc: KubeObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'podinfo', namespace: 'test' },
    spec: { selector: { app: 'podinfo' }, ports: [{ name: 'http', port: 80 }] },
  };
  const created = await kube.create(svc);
  const spec = created['spec'] as { clusterIP: string; ports: { protocol: string; targetPort: number }[] };
  assert.match(spec.clusterIP, /^10\.96\./);
  assert.equal(spec.ports[0]?.protocol, 'TCP');
  assert.equal(spec.ports[0].targetPort, 80);
  const kept = await kube.replace({ ...created, spec: { ...(svc['spec'] as object) } });
  assert.equal((kept['spec'] as { clusterIP: string }).clusterIP, spec.clusterIP);
  await assert.rejects(
    kube.replace({ ...kept, spec: { ...(kept['spec'] as object), clusterIP: '10.0.0.1' } }),
    {
      code: 422,
    },
  );
});

test('requests are counted per verb; injected faults fire once', async () => {
  const kube = new FakeKubeClient();
  await kube.create(cm({}));
  await kube.get(ref);
  await kube.get(ref);
  kube.fail({ verb: 'get', name: 'cfg', status: { code: 500, reason: 'InternalError' } });
  await assert.rejects(kube.get(ref), { code: 500 });
  await kube.get(ref);
  assert.equal(kube.requests.count('get'), 4);
  assert.equal(kube.requests.snapshot().create, 1);
  assert.equal(kube.requests.total, 5);
  kube.requests.reset();
  assert.equal(kube.requests.total, 0);
});

test('watch listeners see adds, modifications and deletes', async () => {
  const kube = new FakeKubeClient();
  const events: string[] = [];
  const stop = kube.watch((type, obj) => events.push(`${type} ${obj.metadata.name}`));
  await kube.create(cm({}));
  await kube.mergePatch(ref, { data: { a: '1' } });
  await kube.delete(ref);
  stop();
  await kube.create(cm({}));
  assert.deepEqual(events, ['ADDED cfg', 'MODIFIED cfg', 'DELETED cfg']);
});
