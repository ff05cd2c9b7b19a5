// Traefik v3 as the lane's router for Flagger's `traefik` (kubernetesCRD provider:
// IngressRoute → TraefikService) and `gatewayapi:*` (kubernetesGateway provider: Gateway →
// HTTPRoute) routers. One Traefik per cluster: two would fight over the Gateway status.
// Metrics are Prometheus with fine duration buckets (the defaults 0.1/0.3/1.2/5 s cannot
// tell a 50 ms p99 from a 250 ms one).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClusterState } from '../../../../hack/cluster/state.js';
import type { LaneRouter } from '../state.js';
import { requireBinary, startRouterProcess, waitReady } from './common.js';

export const TRAEFIK_GATEWAY_CONTROLLER = 'traefik.io/gateway-controller';
export const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1, 2, 5];

export interface TraefikPorts {
  readonly web: number;
  readonly admin: number;
}

/** JSON is YAML, and Traefik reads a .yaml static configuration file. */
function staticConfig(ports: TraefikPorts): string {
  return JSON.stringify({
    global: { checkNewVersion: false, sendAnonymousUsage: false },
    entryPoints: {
      web: { address: `127.0.0.1:${ports.web}` },
      traefik: { address: `127.0.0.1:${ports.admin}` },
    },
    // The raw API shows the configuration Traefik applied (weights included).
    api: { insecure: true, dashboard: false },
    ping: { entryPoint: 'traefik' },
    metrics: {
      prometheus: { entryPoint: 'traefik', addServicesLabels: true, buckets: DURATION_BUCKETS },
    },
    providers: {
      providersThrottleDuration: '200ms',
      kubernetesCRD: { allowCrossNamespace: true, throttleDuration: '200ms' },
      kubernetesGateway: { throttleDuration: '200ms' },
    },
    log: { level: 'INFO' },
  });
}

/** Starts Traefik (authenticated by the lane cluster's admin kubeconfig) and waits for /ping. */
export async function startTraefik(cluster: ClusterState, ports: TraefikPorts): Promise<LaneRouter> {
  const bin = requireBinary('traefik');
  const config = join(cluster.dir, 'traefik.yaml');
  writeFileSync(config, staticConfig(ports));
  const p = startRouterProcess(cluster, 'traefik', bin, [`--configFile=${config}`], {
    ...process.env,
    KUBECONFIG: cluster.kubeconfig,
  });
  const adminUrl = `http://127.0.0.1:${ports.admin}`;
  await waitReady(p, `${adminUrl}/ping`);
  return { url: `http://127.0.0.1:${ports.web}`, port: ports.web, adminUrl, log: p.log };
}

interface TraefikServiceInfo {
  name?: string;
  weighted?: { services?: { name?: string; weight?: number }[] };
}

/**
 * The canary shares (percent) Traefik currently applies for `<namespace>/<target>`, read from
 * its raw API: one per weighted service whose children are the target's -primary/-canary
 * Services (TraefikService or HTTPRoute backendRefs alike; sticky-cookie rules add more).
 */
export async function traefikCanaryPercents(
  adminUrl: string,
  namespace: string,
  target: string,
): Promise<number[]> {
  const res = await fetch(`${adminUrl}/api/http/services?per_page=1000`);
  if (!res.ok) throw new Error(`traefik API: ${res.status}`);
  const services = (await res.json()) as TraefikServiceInfo[];
  const child = new RegExp(`^${namespace}-${target}-(primary|canary)-`);
  const shares: number[] = [];
  for (const s of services) {
    const children = s.weighted?.services ?? [];
    if (!children.some((c) => child.test(c.name ?? ''))) continue;
    let canary = 0;
    let total = 0;
    for (const c of children) {
      const w = c.weight ?? 1;
      total += w;
      if (child.exec(c.name ?? '')?.[1] === 'canary') canary += w;
    }
    shares.push(total === 0 ? 0 : (100 * canary) / total);
  }
  return shares;
}
