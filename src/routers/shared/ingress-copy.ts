// The apex Ingress named by spec.ingressRef, which the NGINX and Skipper routers copy into a
// `<ingress>-canary` Ingress. Reading it is the only I/O; the copies are pure functions of it.

import type { Canary } from '../../api/canary.js';
import { canaryNamespace } from '../../api/defaults.js';
import { asArray, isRecord } from '../../kube/json.js';
import type { KubeObject, ObjectRef } from '../../kube/types.js';
import { RouterError, type RouterContext } from '../router.js';

export const INGRESS_API_VERSION = 'networking.k8s.io/v1';

/** spec.ingressRef.name; Flagger's "ingress selector is empty" without it. */
export function ingressRefName(canary: Canary): string {
  const name = canary.spec.ingressRef?.name;
  if (name === undefined || name === '') throw new RouterError('InvalidSpec', 'ingress selector is empty');
  return name;
}

export const canaryIngressRef = (canary: Canary): ObjectRef => ({
  apiVersion: INGRESS_API_VERSION,
  kind: 'Ingress',
  name: `${ingressRefName(canary)}-canary`,
  namespace: canaryNamespace(canary),
});

export async function readApexIngress(canary: Canary, ctx: RouterContext): Promise<KubeObject> {
  const name = ingressRefName(canary);
  const ns = canaryNamespace(canary);
  const live = await ctx.client.get(
    { apiVersion: INGRESS_API_VERSION, kind: 'Ingress', name, namespace: ns },
    { signal: ctx.signal },
  );
  if (live === undefined)
    throw new RouterError('NotFound', `ingress ${name}.${ns} get query error: not found`);
  return live;
}

export type IngressPath = Record<string, unknown>;

/** The Service a path's backend names, if any. */
export function pathService(path: unknown): string | undefined {
  if (!isRecord(path) || !isRecord(path['backend'])) return undefined;
  const svc = path['backend']['service'];
  return isRecord(svc) && typeof svc['name'] === 'string' ? svc['name'] : undefined;
}

/** `path` with its backend Service renamed. */
export function withService(path: IngressPath, name: string): IngressPath {
  const copy = structuredClone(path);
  const backend = copy['backend'] as Record<string, unknown>;
  backend['service'] = { ...(backend['service'] as Record<string, unknown>), name };
  return copy;
}

/**
 * The apex spec with each rule's paths rewritten by `rewrite` (which may return several paths
 * for one). Throws Flagger's "backend <svc> not found in ingress <name>" when no path names `apex`.
 */
export function rewritePaths(
  apexIngress: KubeObject,
  apex: string,
  rewrite: (path: IngressPath) => IngressPath[],
): Record<string, unknown> {
  const spec = isRecord(apexIngress['spec']) ? structuredClone(apexIngress['spec']) : {};
  let found = false as boolean; // set inside the map callback below
  spec['rules'] = asArray(spec['rules']).map((rule) => {
    if (!isRecord(rule) || !isRecord(rule['http'])) return rule;
    const paths = asArray(rule['http']['paths']).flatMap((p) => {
      if (!isRecord(p) || pathService(p) !== apex) return [p];
      found = true;
      return rewrite(p);
    });
    return { ...rule, http: { ...rule['http'], paths } };
  });
  if (!found) {
    throw new RouterError('InvalidSpec', `backend ${apex} not found in ingress ${apexIngress.metadata.name}`);
  }
  return spec;
}
