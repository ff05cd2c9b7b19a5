// The operator's own transport to the API server, against a fake server on loopback: TLS
// from the kubeconfig (CA data, client certificate data or files, insecure-skip-tls-verify),
// credentials (token, rotating token file, basic auth, impersonation), one kept-alive
// connection, a 401 retried once only when the credentials rotated, an http:// proxy-url,
// and an exec credential plugin through the lazily loaded client-node.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isTransient } from '../../../src/kube/errors.js';
import { KubeTransport } from '../../../src/kube/transport.js';
import { startProxy } from '../../harness/forward-proxy.js';
import { selfSignedCert } from '../metrics/stub-server.js';
import { json, kubeconfigFor, startFakeApiServer, type FakeApiServer } from './fake-apiserver.js';

const dir = mkdtempSync(join(tmpdir(), 'flagger-ts-transport-'));
after(() => {
  rmSync(dir, { recursive: true, force: true });
});

const serverTls = selfSignedCert();
const clientTls = selfSignedCert();
const b64 = (s: string): string => Buffer.from(s).toString('base64');
const noTls = serverTls === undefined || clientTls === undefined ? 'openssl unavailable' : false;

describe('KubeTransport over TLS', { skip: noTls }, () => {
  let api: FakeApiServer;
  before(async () => {
    if (serverTls === undefined) return;
    api = await startFakeApiServer(
      (req, res) => {
        json(res, 200, { path: req.path });
      },
      { ...serverTls, requestCert: true },
    );
  });
  after(() => api.close());

  it('trusts the CA from certificate-authority-data and keeps one connection alive', async () => {
    const t = new KubeTransport(
      kubeconfigFor(api.url, { token: 'T' }, { caData: b64(serverTls?.cert ?? '') }),
    );
    const before = api.connections;
    for (let i = 0; i < 5; i++) {
      const res = await t.request({ method: 'GET', path: `/api/v1/x${String(i)}` });
      assert.equal(res.status, 200);
    }
    await Promise.all([1, 2, 3].map(() => t.request({ method: 'GET', path: '/api/v1/y' })));
    assert.ok(
      api.connections - before <= 3,
      `${String(api.connections - before)} connections for 8 requests`,
    );
    const last = api.requests.at(-1);
    assert.ok(last);
    assert.equal(last.headers.authorization, 'Bearer T');
    assert.equal(last.headers.accept, 'application/json');
    t.close();
  });

  it('refuses a server its CA does not vouch for, unless insecure-skip-tls-verify', async () => {
    const strict = new KubeTransport(kubeconfigFor(api.url, {}, { caData: b64(clientTls?.cert ?? '') }));
    await assert.rejects(strict.request({ method: 'GET', path: '/' }), (err: Error) => {
      assert.match(err.message, /certificate/);
      assert.equal(isTransient(err), true, 'a transport failure, retried like any other');
      return true;
    });
    const insecure = new KubeTransport(kubeconfigFor(api.url, {}, { skipTLSVerify: true }));
    assert.equal((await insecure.request({ method: 'GET', path: '/' })).status, 200);
    insecure.close();
  });

  it('presents the client certificate, from data or from files', async () => {
    if (clientTls === undefined || serverTls === undefined) return;
    const cluster = { caData: b64(serverTls.cert) };
    const fromData = new KubeTransport(
      kubeconfigFor(api.url, { certData: b64(clientTls.cert), keyData: b64(clientTls.key) }, cluster),
    );
    await fromData.request({ method: 'GET', path: '/data' });
    writeFileSync(join(dir, 'client.crt'), clientTls.cert);
    writeFileSync(join(dir, 'client.key'), clientTls.key);
    const fromFiles = new KubeTransport(
      kubeconfigFor(
        api.url,
        { certFile: join(dir, 'client.crt'), keyFile: join(dir, 'client.key') },
        cluster,
      ),
    );
    await fromFiles.request({ method: 'GET', path: '/files' });
    const certs = api.requests
      .filter((r) => r.path === '/data' || r.path === '/files')
      .map((r) => r.clientCert);
    assert.equal(certs.length, 2);
    assert.ok(certs[0] !== undefined && certs[0] === certs[1], 'the same client certificate both ways');
    fromData.close();
    fromFiles.close();
  });

  it('reaches the server through an http:// proxy-url (CONNECT tunnel), without client-node', async () => {
    const proxy = await startProxy();
    try {
      const t = new KubeTransport(
        kubeconfigFor(api.url, { token: 'T' }, { caData: b64(serverTls?.cert ?? ''), proxyUrl: proxy.url }),
      );
      assert.equal(t.usesClientNode, false);
      assert.equal((await t.request({ method: 'GET', path: '/via-proxy' })).status, 200);
      assert.equal((await t.request({ method: 'GET', path: '/via-proxy' })).status, 200);
      const port = new URL(api.url).port;
      assert.deepEqual(
        proxy.log.map((l) => `${l.method} ${l.target}`),
        [`CONNECT 127.0.0.1:${port}`],
        'one tunnel, kept alive for both requests',
      );
      t.close();
    } finally {
      proxy.server.closeAllConnections();
      proxy.server.close();
    }
  });
});

