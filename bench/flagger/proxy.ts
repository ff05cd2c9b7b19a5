// A counting pass-through in front of kube-apiserver, one per operator: the operator's
// kubeconfig points at http://127.0.0.1:<port>, the proxy forwards every request (its
// bearer token included) to the real API server over TLS and records when it arrived,
// its verb and the object it names. One proxy per identity attributes every request
// without restarting kube-apiserver with an audit policy. Loopback only.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { Agent, request } from 'node:https';
import type { AddressInfo } from 'node:net';
import { now } from '../kube.js';

export interface RequestRecord {
  /** now() when the request arrived */
  readonly at: number;
  /** get, list, watch, create, update, patch, delete */
  readonly verb: string;
  /** plural resource, e.g. virtualservices; with /status when it is the subresource */
  readonly resource: string;
  /** object name, '' for collections */
  readonly name: string;
}

export interface CountingProxy {
  readonly url: string;
  readonly records: RequestRecord[];
  close(): Promise<void>;
}

/** Verb and object of a Kubernetes API path, as the API server's request-info resolver would. */
export function classify(method: string, rawUrl: string): Omit<RequestRecord, 'at'> {
  const url = new URL(rawUrl, 'http://x');
  const parts = url.pathname.split('/').filter((p) => p !== '');
  // /api/v1/... or /apis/<group>/<version>/...
  let rest = parts[0] === 'api' ? parts.slice(2) : parts.slice(3);
  if (rest[0] === 'namespaces' && rest.length >= 3) rest = rest.slice(2);
  const resource = rest[0] ?? '';
  const name = rest[1] ?? '';
  const sub = rest[2] !== undefined ? `/${rest[2]}` : '';
  const watch = url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1';
  let verb: string;
  switch (method) {
    case 'GET':
      verb = watch ? 'watch' : name === '' ? 'list' : 'get';
      break;
    case 'POST':
      verb = 'create';
      break;
    case 'PUT':
      verb = 'update';
      break;
    case 'PATCH':
      verb = 'patch';
      break;
    case 'DELETE':
      verb = 'delete';
      break;
    default:
      verb = method.toLowerCase();
  }
  return { verb, resource: resource + sub, name };
}

/** The object a request body is about: an Event's involved object, else metadata.name. */
function bodyName(body: Buffer): string {
  try {
    const doc = JSON.parse(body.toString('utf8')) as {
      metadata?: { name?: string };
      involvedObject?: { name?: string };
      regarding?: { name?: string };
    };
    return doc.involvedObject?.name ?? doc.regarding?.name ?? doc.metadata?.name ?? '';
  } catch {
    return ''; // not JSON (e.g. protobuf): left unattributed
  }
}

/**
 * `token` is the identity's bearer token: the proxy sets it on every request, because
 * client-go does not send a token over plain http (the hop from operator to proxy).
 */
export async function startProxy(upstream: string, ca: Buffer, token: string): Promise<CountingProxy> {
  const target = new URL(upstream);
  // Keep-alive both ways: without it each request would pay a TLS handshake the
  // operator itself would not (it keeps its connections open).
  const agent = new Agent({ keepAlive: true, ca, maxSockets: 512 });
  const records: RequestRecord[] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    const at = now();
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const rec = classify(method, path);
      // A create names its object in the body; an Event is counted for the canary it is about.
      records.push({ at, ...rec, name: rec.name === '' && body.length > 0 ? bodyName(body) : rec.name });
      forward(method, path, body);
    });
    const forward = (m: string, p: string, body: Buffer): void => {
      const headers = { ...req.headers, host: target.host, authorization: `Bearer ${token}` };
      let done = false;
      const up = request(
        { host: target.hostname, port: target.port, method: m, path: p, headers, agent },
        (upRes) => {
          res.writeHead(upRes.statusCode ?? 502, upRes.headers);
          // A watch's headers must reach the client now, not with its first event.
          res.flushHeaders();
          upRes.on('end', () => (done = true));
          upRes.pipe(res);
        },
      );
      up.on('error', (err) => {
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(String(err));
      });
      // A client that goes away (a watch it stops) closes the upstream request too.
      res.on('close', () => {
        if (!done) up.destroy();
      });
      up.end(body);
    };
  });
  server.keepAliveTimeout = 120_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    records,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          agent.destroy();
          resolve();
        });
      }),
  };
}
