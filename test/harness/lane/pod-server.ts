// The pod-server runner of the real-traffic lane. KWOK pods run no containers, so this
// process plays them: it WATCHES the pods of one namespace (a REST watch, not polling) and,
// for each Running pod with an IP, listens on podIP:containerPort inside the lane's network
// namespace, answering as the pod's env says (pod-behaviour.ts). It counts what each pod
// received, so tests assert the split the backends really saw, and exports podinfo's
// `http_request_duration_seconds` histogram per pod for Flagger's generic HTTP observer.
//
// Servers are keyed by pod UID: KWOK reuses a deleted pod's IP at once, so a new pod may need
// the address an old one still holds; the old server is closed (with its keep-alive
// connections) once the pod is gone (after its Terminating time), and the new one retries its bind.
import * as k8s from '@kubernetes/client-node';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Histogram, Registry } from 'prom-client';
import {
  behaviourOf,
  containerPorts,
  isErrorRequest,
  shouldServe,
  type PodBehaviour,
} from './pod-behaviour.js';

export interface PodCount {
  readonly uid: string;
  readonly pod: string;
  /** The pod's `app` label: `<target>-primary` for primary pods, `<target>` for canary pods. */
  readonly app: string;
  readonly version: string;
  requests: number;
  errors: number;
}

interface Served {
  readonly ip: string;
  readonly servers: Server[];
  /** Set once the pod's listeners are closed; see #close. */
  readonly life: { closed: boolean };
  /** The histogram label sets this pod has answered with, removed when it is closed. */
  readonly series: Map<string, Record<string, string>>;
  readonly count: PodCount;
  readonly behaviour: PodBehaviour;
}

/** Fine buckets (seconds), so a p99 of 100 ms and of 600 ms fall in different buckets. */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1, 1.5, 2, 3, 5];

