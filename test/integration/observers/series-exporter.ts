// A loopback Prometheus target publishing request counters and latency histograms with the
// exact label sets a router exports (Envoy for Contour/Gloo, ingress-nginx, Traefik, Skipper,
// APISIX). Counts grow with wall-clock time at a set rate, error ratio and latency, so the
// real Prometheus computes real rates for the builtin queries.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Traffic {
  readonly rps: number;
  /** 0..1 share of 5xx responses */
  readonly errorRatio: number;
  /** every request takes this long, in seconds */
  readonly latencySeconds: number;
}

/** How one router family renders a series of `Traffic` counts into exposition lines. */
export interface SeriesFamily {
  readonly traffic: Traffic;
  render(ok: number, errors: number, latencySeconds: number): string[];
}

export class SeriesExporter {
  readonly #families: SeriesFamily[] = [];
  readonly #started = Date.now();
  #server: Server | undefined;

  add(family: SeriesFamily): void {
    this.#families.push(family);
  }

  render(): string {
    const elapsed = (Date.now() - this.#started) / 1000;
    const lines: string[] = [];
    for (const f of this.#families) {
      const total = f.traffic.rps * elapsed;
      lines.push(
        ...f.render(
          total * (1 - f.traffic.errorRatio),
          total * f.traffic.errorRatio,
          f.traffic.latencySeconds,
        ),
      );
    }
    return lines.join('\n') + '\n';
  }

  async listen(): Promise<string> {
    const srv = createServer((req, res) => {
      if (req.url !== '/metrics') {
        res.statusCode = 404;
        res.end();
        return;
      }
      res.setHeader('Content-Type', 'text/plain; version=0.0.4');
      res.end(this.render());
    });
    this.#server = srv;
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    return `127.0.0.1:${(srv.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    const srv = this.#server;
    return srv
      ? new Promise((r) =>
          srv.close(() => {
            r();
          }),
        )
      : Promise.resolve();
  }
}

const fmt = (n: number): string => n.toFixed(3);
const labels = (l: Record<string, string>): string =>
  Object.entries(l)
    .map(([k, v]) => `${k}="${v}"`)
    .join(',');

/** Cumulative histogram lines `<name>_bucket{…,le}`, `_sum`, `_count` for `count` requests of `latency`. */
export function histogram(
  name: string,
  base: Record<string, string>,
  buckets: readonly number[],
  count: number,
  latency: number,
): string[] {
  const out = buckets.map(
    (le) => `${name}_bucket{${labels({ ...base, le: String(le) })}} ${fmt(latency <= le ? count : 0)}`,
  );
  out.push(`${name}_bucket{${labels({ ...base, le: '+Inf' })}} ${fmt(count)}`);
  out.push(`${name}_sum{${labels(base)}} ${fmt(count * latency)}`);
  out.push(`${name}_count{${labels(base)}} ${fmt(count)}`);
  return out;
}

export const counter = (name: string, l: Record<string, string>, value: number): string =>
  `${name}{${labels(l)}} ${fmt(value)}`;
