// The informer over the raw watch, against a fake API server: list, then watch from the list's
// resourceVersion; a bookmark moves the resourceVersion without an event; 410 Gone makes it
// list again (objects that vanished meanwhile become deletions) and watch from the new list;
// a watch the server ends resumes from the last resourceVersion without a list; stop() ends it.
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { Informer } from '../../../src/controller/informer.js';
import { KubeTransport } from '../../../src/kube/transport.js';
import { json, kubeconfigFor, startFakeApiServer, type FakeApiServer } from '../kube/fake-apiserver.js';

const cm = (name: string, rv: string) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'ns', resourceVersion: rv },
});
const line = (type: string, object: unknown): string => `${JSON.stringify({ type, object })}\n`;

describe('Informer', () => {
  let api: FakeApiServer;
  let lists = 0;
  let watches = 0;
  const hanging: ServerResponse[] = [];
  before(async () => {
    api = await startFakeApiServer((req, res) => {
      if (req.query.get('watch') !== 'true') {
        lists++;
        const items = lists === 1 ? [cm('a', '5')] : [cm('b', '20')];
        json(res, 200, {
          kind: 'ConfigMapList',
          metadata: { resourceVersion: lists === 1 ? '10' : '20' },
          items,
        });
        return;
      }
      watches++;
      res.writeHead(200, { 'Content-Type': 'application/json' });
      if (watches === 1) {
        // From the first list: a change, a bookmark, then "too old" (410) and the end.
        res.write(line('MODIFIED', cm('a', '11')));
        res.write(line('BOOKMARK', { kind: 'ConfigMap', metadata: { resourceVersion: '15' } }));
        res.end(line('ERROR', { kind: 'Status', code: 410, reason: 'Expired' }));
      } else if (watches === 2) {
        // From the relist: the server ends this one cleanly.
        res.end(line('ADDED', cm('c', '21')));
      } else {
        hanging.push(res);
      }
    });
  });
  after(async () => {
    for (const r of hanging) r.end();
    await api.close();
  });

  it('lists, watches, relists after 410 Gone and resumes after a clean end', async () => {
    const changes: string[] = [];
    const errors: unknown[] = [];
    const transport = new KubeTransport(kubeconfigFor(api.url, { token: 'T' }));
    const informer = new Informer(transport, {
      path: '/api/v1/namespaces/ns/configmaps',
      apiVersion: 'v1',
      kind: 'ConfigMap',
      retryMs: 20,
      onChange: (type, obj) => changes.push(`${type} ${obj.metadata.name}`),
      onError: (err) => errors.push(err),
    });
    await informer.start();
    const deadline = Date.now() + 10_000;
    while (watches < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    informer.stop();
    transport.close();

    assert.deepEqual(changes, ['added a', 'modified a', 'added b', 'deleted a', 'added c']);
    assert.equal(lists, 2, 'one list at start, one after the 410');
    const watchRvs = api.requests
      .filter((r) => r.query.get('watch') === 'true')
      .map((r) => r.query.get('resourceVersion'));
    assert.deepEqual(watchRvs, ['10', '20', '21'], 'from the list, from the relist, from the last event');
    assert.deepEqual(errors, []);
    assert.deepEqual(
      informer.list().map((o) => o.metadata.name),
      ['b', 'c'],
    );
  });
});
