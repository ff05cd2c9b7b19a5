// Stand-ins for the telemetry each mesh's data plane exports, with exactly the metric names
// and label sets those meshes put on their series (Linkerd proxy + linkerd-viz relabelling,
// OSM's Envoy stats as OSM's Prometheus config relabels them, Kuma data planes via
// kuma-prometheus-sd, App Mesh Envoy sidecars via Kubernetes pod discovery, Knative's
// ingress Envoy). Counters grow with wall-clock time at a set rate, error ratio and latency,
// so the real Prometheus computes real rates for the builtin checks.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Mesh = 'linkerd' | 'osm' | 'kuma' | 'appmesh' | 'knative';

export interface Workload {
  readonly namespace: string;
  /** Deployment name, or the Knative revision name. */
  readonly name: string;
  rps: number;
  errorRatio: number;
  latencyMs: number;
}

const BUCKETS = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000];

interface Counters {
  ok: number;
  errors: number;
  last: number;
}

type Labels = Record<string, string>;
const fmt = (labels: Labels): string =>
  Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(',');

/** The label sets a mesh puts on one workload's series, per response code. */
function labelsFor(mesh: Mesh, w: Workload, code: string): { counter: Labels; histogram: Labels } {
  const hash = '7d9f6c4b8';
  const pod = `${w.name}-${hash}-x2k4p`;
  const svc = w.name.endsWith('-primary') ? w.name : `${w.name}-canary`;
  switch (mesh) {
    case 'linkerd': {
      const base = {
        direction: 'inbound',
        authority: `${svc}.${w.namespace}.svc.cluster.local:9898`,
        target_addr: '10.244.0.12:9898',
        tls: 'true',
        client_id: `default.${w.namespace}.serviceaccount.identity.linkerd.cluster.local`,
        srv_kind: 'default',
        srv_name: 'all-unauthenticated',
        status_code: code,
        namespace: w.namespace,
        pod,
        deployment: w.name,
        pod_template_hash: hash,
        control_plane_ns: 'linkerd',
      };
      return {
        counter: { ...base, classification: code.startsWith('5') ? 'failure' : 'success' },
        histogram: base,
      };
    }
    case 'osm': {
      const base = {
        source_namespace: w.namespace,
        source_kind: 'Deployment',
        source_name: 'flagger-loadtester',
        source_pod: 'flagger-loadtester-5b4f7d8c9-abcde',
        destination_namespace: w.namespace,
        destination_kind: 'Deployment',
        destination_name: w.name,
        destination_pod: pod,
        response_code: code,
      };
      return { counter: base, histogram: base };
    }
    case 'kuma': {
      const base = {
        envoy_cluster_name: 'localhost_9898',
        mesh: 'default',
        dataplane: `${pod}.${w.namespace}`,
        service: `${svc}_${w.namespace}_svc_9898`,
        k8s_kuma_io_namespace: w.namespace,
        k8s_kuma_io_service_name: svc,
        k8s_kuma_io_service_port: '9898',
        kuma_io_protocol: 'http',
        app: w.name,
        pod_template_hash: hash,
      };
      return { counter: { ...base, envoy_response_code: code }, histogram: base };
    }
    case 'appmesh': {
      const base = {
        envoy_cluster_name: `cds_ingress_global_${svc}_http_9898`,
        app: w.name,
        pod_template_hash: hash,
        kubernetes_namespace: w.namespace,
        kubernetes_pod_name: pod,
      };
      return { counter: { ...base, envoy_response_code: code }, histogram: base };
    }
    case 'knative': {
      const base = { envoy_cluster_name: `${w.namespace}/${w.name}` };
      return { counter: { ...base, envoy_response_code: code }, histogram: base };
    }
  }
}

const NAMES: Record<Mesh, { counter: string; histogram: string }> = {
  linkerd: { counter: 'response_total', histogram: 'response_latency_ms' },
  osm: { counter: 'osm_request_total', histogram: 'osm_request_duration_ms' },
  kuma: { counter: 'envoy_cluster_upstream_rq', histogram: 'envoy_cluster_upstream_rq_time' },
  appmesh: { counter: 'envoy_cluster_upstream_rq', histogram: 'envoy_cluster_upstream_rq_time' },
  knative: { counter: 'envoy_cluster_upstream_rq', histogram: 'envoy_cluster_upstream_rq_time' },
};

export class MeshExporter {
  readonly mesh: Mesh;
  readonly #workloads = new Map<string, Workload>();
  readonly #counters = new Map<string, Counters>();
  #server: Server | undefined;

  constructor(mesh: Mesh) {
    this.mesh = mesh;
  }

  /** Adds or updates a workload's traffic; its counters keep growing from where they are. */
  set(w: Workload): void {
    const k = `${w.namespace}/${w.name}`;
    this.#advance(k);
    this.#workloads.set(k, { ...w });
  }

  async listen(): Promise<string> {
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

  #advance(k: string): Counters {
    const now = Date.now();
    const c = this.#counters.get(k) ?? { ok: 0, errors: 0, last: now };
    const w = this.#workloads.get(k);
    if (w) {
      const n = (w.rps * (now - c.last)) / 1000;
      c.errors += n * w.errorRatio;
      c.ok += n * (1 - w.errorRatio);
    }
    c.last = now;
    this.#counters.set(k, c);
    return c;
  }

  render(): string {
    const { counter, histogram } = NAMES[this.mesh];
    const lines = [`# TYPE ${counter} counter`];
    const hist = [`# TYPE ${histogram} histogram`];
    for (const [k, w] of this.#workloads) {
      const c = this.#advance(k);
      for (const [code, n] of [
        ['200', c.ok],
        ['503', c.errors],
      ] as const) {
        const l = labelsFor(this.mesh, w, code);
        lines.push(`${counter}{${fmt(l.counter)}} ${n.toFixed(3)}`);
        // Linkerd and OSM label latency by response code too; Envoy's histogram has no code.
        if (code === '503' && this.mesh !== 'linkerd' && this.mesh !== 'osm') continue;
        const total = this.mesh === 'linkerd' || this.mesh === 'osm' ? n : c.ok + c.errors;
        for (const le of BUCKETS) {
          hist.push(
            `${histogram}_bucket{${fmt({ ...l.histogram, le: String(le) })}} ${(w.latencyMs <= le ? total : 0).toFixed(3)}`,
          );
        }
        hist.push(`${histogram}_bucket{${fmt({ ...l.histogram, le: '+Inf' })}} ${total.toFixed(3)}`);
        hist.push(`${histogram}_sum{${fmt(l.histogram)}} ${(total * w.latencyMs).toFixed(3)}`);
        hist.push(`${histogram}_count{${fmt(l.histogram)}} ${total.toFixed(3)}`);
      }
    }
    return `${[...lines, ...hist].join('\n')}\n`;
  }
}
