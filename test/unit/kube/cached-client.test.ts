import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cachedClient, type ObjectCache } from '../../../src/kube/cached-client.js';
import { FakeKubeClient } from '../../../src/kube/fake-client.js';
import { reconcileMemo } from '../../../src/kube/reconcile-memo.js';
import type { KubeObject } from '../../../src/kube/types.js';

/** A watch cache stand-in: a map the test fills as a watch would. */
class MapCache implements ObjectCache {
  readonly objects = new Map<string, KubeObject>();
  get(namespace: string | undefined, name: string): KubeObject | undefined {
    return this.objects.get(`${namespace ?? ''}/${name}`);
  }
  observe(obj: KubeObject): void {
    this.objects.set(`${obj.metadata.namespace ?? ''}/${obj.metadata.name}`, obj);
  }
  forgetObject(namespace: string | undefined, name: string): void {
    this.objects.delete(`${namespace ?? ''}/${name}`);
  }
}

const svc = (name: string, port = 80): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'test' },
  spec: { ports: [{ port }] },
});
/** The port numbers of a Service (the fake API server adds defaults around them). */
const portsOf = (o: KubeObject | undefined): number[] => {
  const spec = o?.['spec'] as { ports?: { port: number }[] } | undefined;
  return (spec?.ports ?? []).map((p) => p.port);
};
const ref = (name: string) => ({ apiVersion: 'v1', kind: 'Service', name, namespace: 'test' });

function setup(synced = true) {
  const api = new FakeKubeClient();
  const cache = new MapCache();
  const client = cachedClient(api, (apiVersion, kind) =>
    synced && apiVersion === 'v1' && kind === 'Service' ? cache : undefined,
  );
  return { api, cache, client };
}

describe('cachedClient', () => {
  it('serves reads of a synced kind from the cache, absent objects included, without requests', async () => {
    const { api, cache, client } = setup();
    cache.observe(svc('podinfo'));
    assert.deepEqual((await client.get(ref('podinfo')))?.['spec'], { ports: [{ port: 80 }] });
    assert.equal(await client.get(ref('missing')), undefined);
    assert.equal(api.requests.total, 0);
  });

  it('hands out copies: a caller editing what it read does not change the cache', async () => {
    const { cache, client } = setup();
    cache.observe(svc('podinfo'));
    const read = await client.get(ref('podinfo'));
    assert.ok(read !== undefined);
    read['spec'] = { ports: [{ port: 9 }] };
    assert.deepEqual(cache.get('test', 'podinfo')?.['spec'], { ports: [{ port: 80 }] });
  });

  it('writes through: the next read sees our write before any watch event', async () => {
    const { api, cache, client } = setup();
    await client.create(svc('podinfo', 8080));
    assert.equal(api.requests.count('create'), 1);
    assert.deepEqual(portsOf(cache.get('test', 'podinfo')), [8080]);
    assert.deepEqual(portsOf(await client.get(ref('podinfo'))), [8080]);
    assert.equal(api.requests.count('get'), 0);
  });

  it('after a 409 the next read of that object goes to the API server, then the cache again', async () => {
    const { api, cache, client } = setup();
    api.seed(svc('podinfo', 9090)); // someone created it; our watch has not seen it yet
    await assert.rejects(client.create(svc('podinfo')), { name: 'KubeApiError' });
    const live = await client.get(ref('podinfo'));
    assert.deepEqual(portsOf(live), [9090]);
    assert.equal(api.requests.count('get'), 1);
    assert.deepEqual(portsOf(cache.get('test', 'podinfo')), [9090]);
    await client.get(ref('podinfo'));
    assert.equal(api.requests.count('get'), 1);
  });

  it('reads a kind whose cache is not synced from the API server', async () => {
    const { api, client } = setup(false);
    api.seed(svc('podinfo'));
    assert.ok((await client.get(ref('podinfo'))) !== undefined);
    assert.equal(api.requests.count('get'), 1);
  });
});

describe('reconcileMemo over the cached client (one copy per read)', () => {
  it('serves the cached object to each caller as a private copy; a distrusted object is read live', async () => {
    const { api, cache, client } = setup();
    await api.create(svc('a', 80));
    cache.observe(svc('a', 80));
    const memo = reconcileMemo(client);
    const first = await memo.get(ref('a'));
    assert.deepEqual(portsOf(first), [80]);
    assert.ok(first);
    first['spec'] = { ports: [{ port: 1 }] };
    assert.deepEqual(portsOf(await memo.get(ref('a'))), [80], 'a caller changing its copy changes nothing');
    assert.deepEqual(portsOf(cache.get('test', 'a')), [80], 'nor the cache');
    assert.equal(api.requests.count('get'), 0);
    assert.equal(await memo.get(ref('missing')), undefined, 'absent from a synced cache: absent');

    // A 409 distrusts the cached copy: the next reconcile's memo reads the API server.
    await api.create(svc('b', 81));
    await assert.rejects(client.create(svc('b', 80)));
    const fresh = reconcileMemo(client);
    assert.deepEqual(portsOf(await fresh.get(ref('b'))), [81]);
    assert.equal(api.requests.count('get'), 1);
  });
});
