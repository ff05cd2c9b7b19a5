// The informer over the raw watch, against a fake API server: list, then watch from the list's
// resourceVersion; a bookmark moves the resourceVersion without an event; 410 Gone makes it
// list again (objects that vanished meanwhile become deletions) and watch from the new list;
// a watch the server ends resumes from the last resourceVersion without a list; stop() ends it.
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { Informer, type InformerOptions } from '../../../src/controller/informer.js';
import { KubeTransport } from '../../../src/kube/transport.js';
import { json, kubeconfigFor, startFakeApiServer, type FakeApiServer } from '../kube/fake-apiserver.js';

const cm = (name: string, rv: string) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'ns', resourceVersion: rv },
});
const line = (type: string, object: unknown): string => `${JSON.stringify({ type, object })}\n`;

/** A ConfigMap informer of namespace `ns` on the fake API server, retrying after 20 ms. */
function configMapInformer(
  url: string,
  handlers: Pick<InformerOptions, 'onChange' | 'onError' | 'onRecovered'>,
): { transport: KubeTransport; informer: Informer } {
  const transport = new KubeTransport(kubeconfigFor(url, { token: 'T' }));
  const informer = new Informer(transport, {
    path: '/api/v1/namespaces/ns/configmaps',
    apiVersion: 'v1',
    kind: 'ConfigMap',
    retryMs: 20,
    ...handlers,
  });
  return { transport, informer };
}

async function waitUntil(done: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
}

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
    const { transport, informer } = configMapInformer(api.url, {
      onChange: (type, obj) => changes.push(`${type} ${obj.metadata.name}`),
      onError: (err) => errors.push(err),
    });
    await informer.start();
    await waitUntil(() => watches >= 3);
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

describe('Informer outage recovery', () => {
  it('reports recovery once, when a watch opens again after failed lists and watches', async () => {
    let watches = 0;
    let lists = 0;
    const hanging: ServerResponse[] = [];
    const api = await startFakeApiServer((req, res) => {
      if (req.query.get('watch') !== 'true') {
        lists++;
        // The list after the failed watch fails too: the API server is still away.
        if (lists === 2) {
          json(res, 503, { kind: 'Status', code: 503, message: 'unavailable' });
          return;
        }
        json(res, 200, { kind: 'ConfigMapList', metadata: { resourceVersion: '10' }, items: [] });
        return;
      }
      watches++;
      if (watches === 1) {
        json(res, 503, { kind: 'Status', code: 503, message: 'unavailable' });
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.flushHeaders(); // the watch is open: the client sees the answer's head
      hanging.push(res);
    });
    const events: string[] = [];
    const { transport, informer } = configMapInformer(api.url, {
      onError: () => events.push('error'),
      onRecovered: () => events.push('recovered'),
    });
    try {
      await informer.start();
      await waitUntil(() => events.includes('recovered'));
    } finally {
      informer.stop();
      transport.close();
      for (const r of hanging) r.end();
      await api.close();
    }
    assert.ok(events.filter((e) => e === 'error').length >= 2, JSON.stringify(events));
    assert.equal(events.filter((e) => e === 'recovered').length, 1, JSON.stringify(events));
    assert.equal(events.at(-1), 'recovered', 'after the errors, not before');
  });
});
