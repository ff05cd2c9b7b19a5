// A minimal HTTP forwarding proxy on loopback (absolute-form requests for http targets,
// CONNECT tunnels for https targets) that records what passed through it: for tests of
// clients that must speak to a proxy (alert notifiers, a kubeconfig's proxy-url).
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';

export interface ProxyLog {
  readonly method: string;
  readonly target: string;
  readonly auth: string | undefined;
}

/** A minimal forwarding proxy: enough HTTP/1.1 proxying to prove the client speaks it. */
export async function startProxy(): Promise<{ url: string; log: ProxyLog[]; server: Server }> {
  const log: ProxyLog[] = [];
  const server = createServer((req, res) => {
    log.push({ method: req.method ?? '', target: req.url ?? '', auth: req.headers['proxy-authorization'] });
    const target = new URL(req.url ?? '');
    const upstream = request(
      {
        hostname: target.hostname,
        port: target.port,
        path: target.pathname,
        method: req.method,
        headers: req.headers,
      },
      (up: IncomingMessage) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    req.pipe(upstream);
  });
  server.on('connect', (req: IncomingMessage, client, head: Buffer) => {
    log.push({ method: 'CONNECT', target: req.url ?? '', auth: req.headers['proxy-authorization'] });
    const [host = '', port = ''] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`, log, server };
}
