// The raw watch against a fake API server: events split across chunks, bookmarks, lines that
// are not JSON, the server ending the stream, our abort, a refused watch; done exactly once.
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { statusCode } from '../../../src/kube/errors.js';
import { KubeTransport } from '../../../src/kube/transport.js';
import { startWatch } from '../../../src/kube/watch.js';
import { json, kubeconfigFor, startFakeApiServer, type FakeApiServer } from './fake-apiserver.js';

describe('startWatch', () => {
  let api: FakeApiServer;
  let transport: KubeTransport;
  const open: ServerResponse[] = [];
  before(async () => {
    api = await startFakeApiServer((req, res) => {
      if (req.path.endsWith('/forbidden')) {
        json(res, 403, { kind: 'Status', reason: 'Forbidden', message: 'no', code: 403 });
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json' });
      if (req.path.endsWith('/hang')) {
        res.write('{"type":"ADDED","object":{"metadata":{"name":"a"}}}\n');
        open.push(res);
        return;
      }
      res.write('{"type":"ADDED","object":{"metadata":{"name":"a","resourceVersion":"5"}}}\n{"type":"BOOK');
      setTimeout(() => {
        res.write('MARK","object":{"metadata":{"resourceVersion":"6"}}}\nnot json\n');
        res.end('{"type":"ERROR","object":{"kind":"Status","code":410}}\n');
      }, 20);
    });
    transport = new KubeTransport(kubeconfigFor(api.url, { token: 'T' }));
  });
  after(async () => {
    for (const r of open) r.end();
    transport.close();
    await api.close();
  });

  function run(path: string, extra: { accept?: string } = {}) {
    const events: [string, unknown][] = [];
    const done: unknown[] = [];
    let resolveDone: () => void = () => undefined;
    const finished = new Promise<void>((r) => {
      resolveDone = r;
    });
    const started = startWatch(
      transport,
      { path, resourceVersion: '4', allowWatchBookmarks: true, timeoutSeconds: 300, ...extra },
      (type, object) => events.push([type, object]),
      (err) => {
        done.push(err);
        resolveDone();
      },
    );
    return { events, done, started, finished };
  }

  it('delivers each line as an event, across chunk boundaries, until the server ends the stream', async () => {
    const w = run('/api/v1/namespaces/x/configmaps?labelSelector=a%3Db', {
      accept: 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1',
    });
    await w.finished;
    assert.deepEqual(
      w.events.map(([type]) => type),
      ['ADDED', 'BOOKMARK', 'ERROR'],
      'the line that is not JSON is skipped',
    );
    assert.deepEqual(w.done, [null], 'the server closed the stream: done(null), once');
    const req = api.requests.at(-1);
    assert.ok(req);
    assert.equal(req.query.get('watch'), 'true');
    assert.equal(req.query.get('resourceVersion'), '4');
    assert.equal(req.query.get('allowWatchBookmarks'), 'true');
    assert.equal(req.query.get('timeoutSeconds'), '300');
    assert.equal(req.query.get('labelSelector'), 'a=b', "the path's own query is kept");
    assert.equal(req.headers.accept, 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1');
    assert.equal(req.headers.authorization, 'Bearer T');
  });

  it('ends with an error, once, when aborted', async () => {
    const w = run('/api/v1/hang');
    const controller = await w.started;
    while (w.events.length === 0) await new Promise((r) => setTimeout(r, 5));
    controller.abort();
    await w.finished;
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(w.done.length, 1);
    assert.ok(w.done[0] instanceof Error);
  });

  it('a refused watch ends at once with the status', async () => {
    const w = run('/api/v1/forbidden');
    await w.finished;
    assert.equal(w.events.length, 0);
    assert.equal(statusCode(w.done[0]), 403);
    assert.match(String(w.done[0]), /watch \/api\/v1\/forbidden: no/);
  });
});
