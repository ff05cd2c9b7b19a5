// Skipper as the lane's router for Flagger's `skipper` provider. Skipper reads the API
// through `kubectl proxy` (plain HTTP on loopback, the lane cluster's admin credentials);
// route metrics in Prometheus format with fine duration buckets on the support listener.
import type { ClusterState } from '../../../../hack/cluster/state.js';
import type { LaneRouter } from '../state.js';
import { requireBinary, startRouterProcess, waitReady } from './common.js';
import { DURATION_BUCKETS } from './traefik.js';

export interface SkipperPorts {
  readonly web: number;
  readonly support: number;
  readonly proxy: number;
}

export async function startSkipper(cluster: ClusterState, ports: SkipperPorts): Promise<LaneRouter> {
  const bin = requireBinary('skipper');
  const proxy = startRouterProcess(cluster, 'skipper-kubectl-proxy', cluster.kubectl, [
    `--kubeconfig=${cluster.kubeconfig}`,
    'proxy',
    '--address=127.0.0.1',
    `--port=${ports.proxy}`,
  ]);
  await waitReady(proxy, `http://127.0.0.1:${ports.proxy}/readyz`);
  const p = startRouterProcess(cluster, 'skipper', bin, [
    '-kubernetes',
    `-kubernetes-url=http://127.0.0.1:${ports.proxy}`,
    '-kubernetes-https-redirect=false',
    `-address=127.0.0.1:${ports.web}`,
    `-support-listener=127.0.0.1:${ports.support}`,
    '-enable-prometheus-metrics',
    '-metrics-flavour=prometheus',
    '-serve-route-metrics',
    `-histogram-metric-buckets=${DURATION_BUCKETS.join(',')}`,
    // Fresh routes quickly after the operator changes an Ingress (default 3 s).
    '-source-poll-timeout=500',
    '-application-log-level=INFO',
  ]);
  const adminUrl = `http://127.0.0.1:${ports.support}`;
  await waitReady(p, `${adminUrl}/metrics`);
  return { url: `http://127.0.0.1:${ports.web}`, port: ports.web, adminUrl, log: p.log };
}

/**
 * The canary share (percent) Skipper currently applies for `<namespace>/<target>`, from its
 * routing table (/routes, eskip): the routes generated from the operator's `<target>-canary`
 * Ingress carry the backend service in their id and a Traffic(p) predicate on all but the
 * last backend. undefined while Skipper has no such routes; 0 while the copy is switched off.
 */
export async function skipperCanaryPercent(
  adminUrl: string,
  namespace: string,
  target: string,
): Promise<number | undefined> {
  const res = await fetch(`${adminUrl}/routes`);
  if (!res.ok) throw new Error(`skipper /routes: ${res.status}`);
  const text = await res.text();
  const ns = namespace.replace(/[^a-zA-Z0-9]/g, '_');
  const ingress = `${target}-canary`.replace(/[^a-zA-Z0-9]/g, '_');
  const shares = new Map<'primary' | 'canary', number>();
  for (const raw of text.split(';')) {
    const def = raw.trim();
    const id = /^([A-Za-z0-9_]+)\s*:/.exec(def)?.[1];
    if (!id?.startsWith(`kube_${ns}__${ingress}__`)) continue;
    const role = /_(primary|canary)$/.exec(id)?.[1] as 'primary' | 'canary' | undefined;
    if (role === undefined) continue;
    if (/False\(\)/.test(def)) return 0;
    const traffic = /Traffic\(([0-9.]+)\)/.exec(def)?.[1];
    shares.set(role, traffic === undefined ? -1 : Number(traffic));
  }
  if (shares.size === 0) return undefined;
  const canary = shares.get('canary');
  const primary = shares.get('primary');
  // Traffic(p) takes p of what reaches it; the backend without it takes the rest.
  if (canary === undefined) return 0;
  if (primary === undefined) return 100;
  if (canary >= 0) return 100 * canary;
  return primary >= 0 ? 100 * (1 - primary) : undefined;
}
