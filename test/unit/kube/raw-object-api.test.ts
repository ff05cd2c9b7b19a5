// Discovery and the plain-JSON object API against a fake API server: kind → plural and scope
// from the discovery documents (cached, looked up again on a miss so a late CRD is found),
// the context's namespace as the default, and failures mapped as errors.ts expects
// (KindNotServed is not NotFound, AlreadyExists is not a conflict, 5xx is transient).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createKubeClient } from '../../../src/kube/client.js';
import {
  isAlreadyExists,
  isConflict,
  isKindNotServed,
  isNotFound,
  isTransient,
  statusCode,
} from '../../../src/kube/errors.js';
import { RawObjectApi } from '../../../src/kube/raw-object-api.js';
import { KubeTransport } from '../../../src/kube/transport.js';
import { json, kubeconfigFor, startFakeApiServer, type FakeApiServer } from './fake-apiserver.js';

const CORE = {
  kind: 'APIResourceList',
  resources: [
    { name: 'pods', kind: 'Pod', namespaced: true },
    { name: 'pods/status', kind: 'Pod', namespaced: true },
    { name: 'namespaces', kind: 'Namespace', namespaced: false },
  ],
};
const GADGETS = {
  kind: 'APIResourceList',
  resources: [{ name: 'gadgets', kind: 'Gadget', namespaced: true }],
};

