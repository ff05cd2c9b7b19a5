// Provider `nginx` (spec §3.4): Ingress `<ingress>-canary`, a copy of spec.ingressRef whose
// backends to the apex Service point at `<svc>-canary`, marked as an ingress-nginx canary by
// `<prefix>/canary: "true"` and split by `<prefix>/canary-weight`, or, for A/B testing, routed
// by `<prefix>/canary-by-header` (+ `-value` / `-pattern`) or `<prefix>/canary-by-cookie`.
// `<prefix>` is -ingress-annotations-prefix. The apex Ingress is never modified.

import type { Canary } from '../api/canary.js';
import { canaryName, serviceName } from '../api/defaults.js';
import type { KubeObject } from '../kube/types.js';
import {
  RouterError,
  type Router,
  type RouterCapabilities,
  type RouterContext,
  type Routes,
} from './router.js';
import { withToolkitAnnotations } from './shared/metadata.js';
import { KUBECTL_LAST_APPLIED } from './shared/original-spec.js';
import {
  INGRESS_API_VERSION,
  canaryIngressRef,
  readApexIngress,
  rewritePaths,
  withService,
} from './shared/ingress-copy.js';
import { ensureObject } from '../kube/ensure.js';
import { withoutEmpty } from './shared/normalize.js';
import { INITIAL_ROUTES, ownerFor } from './shared/routed-object.js';

export const DEFAULT_NGINX_PREFIX = 'nginx.ingress.kubernetes.io';

/** A/B annotations from analysis.match: the last header wins, as in Flagger; `cookie` means canary-by-cookie. */
function abAnnotations(canary: Canary, prefix: string): Record<string, string> {
  let cookie = '';
  let header = '';
  let value = '';
  let pattern = '';
  for (const m of canary.spec.analysis.match ?? []) {
    for (const [k, v] of Object.entries(m.headers ?? {})) {
      if (k === 'cookie') cookie = v.exact ?? '';
      else [header, value, pattern] = [k, v.exact ?? '', v.regex ?? ''];
    }
  }
  const out: Record<string, string> = {};
  if (cookie !== '') out[`${prefix}/canary-by-cookie`] = cookie;
  if (header !== '') out[`${prefix}/canary-by-header`] = header;
  if (value !== '') out[`${prefix}/canary-by-header-value`] = value;
  if (pattern !== '') out[`${prefix}/canary-by-header-pattern`] = pattern;
  return out;
}

export function desiredNginxIngress(
  canary: Canary,
  apexIngress: KubeObject,
  routes: Routes,
  prefix = DEFAULT_NGINX_PREFIX,
): KubeObject {
  const spec = rewritePaths(apexIngress, serviceName(canary), (p) => [withService(p, canaryName(canary))]);
  // The apex's own canary annotations and kubectl's record of it do not belong on the copy.
  const copied = Object.fromEntries(
    Object.entries(apexIngress.metadata.annotations ?? {}).filter(
      ([k]) => !k.includes(`${prefix}/canary`) && k !== KUBECTL_LAST_APPLIED,
    ),
  );
  const annotations = withToolkitAnnotations(copied);
  annotations[`${prefix}/canary`] = 'true';
  annotations[`${prefix}/canary-weight`] = '0';
  const ab = (canary.spec.analysis.match ?? []).length > 0;
  if (routes.canary > 0) {
    if (ab) Object.assign(annotations, abAnnotations(canary, prefix));
    else annotations[`${prefix}/canary-weight`] = String(routes.canary);
  }
  const ref = canaryIngressRef(canary);
  return {
    apiVersion: INGRESS_API_VERSION,
    kind: 'Ingress',
    metadata: {
      name: ref.name,
      namespace: ref.namespace,
      labels: { ...apexIngress.metadata.labels },
      annotations,
    },
    spec,
  };
}

/** A/B annotations present → all canary; otherwise canary-weight (primary = 100 - canary). */
export function readNginxRoutes(canary: Canary, live: KubeObject, prefix = DEFAULT_NGINX_PREFIX): Routes {
  const annotations = live.metadata.annotations ?? {};
  if ((canary.spec.analysis.match ?? []).length > 0) {
    if (`${prefix}/canary-by-cookie` in annotations || `${prefix}/canary-by-header` in annotations) {
      return { primary: 0, canary: 100, mirrored: false };
    }
  }
  const raw = annotations[`${prefix}/canary-weight`];
  let weight = 0;
  if (raw !== undefined) {
    weight = Number(raw);
    if (!/^[+-]?\d+$/.test(raw.trim())) {
      throw new RouterError('MalformedObject', `failed to convert ${raw} to int`);
    }
  }
  return { primary: 100 - weight, canary: weight, mirrored: false };
}

/**
 * Create-or-update of the canary Ingress. Unlike the shared merge, live `<prefix>/canary…`
 * annotations are dropped before the desired ones are laid over, so A/B annotations do not
 * outlive the run that set them (Flagger rebuilds the canary annotations at weight 0).
 */
async function ensureNginxIngress(
  canary: Canary,
  ctx: RouterContext,
  routesOf: (live?: KubeObject) => Routes,
): Promise<void> {
  const prefix = prefixOf(ctx);
  const apexIngress = await readApexIngress(canary, ctx);
  const project = (o: KubeObject): unknown => ({
    spec: withoutEmpty(o['spec']),
    labels: o.metadata.labels ?? {},
    annotations: o.metadata.annotations ?? {},
  });
  await ensureObject(ctx.client, desiredNginxIngress(canary, apexIngress, routesOf(), prefix), {
    owner: ownerFor(canary, ctx),
    signal: ctx.signal,
    project,
    merge: (live) => {
      const desired = desiredNginxIngress(canary, apexIngress, routesOf(live), prefix);
      const next = structuredClone(live);
      next['spec'] = desired['spec'];
      const kept = Object.entries(live.metadata.annotations ?? {}).filter(
        ([k]) => !k.startsWith(`${prefix}/canary`),
      );
      next.metadata.annotations = { ...Object.fromEntries(kept), ...desired.metadata.annotations };
      next.metadata.labels = { ...live.metadata.labels, ...desired.metadata.labels };
      return next;
    },
  });
}

const prefixOf = (ctx: RouterContext): string => ctx.ingressAnnotationsPrefix || DEFAULT_NGINX_PREFIX;

const capabilities: RouterCapabilities = { mirroring: false, headerMatching: true, sessionAffinity: false };

export function createNginxRouter(): Router {
  return {
    capabilities,
    objectKinds: [{ apiVersion: INGRESS_API_VERSION, kind: 'Ingress' }],
    async reconcile(canary, ctx): Promise<void> {
      // Keep the routes in effect: read back from the live copy, all primary when it is new.
      await ensureNginxIngress(canary, ctx, (live) =>
        live === undefined ? INITIAL_ROUTES : readNginxRoutes(canary, live, prefixOf(ctx)),
      );
    },
    async getRoutes(canary, ctx): Promise<Routes | undefined> {
      const live = await ctx.client.get(canaryIngressRef(canary), { signal: ctx.signal });
      return live === undefined ? undefined : readNginxRoutes(canary, live, prefixOf(ctx));
    },
    async setRoutes(canary, routes, ctx): Promise<void> {
      await ensureNginxIngress(canary, ctx, () => routes);
    },
    finalize: () => Promise.resolve(),
  };
}
