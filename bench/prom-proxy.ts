// A counting pass-through in front of the cluster's Prometheus: the operator is
// pointed at it as its metrics server, so the benchmark can report how many PromQL
// queries an analysis step costs next to its Kubernetes API requests.
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export class CountingPrometheusProxy {
  readonly #upstream: URL;
  #server: Server | undefined;
  /** Requests to /api/v1/query and /api/v1/query_range. */
  queries = 0;
  /** Every proxied request (queries plus anything else, e.g. buildinfo). */
  requests = 0;

  constructor(upstream: string) {
    this.#upstream = new URL(upstream);
  }

  async listen(): Promise<string> {
    const server = createServer((req, res) => {
      this.requests++;
      const path = req.url ?? '/';
      if (path.startsWith('/api/v1/query')) this.queries++;
      const upstream = request(
        {
          protocol: this.#upstream.protocol,
          hostname: this.#upstream.hostname,
          port: this.#upstream.port,
          method: req.method,
          path,
          headers: { ...req.headers, host: this.#upstream.host },
        },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      upstream.on('error', (err) => {
        res.statusCode = 502;
        res.end(err.message);
      });
      req.pipe(upstream);
    });
    this.#server = server;
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    const server = this.#server;
    if (!server) return Promise.resolve();
    server.closeAllConnections();
    return new Promise((r) => {
      server.close(() => {
        r();
      });
    });
  }
}
