// The baseline cohort's lifecycle, run by the controller after each decision (docs/judge.md):
// while the analysis runs, `<target>-baseline` and `<svc>-baseline` exist and, once the
// baseline's pods are ready, the router gives it its share; when the analysis ends (promotion,
// rollback, a disabled baseline) the share goes back to the primary first, then the Service and
// the Deployment are deleted — the Deployment last, so its presence says "cleanup unfinished"
// and a restarted operator finishes it. Both carry the Canary as owner: deleting the Canary
// lets the garbage collector remove them. State-based: every call converges, nothing is leaked.
import type { V1Deployment } from '@kubernetes/client-node';
import type { Canary } from '../api/canary.js';
import type { CanaryPhase } from '../api/status.js';
import type { Routes } from '../core/snapshot.js';
import { ensureObject, modifyObject } from '../kube/ensure.js';
import { statusCode } from '../kube/errors.js';
import { isOwnedBy } from '../kube/owner.js';
import type { KubeClient } from '../kube/client.js';
import type { KubeObject, ObjectRef } from '../kube/types.js';
import { mergeService, projectService, type ServiceInputs } from '../routers/kubernetes.js';
import type { Router, RouterContext } from '../routers/router.js';
import { baselineServiceName } from '../routers/shared/baseline.js';
import {
  BASELINE_RETIRED_ANNOTATION,
  BASELINE_SOURCE_ANNOTATION,
  baselineActive,
  baselineName,
  baselineReady,
  desiredBaseline,
  desiredBaselineService,
} from './baseline.js';
import { foldBaseline, routesSettled, splitThreeWay } from './baseline-routes.js';

export interface BaselineDeps {
  readonly client: KubeClient;
  /** The informer cache's Deployment (undefined: absent). */
  readonly deployment: (namespace: string, name: string) => KubeObject | undefined;
  readonly router: Router;
  readonly routerContext: RouterContext;
  /** The target's selector label and discovered ports; undefined before the target was observed. */
  readonly inputs: ServiceInputs | undefined;
  /** Reports a baseline that could only be scaled to zero (a Warning event). */
  readonly warn?: (message: string) => Promise<void>;
}

function withoutRetired(annotations: Record<string, string>): Record<string, string> {
  const { [BASELINE_RETIRED_ANNOTATION]: _r, ...rest } = annotations;
  return rest;
}

/** A `<target>-baseline` someone else made is never taken over (nor, later, deleted). */
function mustOwn(obj: KubeObject, canary: Canary): KubeObject {
  if (isOwnedBy(obj, canary)) return obj;
  throw new Error(
    `${obj.kind} ${obj.metadata.name} exists and is not owned by canary ${canary.metadata.name}: analysis.baseline needs that name; rename the object or disable the baseline`,
  );
}

const asDeployment = (o: KubeObject | undefined): V1Deployment | undefined => o as V1Deployment | undefined;

function refs(canary: Canary): { deployment: ObjectRef; service: ObjectRef } {
  const namespace = canary.metadata.namespace ?? 'default';
  return {
    deployment: { apiVersion: 'apps/v1', kind: 'Deployment', name: baselineName(canary), namespace },
    service: { apiVersion: 'v1', kind: 'Service', name: baselineServiceName(canary), namespace },
  };
}

/** The routes to write for the core's `routes`: three shares while the baseline is active and ready. */
export function routesWithBaseline(
  d: Pick<BaselineDeps, 'deployment'>,
  canary: Canary,
  routes: Routes,
  phase: CanaryPhase | undefined,
): Routes {
  if (!baselineActive(canary, phase)) return foldBaseline(routes);
  const live = asDeployment(d.deployment(canary.metadata.namespace ?? 'default', baselineName(canary)));
  return baselineReady(live) ? splitThreeWay(routes) : foldBaseline(routes);
}