describe('KubeTransport keep-alive', () => {
  it('sends a request again on a fresh connection when the kept-alive one was closed by the server', async () => {
    // The second request on a connection finds it closed, as when the API server drops an idle one.
    const served = new WeakMap<object, number>();
    const api = await startFakeApiServer((req, res) => {
      const socket = res.socket ?? {};
      const n = (served.get(socket) ?? 0) + 1;
      served.set(socket, n);
      if (n > 1) res.socket?.destroy();
      else json(res, 200, { path: req.path });
    });
    try {
      const t = new KubeTransport(kubeconfigFor(api.url, { token: 'T' }));
      assert.equal((await t.request({ method: 'GET', path: '/one' })).status, 200);
      const res = await t.request({ method: 'PATCH', path: '/two', body: '{}' });
      assert.equal(res.status, 200);
      assert.deepEqual(JSON.parse(res.text), { path: '/two' });
      assert.equal(api.connections, 2);
      t.close();
    } finally {
      await api.close();
    }
  });
});

describe('KubeTransport credentials', () => {
  let api: FakeApiServer;
  let accepted = new Set<string>();
  before(async () => {
    api = await startFakeApiServer((req, res) => {
      const auth = req.headers.authorization ?? '';
      if (accepted.has(auth)) json(res, 200, { ok: true });
      else json(res, 401, { kind: 'Status', reason: 'Unauthorized', message: 'Unauthorized', code: 401 });
    });
  });
  after(() => api.close());
  const sent = (): (string | undefined)[] => api.requests.map((r) => r.headers.authorization);

  it('re-reads a rotated token file after a minute, and at once after a 401', async () => {
    const tokenFile = join(dir, 'token');
    writeFileSync(tokenFile, 'old\n');
    let now = 0;
    const t = new KubeTransport(kubeconfigFor(api.url, { tokenFile }), { now: () => now });
    accepted = new Set(['Bearer old']);
    api.requests.length = 0;
    assert.equal((await t.request({ method: 'GET', path: '/' })).status, 200, 'the file, trimmed');

    // The kubelet rotated the token and the old one was revoked: the 401 makes it re-read at once.
    writeFileSync(tokenFile, 'new');
    accepted = new Set(['Bearer new']);
    now = 1_000;
    assert.equal((await t.request({ method: 'PUT', path: '/', body: '{"a":1}' })).status, 200);
    assert.deepEqual(sent(), ['Bearer old', 'Bearer old', 'Bearer new'], 'one retry, with the new token');
    assert.equal(api.requests.at(-1)?.body, '{"a":1}', 'the retry carries the body again');

    // Rotated while the old one still works: picked up at the next check, a minute later.
    writeFileSync(tokenFile, 'newer');
    accepted = new Set(['Bearer new', 'Bearer newer']);
    now = 30_000;
    await t.request({ method: 'GET', path: '/' });
    now = 62_000;
    await t.request({ method: 'GET', path: '/' });
    assert.deepEqual(sent().slice(-2), ['Bearer new', 'Bearer newer']);
    t.close();
  });

  it('does not retry a 401 when nothing rotated', async () => {
    accepted = new Set();
    api.requests.length = 0;
    const t = new KubeTransport(kubeconfigFor(api.url, { token: 'static' }));
    const res = await t.request({ method: 'POST', path: '/', body: '{}' });
    assert.equal(res.status, 401);
    assert.match(res.text, /Unauthorized/);
    assert.equal(api.requests.length, 1);
    t.close();
  });

  it('sends basic auth and impersonation headers', async () => {
    accepted = new Set([`Basic ${b64('admin:pw')}`]);
    const t = new KubeTransport(
      kubeconfigFor(api.url, { username: 'admin', password: 'pw', impersonateUser: 'jane' }),
    );
    assert.equal((await t.request({ method: 'GET', path: '/' })).status, 200);
    assert.equal(api.requests.at(-1)?.headers['impersonate-user'], 'jane');
    t.close();
  });

  it('a missing token file is an error naming the file, and is tried again at the next request', async () => {
    const tokenFile = join(dir, 'not-yet');
    const t = new KubeTransport(kubeconfigFor(api.url, { tokenFile }));
    await assert.rejects(t.request({ method: 'GET', path: '/' }), /cannot read .*not-yet: ENOENT/);
    writeFileSync(tokenFile, 'late');
    accepted = new Set(['Bearer late']);
    assert.equal((await t.request({ method: 'GET', path: '/' })).status, 200);
    t.close();
  });

  it('runs an exec credential plugin through client-node, loaded for this case only', async () => {
    const plugin = join(dir, 'plugin.mjs');
    writeFileSync(
      plugin,
      `process.stdout.write(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: 'from-plugin' } }));`,
    );
    const exec = { apiVersion: 'client.authentication.k8s.io/v1', command: process.execPath, args: [plugin] };
    const t = new KubeTransport(kubeconfigFor(api.url, { exec }));
    assert.equal(t.usesClientNode, true);
    accepted = new Set(['Bearer from-plugin']);
    assert.equal((await t.request({ method: 'GET', path: '/' })).status, 200);
    t.close();
  });
});
