// Alerts through an HTTP proxy, against real servers on loopback: a forwarding proxy
// (absolute-form for http targets, CONNECT tunnels for https targets) in front of a chat
// stand-in. The proxy must see the request; credentials go in Proxy-Authorization.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createNotifier } from '../../../src/notifiers/index.js';
import { httpRequest } from '../../../src/webhooks/http.js';
import { startProxy } from '../../harness/forward-proxy.js';

describe('notifiers through a proxy', () => {
  let proxy: Awaited<ReturnType<typeof startProxy>>;
  let chat: Server;
  let chatUrl = '';
  const received: { path: string; body: string }[] = [];
  before(async () => {
    proxy = await startProxy();
    chat = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ path: req.url ?? '', body: Buffer.concat(chunks).toString('utf8') });
        res.end('ok');
      });
    });
    await new Promise<void>((r) => chat.listen(0, '127.0.0.1', r));
    chatUrl = `http://127.0.0.1:${String((chat.address() as AddressInfo).port)}`;
  });
  after(() => {
    proxy.server.closeAllConnections();
    proxy.server.close();
    chat.closeAllConnections();
    chat.close();
  });

  it('posts an http alert through the proxy with its credentials', async () => {
    const proxyWithAuth = proxy.url.replace('http://', 'http://ops:s%3Acret@');
    const n = createNotifier({ type: 'webhook', url: `${chatUrl}/hooks/abc`, proxy: proxyWithAuth });
    await n.post({
      canaryName: 'podinfo',
      namespace: 'test',
      severity: 'info',
      message: 'hello',
      fields: [],
    });
    assert.equal(received.at(-1)?.path, '/hooks/abc');
    assert.equal((JSON.parse(received.at(-1)?.body ?? '{}') as { message?: string }).message, 'hello');
    const seen = proxy.log.at(-1);
    assert.equal(seen?.target, `${chatUrl}/hooks/abc`, 'absolute-form request line');
    assert.equal(seen.auth, `Basic ${Buffer.from('ops:s:cret').toString('base64')}`);
  });

  it('tunnels https targets with CONNECT (TLS runs end to end inside the tunnel)', async () => {
    // The loopback target speaks plain HTTP, so the TLS handshake inside the tunnel must fail:
    // that proves TLS is negotiated with the target, not with the proxy.
    const port = new URL(chatUrl).port;
    await assert.rejects(
      httpRequest({
        method: 'POST',
        url: new URL(`https://127.0.0.1:${port}/services/secret`),
        body: '{}',
        timeoutMs: 3000,
        proxy: new URL(proxy.url),
      }),
    );
    const seen = proxy.log.at(-1);
    assert.equal(seen?.method, 'CONNECT');
    assert.equal(seen.target, `127.0.0.1:${port}`, 'the proxy sees only host:port, never the secret path');
  });

  it('reports a refused CONNECT and an invalid proxy URL clearly', async () => {
    const dead = createServer((_req, res) => res.end());
    dead.on('connect', (_req: IncomingMessage, client) => {
      client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
    });
    await new Promise<void>((r) => dead.listen(0, '127.0.0.1', r));
    const deadUrl = `http://127.0.0.1:${String((dead.address() as AddressInfo).port)}`;
    await assert.rejects(
      httpRequest({
        method: 'GET',
        url: new URL('https://127.0.0.1:1/x'),
        timeoutMs: 3000,
        proxy: new URL(deadUrl),
      }),
      /refused CONNECT 127\.0\.0\.1:1: HTTP 403/,
    );
    dead.close();
    assert.throws(
      () =>
        createNotifier({
          type: 'slack',
          url: 'https://hooks.example/x',
          channel: 'c',
          username: 'u',
          proxy: 'not a url',
        }),
      /slack notifier: the proxy is not a valid URL/,
    );
  });
});