async function ensureBaseline(d: BaselineDeps, canary: Canary, inputs: ServiceInputs): Promise<boolean> {
  const ns = canary.metadata.namespace ?? 'default';
  const target = asDeployment(d.deployment(ns, canary.spec.targetRef.name));
  const primary = asDeployment(d.deployment(ns, `${canary.spec.targetRef.name}-primary`));
  if (target === undefined || primary === undefined) return false;
  const desired = desiredBaseline(canary, primary, target, inputs);
  const cached = d.deployment(ns, baselineName(canary));
  if (cached !== undefined) mustOwn(cached, canary);
  const source = (o: KubeObject): unknown => o.metadata.annotations?.[BASELINE_SOURCE_ANNOTATION];
  // The defaulted live template never equals ours: compare what it was built from instead.
  if (cached === undefined || source(cached) !== source(desired) || retired(cached)) {
    await ensureObject(d.client, desired, {
      owner: desired.metadata.ownerReferences?.[0],
      signal: d.routerContext.signal,
      project: (o) => ({ source: source(o), owned: isOwnedBy(o, canary), retired: retired(o) }),
      merge: (live, want) => ({
        ...structuredClone(live),
        metadata: {
          ...live.metadata,
          // A retired (scaled-to-zero) baseline becomes a running one again.
          annotations: withoutRetired({ ...live.metadata.annotations, ...want.metadata.annotations }),
          ownerReferences: want.metadata.ownerReferences ?? [],
        },
        spec: structuredClone(want['spec']),
      }),
    });
  }
  await ensureObject(d.client, desiredBaselineService(canary, inputs), {
    owner: desired.metadata.ownerReferences?.[0],
    signal: d.routerContext.signal,
    project: projectService,
    merge: (live, want) => mergeService(mustOwn(live, canary), want, canary, true),
  });
  return baselineReady(asDeployment(d.deployment(ns, baselineName(canary))));
}

/** Converges the baseline workload, Service and route share on the phase just decided. */
export async function syncBaseline(
  d: BaselineDeps,
  canary: Canary,
  phase: CanaryPhase | undefined,
): Promise<void> {
  const ns = canary.metadata.namespace ?? 'default';
  // A router that cannot split three ways makes the spec invalid (core/validation.ts); whatever
  // a previous spec started is cleaned up.
  const active = baselineActive(canary, phase) && d.router.capabilities.threeWaySplit === true;
  const existing = d.deployment(ns, baselineName(canary));
  // Only what this Canary created is ever deleted (a user's own `<target>-baseline` is not ours).
  const ours = existing !== undefined && isOwnedBy(existing, canary);
  if (!active && (!ours || retired(existing))) return;
  if (active && d.inputs !== undefined) {
    const ready = await ensureBaseline(d, canary, d.inputs);
    if (!ready) return;
  }
  const live = await d.router.getRoutes(canary, d.routerContext);
  if (live !== undefined && !routesSettled(live, active) && (active ? live.canary > 0 : true)) {
    await d.router.setRoutes(canary, active ? splitThreeWay(live) : foldBaseline(live), d.routerContext);
  }
  if (active) return;
  await removeBaseline(d, canary);
}

/**
 * Deletes the Service, then the Deployment. The chart grants `delete` only with
 * `rbac.baselineCohort` (least privilege otherwise): when it is refused, the Deployment is
 * scaled to zero and marked retired instead, so nothing runs and nothing is retried; the next
 * analysis scales it up again.
 */
async function removeBaseline(d: BaselineDeps, canary: Canary): Promise<void> {
  const r = refs(canary);
  const signal = d.routerContext.signal;
  try {
    const service = await d.client.get(r.service, { signal });
    if (service !== undefined && isOwnedBy(service, canary)) await d.client.delete(r.service, { signal });
    await d.client.delete(r.deployment, { signal });
  } catch (err) {
    if (statusCode(err) !== 403) throw err;
    await modifyObject(
      d.client,
      r.deployment,
      (live) => {
        const next = structuredClone(live);
        next.metadata.annotations = { ...next.metadata.annotations, [BASELINE_RETIRED_ANNOTATION]: 'true' };
        next['spec'] = { ...(next['spec'] as Record<string, unknown>), replicas: 0 };
        return next;
      },
      { signal },
    );
    await d.warn?.(
      `Baseline ${r.deployment.name}.${r.deployment.namespace} scaled to zero instead of deleted: the operator may not delete Deployments and Services (${err instanceof Error ? err.message : String(err)}); set the chart value rbac.baselineCohort=true`,
    );
  }
}

const retired = (o: KubeObject | undefined): boolean =>
  o?.metadata.annotations?.[BASELINE_RETIRED_ANNOTATION] === 'true';
