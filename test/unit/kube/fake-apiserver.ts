// A stand-in for the API server on loopback (http, or https with a given certificate) for the
// transport's unit tests: it records every request with its headers and counts connections,
// so keep-alive, credentials and retries can be checked from the server's side.
import { createServer as createHttp, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttps } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';

export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
  /** Fingerprint of the client certificate, when one was presented. */
  readonly clientCert: string | undefined;
}

export type FakeHandler = (req: SeenRequest, res: ServerResponse) => void;

export interface FakeApiServer {
  readonly url: string;
  readonly requests: SeenRequest[];
  /** TCP connections accepted so far. */
  connections: number;
  close(): Promise<void>;
}

export interface FakeTls {
  readonly key: string;
  readonly cert: string;
  /** Ask for a client certificate (accepted whatever its issuer; its fingerprint is recorded). */
  readonly requestCert?: boolean;
}

export async function startFakeApiServer(handler: FakeHandler, tls?: FakeTls): Promise<FakeApiServer> {
  const requests: SeenRequest[] = [];
  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const socket = req.socket as Partial<TLSSocket>;
      const peer = socket.getPeerCertificate?.();
      const seen: SeenRequest = {
        method: req.method ?? '',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        clientCert: peer?.fingerprint256,
      };
      requests.push(seen);
      handler(seen, res);
    });
  };
  const server =
    tls === undefined
      ? createHttp(listener)
      : createHttps(
          { key: tls.key, cert: tls.cert, requestCert: tls.requestCert === true, rejectUnauthorized: false },
          listener,
        );
  const fake: FakeApiServer = {
    url: '',
    requests,
    connections: 0,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
  server.on('connection', () => {
    fake.connections++;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(fake, { url: `${tls === undefined ? 'http' : 'https'}://127.0.0.1:${String(port)}` });
}

/** Answers with JSON. */
export function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** A one-cluster, one-user kubeconfig for `server` (fields as in KubeConfigData). */
export function kubeconfigFor(
  server: string,
  user: Record<string, unknown>,
  cluster: Record<string, unknown> = {},
  namespace?: string,
) {
  return {
    clusters: [{ name: 'c', server, skipTLSVerify: false, ...cluster }],
    users: [{ name: 'u', ...user }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u', namespace }],
    currentContext: 'x',
  };
}
