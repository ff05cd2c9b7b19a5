import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ensureObject, mergeTopLevel, modifyObject } from '../../../src/kube/ensure.js';
import { FakeKubeClient } from '../../../src/kube/fake-client.js';
import { canaryOwnerReference, isOwnedBy } from '../../../src/kube/owner.js';
import type { KubeObject } from '../../../src/kube/types.js';

const canary = { metadata: { name: 'podinfo', uid: 'canary-uid' } };
const desired = (data: Record<string, string>, annotations: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'cfg', namespace: 'test', annotations },
  data,
});
const ref = { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'test', name: 'cfg' };
const project = (o: KubeObject): unknown => ({ data: o['data'], annotations: o.metadata.annotations });

test('creates a missing object with an owner reference to the Canary', async () => {
  const kube = new FakeKubeClient();
  const res = await ensureObject(kube, desired({ a: '1' }), { project, owner: canaryOwnerReference(canary) });
  assert.equal(res.action, 'created');
  const stored = kube.peek(ref);
  assert.ok(stored !== undefined && isOwnedBy(stored, canary));
  assert.deepEqual(stored.metadata.ownerReferences, [
    {
      apiVersion: 'flagger.app/v1beta1',
      kind: 'Canary',
      name: 'podinfo',
      uid: 'canary-uid',
      controller: true,
      blockOwnerDeletion: true,
    },
  ]);
});

test('an up-to-date object is not written', async () => {
  const kube = new FakeKubeClient();
  await ensureObject(kube, desired({ a: '1' }), { project });
  kube.requests.reset();
  const res = await ensureObject(kube, desired({ a: '1' }), { project });
  assert.equal(res.action, 'unchanged');
  assert.deepEqual(kube.requests.snapshot(), {
    get: 1,
    list: 0,
    create: 0,
    replace: 0,
    patch: 0,
    patchStatus: 0,
    delete: 0,
  });
});

test('a managed difference is updated; unmanaged live fields survive', async () => {
  const kube = new FakeKubeClient();
  kube.seed({ ...desired({ a: '1' }, { 'other.io/keep': 'yes' }), binaryData: { b: 'AA==' } });
  const res = await ensureObject(kube, desired({ a: '2' }), { project });
  assert.equal(res.action, 'updated');
  const stored = kube.peek(ref);
  assert.ok(stored);
  assert.deepEqual(stored['data'], { a: '2' });
  assert.deepEqual(stored['binaryData'], { b: 'AA==' });
  assert.deepEqual(stored.metadata.annotations, { 'other.io/keep': 'yes' });
  assert.equal(stored.metadata.ownerReferences, undefined, 'pre-existing objects are not adopted');
});

test('differences outside the projection do not cause a write', async () => {
  const kube = new FakeKubeClient();
  await ensureObject(kube, desired({ a: '1' }), { project });
  const onlyData = (o: KubeObject): unknown => o['data'];
  const res = await ensureObject(kube, desired({ a: '1' }, { new: 'x' }), { project: onlyData });
  assert.equal(res.action, 'unchanged');
});

test('a 409 from a concurrent writer is retried from a fresh read', async () => {
  const kube = new FakeKubeClient();
  await ensureObject(kube, desired({ a: '1' }), { project });
  kube.fail({ verb: 'replace', name: 'cfg', status: { code: 409, reason: 'Conflict' } });
  const res = await ensureObject(kube, desired({ a: '2' }), { project });
  assert.equal(res.action, 'updated');
  assert.equal(kube.requests.count('replace'), 2);
  assert.deepEqual(kube.peek(ref)?.['data'], { a: '2' });
});

test('persistent conflicts surface after the configured attempts', async () => {
  const kube = new FakeKubeClient();
  await ensureObject(kube, desired({ a: '1' }), { project });
  kube.fail({ verb: 'replace', name: 'cfg', status: { code: 409, reason: 'Conflict' }, times: 5 });
  await assert.rejects(ensureObject(kube, desired({ a: '2' }), { project, attempts: 2 }), { code: 409 });
});

test('AlreadyExists on create re-reads and updates', async () => {
  const kube = new FakeKubeClient();
  const racing = desired({ a: '0' });
  const orig = kube.create.bind(kube);
  let raced = false;
  kube.create = async (obj, opts) => {
    if (!raced) {
      raced = true;
      kube.seed(racing);
    }
    return orig(obj, opts);
  };
  const res = await ensureObject(kube, desired({ a: '1' }), { project });
  assert.equal(res.action, 'updated');
  assert.deepEqual(kube.peek(ref)?.['data'], { a: '1' });
});

test('mergeTopLevel replaces fields, overlays metadata maps and keeps server fields', () => {
  const live: KubeObject = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'cfg', uid: 'u', labels: { a: '1' }, ownerReferences: [] },
    data: { x: '1' },
    status: { s: 1 },
  };
  const next = mergeTopLevel(live, {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'cfg', labels: { b: '2' } },
    data: { y: '2' },
  });
  assert.deepEqual(next, {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'cfg', uid: 'u', labels: { a: '1', b: '2' }, annotations: {}, ownerReferences: [] },
    data: { y: '2' },
    status: { s: 1 },
  });
});

test('modifyObject: read-modify-write, no write when unchanged, retried on conflict, undefined when missing', async () => {
  const kube = new FakeKubeClient();
  assert.equal(await modifyObject(kube, ref, (o) => o), undefined);
  kube.seed(desired({ a: '1' }));
  kube.requests.reset();
  await modifyObject(kube, ref, (o) => o);
  assert.equal(kube.requests.count('replace'), 0);
  kube.fail({ verb: 'replace', name: 'cfg', status: { code: 409, reason: 'Conflict' } });
  const out = await modifyObject(kube, ref, (o) => ({ ...o, data: { a: '2' } }));
  assert.deepEqual(out?.['data'], { a: '2' });
  assert.equal(kube.requests.count('replace'), 2);
});
