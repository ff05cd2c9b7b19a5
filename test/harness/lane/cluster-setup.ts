// Cluster-wide objects of the lane: the third-party CRDs the routers watch (before they
// start, so their informers sync), the GatewayClass/Gateway served by Traefik, and
// Prometheus scrape targets for the lane's long-lived processes.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClusterState } from '../../../hack/cluster/state.js';
import { kubectl } from '../kubectl.js';
import { applyThirdPartyCrds } from '../third-party-crds.js';
import { TRAEFIK_GATEWAY_CONTROLLER } from './routers/traefik.js';

/** A scrape target for the lane's lifetime; `path` sets the metrics path (Envoy's /stats/prometheus). */
export function addLaneScrapeTarget(
  cluster: ClusterState,
  name: string,
  hostPort: string,
  path = '/metrics',
): void {
  writeFileSync(
    join(cluster.prometheusTargetsDir, `lane-${name}.json`),
    JSON.stringify([
      { targets: [hostPort], labels: { scrape_name: `lane-${name}`, __metrics_path__: path } },
    ]),
  );
}

export async function installRouterCrds(cluster: ClusterState): Promise<void> {
  for (const project of ['gatewayapi', 'traefik', 'contour'] as const) {
    await applyThirdPartyCrds(cluster, project);
  }
}

export const GATEWAY_NAMESPACE = 'lane-gateway';
export const GATEWAY_NAME = 'traefik';

/**
 * A Gateway whose HTTP listener port is Traefik's web entryPoint port (Traefik binds
 * listeners to the entryPoint with the same port), open to routes from every namespace.
 * Resolves once Traefik has accepted it.
 */
export function installGateway(
  cluster: ClusterState,
  port: number,
): { name: string; namespace: string; port: number } {
  const objects = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: GATEWAY_NAMESPACE } },
    {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'GatewayClass',
      metadata: { name: 'traefik' },
      spec: { controllerName: TRAEFIK_GATEWAY_CONTROLLER },
    },
    {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: GATEWAY_NAME, namespace: GATEWAY_NAMESPACE },
      spec: {
        gatewayClassName: 'traefik',
        listeners: [{ name: 'web', protocol: 'HTTP', port, allowedRoutes: { namespaces: { from: 'All' } } }],
      },
    },
  ];
  kubectl(cluster, ['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }));
  kubectl(cluster, [
    'wait',
    '-n',
    GATEWAY_NAMESPACE,
    '--for=condition=Accepted',
    '--timeout=60s',
    `gateway/${GATEWAY_NAME}`,
  ]);
  return { name: GATEWAY_NAME, namespace: GATEWAY_NAMESPACE, port };
}