describe('RawObjectApi', () => {
  let api: FakeApiServer;
  let crdInstalled = false;
  let discoveryDown = false;
  before(async () => {
    api = await startFakeApiServer((req, res) => {
      if (req.path === '/api/v1') {
        if (discoveryDown) json(res, 503, { kind: 'Status', reason: 'ServiceUnavailable', message: 'busy' });
        else json(res, 200, CORE);
      } else if (req.path === '/apis/example.com/v1') {
        if (crdInstalled) json(res, 200, GADGETS);
        else json(res, 404, { kind: 'Status', reason: 'NotFound', code: 404 });
      } else if (req.path === '/api/v1/namespaces/apps/pods/p' && req.method === 'GET') {
        json(res, 200, {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: 'p', namespace: 'apps', creationTimestamp: '2026-01-01T00:00:00Z' },
        });
      } else if (req.path === '/api/v1/namespaces/apps/pods' && req.method === 'POST') {
        json(res, 409, {
          kind: 'Status',
          reason: 'AlreadyExists',
          message: 'pods "p" already exists',
          code: 409,
        });
      } else if (req.path === '/api/v1/namespaces/apps/pods/stale') {
        json(res, 409, {
          kind: 'Status',
          reason: 'Conflict',
          message: 'the object has been modified',
          code: 409,
        });
      } else if (req.path === '/api/v1/namespaces' && req.method === 'GET') {
        json(res, 200, { kind: 'NamespaceList', items: [{ metadata: { name: 'apps' } }] });
      } else if (req.path === '/apis/example.com/v1/namespaces/apps/gadgets/g/status') {
        json(res, 200, {
          apiVersion: 'example.com/v1',
          kind: 'Gadget',
          metadata: { name: 'g' },
          ...(JSON.parse(req.body) as object),
        });
      } else {
        json(res, 404, { kind: 'Status', reason: 'NotFound', code: 404, message: `${req.path} not found` });
      }
    });
  });
  after(() => api.close());
  const discoveries = (path: string): number => api.requests.filter((r) => r.path === path).length;

  it('finds where a kind lives, caches discovery, and uses the context namespace by default', async () => {
    const t = new KubeTransport(kubeconfigFor(api.url, { token: 'T' }, {}, 'apps'));
    const objects = new RawObjectApi(t);
    const pod = await objects.getObject({ apiVersion: 'v1', kind: 'Pod', name: 'p' });
    assert.ok(pod);
    assert.equal(pod.metadata.namespace, 'apps');
    assert.equal(pod.metadata['creationTimestamp'], '2026-01-01T00:00:00Z', 'JSON verbatim: no Dates');
    assert.equal(
      await objects.getObject({ apiVersion: 'v1', kind: 'Pod', namespace: 'apps', name: 'gone' }),
      undefined,
    );
    const namespaces = await objects.listObjects({
      apiVersion: 'v1',
      kind: 'Namespace',
      namespace: undefined,
    });
    assert.deepEqual(
      namespaces.map((n) => n.metadata.name),
      ['apps'],
    );
    assert.equal(await objects.collectionPath('v1', 'Pod', 'apps'), '/api/v1/namespaces/apps/pods');
    assert.equal(await objects.collectionPath('v1', 'Pod', ''), '/api/v1/pods');
    assert.equal(
      await objects.collectionPath('v1', 'Namespace', 'apps'),
      '/api/v1/namespaces',
      'cluster-scoped',
    );
    assert.equal(discoveries('/api/v1'), 1, 'one discovery request for every kind of v1');
    t.close();
  });

  it('a kind that is not served is KindNotServed, looked up again until its CRD is installed', async () => {
    const client = createKubeClient(kubeconfigFor(api.url, { token: 'T' }, {}, 'apps'));
    const ref = { apiVersion: 'example.com/v1', kind: 'Gadget', namespace: 'apps', name: 'g' };
    const err = await client.get(ref).catch((e: unknown) => e);
    assert.equal(isKindNotServed(err), true);
    assert.equal(isNotFound(err), false, 'not mistaken for a missing object');
    assert.match(
      String(err),
      /example.com\/v1 Gadget is not served by the API server \(is its CRD installed\?\)/,
    );
    await Promise.all([1, 2, 3].map(() => client.get(ref).catch(() => undefined)));
    assert.equal(discoveries('/apis/example.com/v1'), 2, 'concurrent misses share one discovery request');
    crdInstalled = true;
    const written = await client.patchStatus(ref, { phase: 'Ready' });
    assert.deepEqual(
      written['status'],
      { phase: 'Ready' },
      'found after the CRD appeared; merge patch of /status',
    );
    const patch = api.requests.at(-1);
    assert.ok(patch);
    assert.equal(patch.method, 'PATCH');
    assert.equal(patch.headers['content-type'], 'application/merge-patch+json');
  });

  it('maps failures as errors.ts expects, and names the request', async () => {
    const client = createKubeClient(kubeconfigFor(api.url, { token: 'T' }, {}, 'apps'));
    const exists = await client
      .create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'apps' } })
      .catch((e: unknown) => e);
    assert.equal(isAlreadyExists(exists), true);
    assert.equal(isConflict(exists), false);
    assert.equal(
      String(exists),
      'KubeApiError: create Pod apps/p: 409 AlreadyExists: pods "p" already exists',
    );
    const stale = await client
      .replace({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'stale', namespace: 'apps', resourceVersion: '1' },
      })
      .catch((e: unknown) => e);
    assert.equal(isConflict(stale), true);
    assert.equal(
      await client.delete({ apiVersion: 'v1', kind: 'Pod', namespace: 'apps', name: 'gone' }),
      false,
    );
    const del = api.requests.at(-1);
    assert.equal(del?.body, '{"propagationPolicy":"Background"}');
    assert.equal(client.requests.total, 3);
  });

  it('a failed discovery is the API server status, transient for a 5xx', async () => {
    discoveryDown = true;
    try {
      const objects = new RawObjectApi(new KubeTransport(kubeconfigFor(api.url, { token: 'T' })));
      const err = await objects
        .getObject({ apiVersion: 'v1', kind: 'Pod', namespace: 'apps', name: 'p' })
        .catch((e: unknown) => e);
      assert.equal(statusCode(err), 503);
      assert.equal(isTransient(err), true);
      assert.match(String(err), /get Pod apps\/p: 503 ServiceUnavailable: discovery of v1 failed: busy/);
    } finally {
      discoveryDown = false;
    }
  });
});
