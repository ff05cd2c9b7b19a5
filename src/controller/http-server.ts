// The operator's HTTP endpoints: /metrics (Prometheus), /healthz (the process is
// alive) and /readyz (the informer caches hold their initial lists).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../telemetry/logger.js';
import type { OperatorMetrics } from '../telemetry/metrics.js';

export interface HttpServer {
  readonly port: number;
  close(): Promise<void>;
}

export interface HttpServerOptions {
  readonly port: number;
  readonly host: string;
  readonly metrics: OperatorMetrics;
  readonly ready: () => boolean;
  readonly logger: Logger;
}

export async function startHttpServer(o: HttpServerOptions): Promise<HttpServer> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/metrics') {
      o.metrics.registry.metrics().then(
        (text) => {
          res.setHeader('Content-Type', o.metrics.registry.contentType);
          res.end(text);
        },
        (err: unknown) => {
          res.statusCode = 500;
          res.end(String(err));
        },
      );
      return;
    }
    if (path === '/healthz') {
      res.end('OK');
      return;
    }
    if (path === '/readyz') {
      const ok = o.ready();
      res.statusCode = ok ? 200 : 503;
      res.end(ok ? 'OK' : 'caches not synced');
      return;
    }
    res.statusCode = 404;
    res.end('not found');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise((r) =>
        server.close(() => {
          r();
        }),
      ),
  };
}