/** How long a deleted pod keeps answering (routers need a moment to drop its endpoint). */
const DRAIN_MS = 3_000;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class PodServer {
  readonly #kc: k8s.KubeConfig;
  readonly #namespace: string;
  readonly #served = new Map<string, Served>();
  readonly #draining = new Map<string, Served>();
  readonly #pending = new Map<string, Promise<void>>();
  readonly #registry = new Registry();
  readonly #histogram: Histogram;
  #metricsServer: Server | undefined;
  #watch: { abort(): void } | undefined;
  #stopped = false;
  /** Pods that could not be served (a failed bind), for test diagnostics. */
  readonly errors: string[] = [];
  /** Every pod UID that ever got a server (the counts survive the pod). */
  readonly #counts = new Map<string, PodCount>();
  /**
   * Requests for another lane namespace's host that reached one of these pods: a router still
   * held a deleted pod's endpoint whose IP KWOK had already given to one of ours. Answered
   * 421 and kept out of the counts and histograms, so one test's traffic never shows up in
   * another's split or metrics.
   */
  misdirected = 0;

  constructor(kc: k8s.KubeConfig, namespace: string) {
    this.#kc = kc;
    this.#namespace = namespace;
    this.#histogram = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Duration of HTTP requests answered by each lane pod, as podinfo exports it.',
      labelNames: ['kubernetes_namespace', 'kubernetes_pod_name', 'method', 'path', 'status'],
      buckets: BUCKETS,
      registers: [this.#registry],
    });
  }

  /** Starts the watch and the metrics endpoint; resolves to the metrics host:port. */
  async start(): Promise<string> {
    this.#metricsServer = createServer((_req, res) => {
      void this.#registry.metrics().then((text) => {
        res.setHeader('content-type', this.#registry.contentType);
        res.end(text);
      });
    });
    await new Promise<void>((r) => this.#metricsServer?.listen(0, '127.0.0.1', r));
    await this.#startWatch();
    const { port } = this.#metricsServer.address() as AddressInfo;
    return `127.0.0.1:${port}`;
  }

  async #startWatch(): Promise<void> {
    const core = this.#kc.makeApiClient(k8s.CoreV1Api);
    const list = await core.listNamespacedPod({ namespace: this.#namespace });
    for (const pod of list.items) this.#onPod('ADDED', pod);
    const watch = new k8s.Watch(this.#kc);
    this.#watch = await watch.watch(
      `/api/v1/namespaces/${this.#namespace}/pods`,
      { resourceVersion: list.metadata?.resourceVersion, allowWatchBookmarks: true },
      (phase: string, pod: k8s.V1Pod) => {
        this.#onPod(phase, pod);
      },
      () => {
        // The API server ends watches after a while (or on 410 Gone): list again and resume.
        if (!this.#stopped) void sleep(200).then(() => this.#startWatch().catch(() => undefined));
      },
    );
  }

  #onPod(phase: string, pod: k8s.V1Pod): void {
    const uid = pod.metadata?.uid;
    if (!uid || phase === 'BOOKMARK') return;
    const served = this.#served.get(uid);
    const want = phase !== 'DELETED' && shouldServe(pod);
    if (!want) {
      if (served) this.#drain(uid, served);
      return;
    }
    if (served?.ip === pod.status?.podIP || this.#pending.has(uid)) return;
    if (served) this.#close(uid, served);
    const p = this.#serve(uid, pod)
      .catch((err: unknown) => {
        this.errors.push(
          `pod ${pod.metadata?.name ?? uid}: ${err instanceof Error ? err.message : String(err)}`,
        );
      })
      .finally(() => this.#pending.delete(uid));
    this.#pending.set(uid, p);
  }

  /**
   * Stops listening at once (the address may be needed by a new pod); requests in flight still
   * get their answer, only idle keep-alive connections are dropped, unless `hard`.
   */
  #close(uid: string, served: Served, hard = false): void {
    // Node keeps serving a keep-alive connection that was busy at server.close() for as long
    // as the client keeps using it, so a router's pooled connection would reach this pod's
    // handler after a new pod took the IP, answering as the old version. Closed pods answer
    // those requests 503 and end the connection, as a real container's socket would be gone.
    served.life.closed = true;
    // A deleted pod's series vanish from Prometheus with its scrape target; one exporter plays
    // every pod here, so drop them, or sums over a cohort's pods would keep counting pods that
    // are gone (e.g. the canary Deployment's pods from before the analysis).
    for (const labels of served.series.values()) this.#histogram.remove(labels);
    this.#served.delete(uid);
    this.#draining.delete(uid);
    for (const s of served.servers) {
      s.close();
      if (hard) s.closeAllConnections();
      else s.closeIdleConnections();
    }
  }

  /**
   * A deleted pod keeps answering for a short grace period, as a real container does
   * while routers drop its endpoint; a new pod that gets the same IP takes it over at once.
   */
  #drain(uid: string, served: Served): void {
    this.#served.delete(uid);
    this.#draining.set(uid, served);
    setTimeout(() => {
      if (this.#draining.get(uid) === served) this.#close(uid, served);
    }, DRAIN_MS).unref();
  }

  async #serve(uid: string, pod: k8s.V1Pod): Promise<void> {
    const ip = pod.status?.podIP ?? '';
    const name = pod.metadata?.name ?? uid;
    const behaviour = behaviourOf(pod);
    const count: PodCount = this.#counts.get(uid) ?? {
      uid,
      pod: name,
      app: pod.metadata?.labels?.['app'] ?? '',
      version: behaviour.version,
      requests: 0,
      errors: 0,
    };
    this.#counts.set(uid, count);
    for (const [old, d] of this.#draining) if (d.ip === ip) this.#close(old, d);
    const servers: Server[] = [];
    const life = { closed: false };
    const series = new Map<string, Record<string, string>>();
    for (const port of containerPorts(pod)) {
      const server = createServer((req, res) => {
        if (life.closed) {
          res.statusCode = 503;
          res.setHeader('connection', 'close');
          res.setHeader('x-closed-pod', name);
          res.end();
          return;
        }
        if (this.#isMisdirected(req.headers.host)) {
          this.misdirected++;
          // 421 Misdirected Request: the client sees a failed request (tolerated in small
          // numbers like any answer of a replaced pod), never another test's version.
          res.statusCode = 421;
          res.setHeader('x-misdirected', name);
          res.end();
          return;
        }
        count.requests++;
        const n = count.requests;
        const start = process.hrtime.bigint();
        const fail = isErrorRequest(n, behaviour.errorRate);
        const answer = (): void => {
          const status = fail ? 500 : 200;
          if (fail) count.errors++;
          res.statusCode = status;
          if (life.closed) res.setHeader('connection', 'close');
          res.setHeader('content-type', 'application/json');
          res.setHeader('x-pod', name);
          res.setHeader('x-version', behaviour.version);
          res.end(JSON.stringify({ pod: name, app: count.app, version: behaviour.version }));
          const seconds = Number(process.hrtime.bigint() - start) / 1e9;
          const labels = {
            kubernetes_namespace: this.#namespace,
            kubernetes_pod_name: name,
            method: req.method ?? 'GET',
            path: 'root',
            status: String(status),
          };
          if (life.closed) return; // answered after the pod was closed: its series are gone
          series.set(`${labels.method} ${labels.status}`, labels);
          this.#histogram.observe(labels, seconds);
        };
        if (behaviour.latencyMs > 0) setTimeout(answer, behaviour.latencyMs);
        else answer();
      });
      await listenRetrying(server, ip, port);
      servers.push(server);
    }
    if (this.#stopped) {
      for (const s of servers) s.close();
      return;
    }
    this.#served.set(uid, { ip, servers, life, series, count, behaviour });
  }

  /**
   * Lane hosts are `<namespace>.<router>.lane`; a router that rewrites Host to the backend's
   * address (no `.lane` suffix) is trusted to have picked a current endpoint.
   */
  #isMisdirected(host: string | undefined): boolean {
    const h = (host ?? '').split(':')[0] ?? '';
    return h.endsWith('.lane') && !h.startsWith(`${this.#namespace}.`);
  }

  /** A copy of the per-pod counts so far (pods that are gone included). */
  counts(): PodCount[] {
    return [...this.#counts.values()].map((c) => ({ ...c }));
  }

  /** Pod UIDs with a live listener right now. */
  servedUids(): string[] {
    return [...this.#served.keys()];
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#watch?.abort();
    await Promise.allSettled(this.#pending.values());
    for (const [uid, s] of [...this.#served, ...this.#draining]) this.#close(uid, s, true);
    this.#metricsServer?.close();
    this.#metricsServer?.closeAllConnections();
  }
}

/** An old pod may still hold the reused IP for a few ms after its deletion event. */
async function listenRetrying(server: Server, ip: string, port: number): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, ip, () => {
          server.off('error', reject);
          resolve();
        });
      });
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= 500) throw err;
      await sleep(10);
    }
  }
}
