// A stand-in for Istio's sidecar telemetry: serves istio_requests_total and
// istio_request_duration_milliseconds_bucket for chosen workloads, growing with
// wall-clock time at a configured request rate, error ratio and latency, so the
// real Prometheus computes real rates for the builtin canary checks.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface WorkloadTraffic {
  readonly namespace: string;
  readonly workload: string;
  /** requests per second */
  rps: number;
  /** 0..1 share of 5xx responses */
  errorRatio: number;
  /** every request takes this long (ms) */
  latencyMs: number;
}

interface Counters {
  ok: number;
  errors: number;
  last: number;
}

const BUCKETS = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000];

export class IstioExporter {
  readonly #workloads = new Map<string, WorkloadTraffic>();
  readonly #counters = new Map<string, Counters>();
  #server: Server | undefined;

  /** Adds or updates a workload's simulated traffic; counters keep growing from where they are. */
  set(t: WorkloadTraffic): void {
    const k = `${t.namespace}/${t.workload}`;
    this.#advance(k);
    this.#workloads.set(k, { ...t });
  }

  async listen(port = 0, host = '127.0.0.1'): Promise<string> {
    this.#server = createServer((req, res) => {
      if (req.url !== '/metrics') {
        res.statusCode = 404;
        res.end();
        return;
      }
      res.setHeader('Content-Type', 'text/plain; version=0.0.4');
      res.end(this.render());
    });
    const srv = this.#server;
    await new Promise<void>((r) => srv.listen(port, host, r));
    return `${host}:${(srv.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    const srv = this.#server;
    if (!srv) return Promise.resolve();
    return new Promise((r) => {
      srv.close(() => {
        r();
      });
    });
  }

  #advance(k: string): Counters {
    const now = Date.now();
    const c = this.#counters.get(k) ?? { ok: 0, errors: 0, last: now };
    const t = this.#workloads.get(k);
    if (t) {
      const n = (t.rps * (now - c.last)) / 1000;
      c.errors += n * t.errorRatio;
      c.ok += n * (1 - t.errorRatio);
    }
    c.last = now;
    this.#counters.set(k, c);
    return c;
  }

  render(): string {
    const lines = [
      '# TYPE istio_requests_total counter',
      '# TYPE istio_request_duration_milliseconds histogram',
    ];
    for (const [k, t] of this.#workloads) {
      const c = this.#advance(k);
      const base = `reporter="destination",destination_workload_namespace="${t.namespace}",destination_workload="${t.workload}"`;
      lines.push(`istio_requests_total{${base},response_code="200"} ${c.ok.toFixed(3)}`);
      lines.push(`istio_requests_total{${base},response_code="500"} ${c.errors.toFixed(3)}`);
      const total = c.ok + c.errors;
      for (const le of BUCKETS) {
        lines.push(
          `istio_request_duration_milliseconds_bucket{${base},le="${le}"} ${(t.latencyMs <= le ? total : 0).toFixed(3)}`,
        );
      }
      lines.push(`istio_request_duration_milliseconds_bucket{${base},le="+Inf"} ${total.toFixed(3)}`);
      lines.push(`istio_request_duration_milliseconds_sum{${base}} ${(total * t.latencyMs).toFixed(3)}`);
      lines.push(`istio_request_duration_milliseconds_count{${base}} ${total.toFixed(3)}`);
    }
    return lines.join('\n') + '\n';
  }
}
