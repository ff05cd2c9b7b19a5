// What the Kuma lane's client Envoy applies, read from its admin interface: the canary shares of
// the apex service's outbound routes and whether a replaced listener is still draining.
import { canaryShares } from './common.js';
import { envoyAdminGet } from './envoy-admin.js';

type Cluster = { name?: string; weight?: number };

/**
 * Each route action's upstreams: its `weighted_clusters`, or its single `cluster` (Kuma renders
 * a split whose other side has weight 0, e.g. 100/0, as a plain route to one cluster).
 */
function routeClusters(node: unknown, out: Cluster[][]): void {
  if (Array.isArray(node)) {
    for (const n of node) routeClusters(n, out);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const o = node as Record<string, unknown>;
  const route = o['route'];
  if (typeof route === 'object' && route !== null) {
    const r = route as { cluster?: unknown; weighted_clusters?: { clusters?: Cluster[] } };
    if (typeof r.cluster === 'string') out.push([{ name: r.cluster, weight: 1 }]);
    else if (r.weighted_clusters) out.push(r.weighted_clusters.clusters ?? []);
  }
  for (const v of Object.values(o)) routeClusters(v, out);
}

/** The objects named `name` (route configurations, virtual hosts) anywhere in the dump. */
function named(node: unknown, name: RegExp, out: unknown[]): void {
  if (Array.isArray(node)) {
    for (const n of node) named(n, name, out);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const o = node as Record<string, unknown>;
  if (typeof o['name'] === 'string' && name.test(o['name'])) {
    out.push(o);
    return;
  }
  for (const v of Object.values(o)) named(v, name, out);
}

/** Envoy's listeners that were replaced and still carry connections with their old routes. */
export async function drainingListeners(adminUrl: string): Promise<number> {
  const text = await envoyAdminGet(adminUrl, '/stats?filter=^listener_manager.total_listeners_draining$');
  const m = /total_listeners_draining: (\d+)/.exec(text);
  if (!m?.[1]) throw new Error(`no listener_manager.total_listeners_draining in ${text}`);
  return Number(m[1]);
}

/**
 * The canary shares the client's Envoy applies to every connection: those of
 * kumaCanaryPercents once no replaced listener is draining, else none.
 */
export async function kumaAppliedPercents(
  adminUrl: string,
  namespace: string,
  target: string,
): Promise<number[]> {
  const shares = await kumaCanaryPercents(adminUrl, namespace, target);
  return (await drainingListeners(adminUrl)) === 0 ? shares : [];
}

/**
 * The canary shares (percent) the client's Envoy applies to the apex service `<target>` in
 * `namespace`: the routes of its outbound route configuration (`outbound:<target>_<ns>_svc_<port>`;
 * the -primary and -canary Services have outbound listeners of their own, which always route to
 * one side) over Kuma's `<target>-primary_<ns>_svc_<port>` and `<target>-canary_…` clusters. A
 * route to the primary's cluster alone is 0 %.
 */
export async function kumaCanaryPercents(
  adminUrl: string,
  namespace: string,
  target: string,
): Promise<number[]> {
  const dump = JSON.parse(await envoyAdminGet(adminUrl, '/config_dump')) as unknown;
  const apex: unknown[] = [];
  named(dump, new RegExp(`^outbound:${target}_${namespace}_svc_[0-9]+$`), apex);
  const all: Cluster[][] = [];
  routeClusters(apex, all);
  const child = new RegExp(`^${target}-(primary|canary)_${namespace}_svc_`);
  return canaryShares(all, child);
}
