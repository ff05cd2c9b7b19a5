// type concord against a fake Concord server on 127.0.0.1.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { Loadtester } from '../../../src/loadtester/server.js';
import { type StubServer, startStub } from '../metrics/stub-server.js';
import { type TempDir, hook, post, startTester, tempDir } from './helpers.js';

/** The text fields of a multipart/form-data body. */
function multipartFields(contentType: string, body: string): Map<string, string> {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType);
  const marker = boundary?.[1] ?? boundary?.[2];
  assert.ok(marker, `multipart boundary in ${contentType}`);
  const fields = new Map<string, string>();
  for (const part of body.split(`--${marker}`)) {
    const [head, ...rest] = part.split('\r\n\r\n');
    const name = /name="([^"]*)"/.exec(head ?? '')?.[1];
    if (name !== undefined) fields.set(name, rest.join('\r\n\r\n').replace(/\r\n$/, ''));
  }
  return fields;
}

describe('concord tasks', () => {
  let concord: StubServer;
  let lt: Loadtester;
  let dir: TempDir;
  /** Statuses answered to successive polls; the last one repeats. */
  let statuses: string[] = [];
  let form: Map<string, string> | undefined;

  before(async () => {
    dir = tempDir();
    writeFileSync(dir.file('api-key'), 'secret-key\n');
    concord = await startStub((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.method === 'POST' && req.url.pathname === '/api/v1/process') {
        form = multipartFields(req.headers['content-type'] ?? '', req.body);
        res.end(JSON.stringify({ instanceId: 'inst-1', ok: true }));
      } else if (req.method === 'GET' && req.url.pathname === '/api/v1/process/inst-1') {
        const status = statuses.length > 1 ? statuses.shift() : statuses[0];
        res.end(JSON.stringify({ instanceId: 'inst-1', status }));
      } else {
        res.statusCode = 404;
        res.end('{}');
      }
    });
    lt = await startTester();
  });
  after(async () => {
    await lt.close();
    await concord.close();
    dir.remove();
  });
  beforeEach(() => {
    concord.requests.length = 0;
    form = undefined;
  });

  const metadata = (over: Record<string, string> = {}): Record<string, string> => ({
    type: 'concord',
    server: concord.url,
    org: 'acme',
    project: 'canary',
    repo: 'tests',
    entrypoint: 'smoke',
    apiKeyPath: dir.file('api-key'),
    endpoint: 'http://podinfo-canary.test:9898',
    pollInterval: '0.05',
    pollTimeout: '3',
    ...over,
  });

  it('starts a process with the form fields and API key, and answers 200 once it is FINISHED', async () => {
    statuses = ['RUNNING', 'RUNNING', 'FINISHED'];
    const res = await post(lt, '/', hook(metadata({ 'arguments.team': 'web' })));
    assert.deepEqual(res, { status: 200, body: '' });
    const start = concord.requests[0];
    assert.equal(start?.headers['authorization'], 'secret-key');
    assert.ok(form);
    assert.equal(form.get('org'), 'acme');
    assert.equal(form.get('project'), 'canary');
    assert.equal(form.get('repo'), 'tests');
    assert.equal(form.get('entryPoint'), 'smoke');
    assert.equal(form.get('arguments.endpoint'), 'http://podinfo-canary.test:9898');
    assert.equal(form.get('arguments.team'), 'web');
    const polls = concord.requests.filter((r) => r.method === 'GET');
    assert.equal(polls.length, 3);
    assert.ok(polls.every((r) => r.headers['authorization'] === 'secret-key'));
  });

  it('answers 500 when the process FAILED', async () => {
    statuses = ['RUNNING', 'FAILED'];
    const res = await post(lt, '/', hook(metadata()));
    assert.equal(res.status, 500);
    assert.match(res.body, /concord process inst-1 failed/);
  });

  it('answers 500 when the process does not finish within pollTimeout', async () => {
    statuses = ['RUNNING'];
    const t0 = Date.now();
    const res = await post(lt, '/', hook(metadata({ pollTimeout: '0.3' })));
    assert.equal(res.status, 500);
    assert.match(res.body, /timed out after 0.3s/);
    assert.ok(Date.now() - t0 < 10_000);
  });

  it('answers 500 for bad metadata, like Flagger', async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [metadata({ org: '' }), /metadata org is required/],
      [metadata({ apiKeyPath: dir.file('missing') }), /apiKeyPath file .* does not exist/],
      [metadata({ 'arguments.endpoint': 'x' }), /arguments.endpoint cannot be set/],
      [metadata({ pollInterval: 'soon' }), /pollInterval must be a positive number of seconds/],
      [metadata({ server: 'not a url' }), /server is not a valid URL/],
    ];
    for (const [meta, message] of cases) {
      const res = await post(lt, '/', hook(meta));
      assert.equal(res.status, 500, JSON.stringify(meta));
      assert.match(res.body, message);
    }
    assert.equal(concord.requests.length, 0);
  });

  it('answers 500 when the server answers an error', async () => {
    const broken = await startStub((_req, res) => {
      res.writeHead(503);
      res.end('maintenance');
    });
    try {
      const res = await post(lt, '/', hook(metadata({ server: broken.url })));
      assert.equal(res.status, 500);
      assert.match(res.body, /^concord acme\/canary\/tests\/smoke failed: POST .*: HTTP 503: maintenance$/);
    } finally {
      await broken.close();
    }
  });
});
