// Gather: turn the informer caches and the router's live weights into the core's
// immutable Snapshot. Only the router's live object is read from the API server.
import type { Canary } from '../api/canary.js';
import { effectiveProvider } from '../api/defaults.js';
import type { Snapshot, WorkloadObservation } from '../core/index.js';
import type { KubeObject } from '../kube/types.js';
import { routerFor } from '../routers/registry.js';
import type { Router } from '../routers/router.js';
import { coreCapabilities } from '../routers/core-capabilities.js';
import { TargetError, type KnownObjects, type TargetObservation } from '../targets/target.js';
import type { ControllerDeps } from './context.js';
import { canaryTemplateProblem } from './metric-template-status.js';
import { foldBaseline } from '../targets/baseline-routes.js';

export interface Gathered {
  readonly snapshot: Snapshot;
  readonly router: Router;
  readonly observation: TargetObservation | undefined;
}

/** Problems that need the user to change something; reported as an invalid spec. */
export class SpecError extends Error {
  override readonly name = 'SpecError';
}

function workload(
  kind: string,
  specHash: string,
  obs: TargetObservation['targetReadiness'],
  replicas?: number,
): WorkloadObservation {
  return { kind, specHash, readiness: obs, ...(replicas === undefined ? {} : { replicas }) };
}

/** Target and primary from the informer cache of the target's kind (null: known absent). */
export function knownWorkloads(deps: ControllerDeps, canary: Canary): KnownObjects {
  const ns = canary.metadata.namespace ?? '';
  const name = canary.spec.targetRef.name;
  // Service and Knative Service targets have no informer here: their adapters read them.
  if (canary.spec.targetRef.kind === 'Service') return { config: deps.configContents?.lookup(ns) };
  const read = (n: string): KubeObject | undefined =>
    canary.spec.targetRef.kind === 'DaemonSet' ? deps.cache.daemonSet(ns, n) : deps.cache.deployment(ns, n);
  return {
    target: read(name) ?? null,
    primary: read(`${name}-primary`) ?? null,
    config: deps.configContents?.lookup(ns),
  };
}

async function observeTarget(deps: ControllerDeps, canary: Canary): Promise<TargetObservation | undefined> {
  try {
    return await deps.target.observe(canary, knownWorkloads(deps, canary));
  } catch (err) {
    if (err instanceof TargetError && err.reason === 'TargetNotFound') return undefined;
    if (err instanceof TargetError && err.reason === 'InvalidTarget') throw new SpecError(err.message);
    throw err;
  }
}

export interface GatherOptions {
  /** The core will only wait this reconcile (analysis not due): the live routes are not needed. */
  readonly skipRoutes?: boolean;
  /** The snapshot's time; the caller's, when it judged skipRoutes by it. */
  readonly now?: number;
}

export async function gather(
  deps: ControllerDeps,
  canary: Canary,
  signal: AbortSignal,
  opts: GatherOptions = {},
): Promise<Gathered> {
  const provider = effectiveProvider(canary, deps.config.meshProvider);
  let router: Router;
  try {
    router = routerFor(provider);
  } catch (err) {
    throw new SpecError(`spec.provider: ${err instanceof Error ? err.message : String(err)}`);
  }
  const kube =
    deps.kubeConfig === undefined ? undefined : { client: deps.client, kubeConfig: deps.kubeConfig };
  const templateProblem = canaryTemplateProblem(canary, (ns, n) => deps.cache.metricTemplate(ns, n), kube);
  if (templateProblem !== undefined) throw new SpecError(templateProblem);
  const observation = await observeTarget(deps, canary);
  const live =
    observation && opts.skipRoutes !== true
      ? await router.getRoutes(canary, {
          client: deps.client,
          signal,
          ingressClass: deps.config.ingressClass,
          ingressAnnotationsPrefix: deps.config.ingressAnnotationsPrefix,
        })
      : undefined;
  // The baseline's share (analysis.baseline) is the primary's as far as the core is concerned.
  const routes = live === undefined ? undefined : foldBaseline(live);
  const target = observation
    ? workload(
        observation.kind,
        observation.specHash,
        observation.targetReadiness,
        observation.targetReplicas,
      )
    : undefined;
  const primary =
    observation?.primaryHash !== undefined && observation.primaryReadiness
      ? workload(
          observation.kind,
          observation.primaryHash,
          observation.primaryReadiness,
          observation.primaryReplicas,
        )
      : undefined;
  const snapshot: Snapshot = {
    now: opts.now ?? deps.now(),
    canary,
    options: {
      minIntervalMs: deps.config.minAnalysisIntervalMs,
      meshProvider: deps.config.meshProvider,
      ...(deps.config.clusterName === '' ? {} : { clusterName: deps.config.clusterName }),
    },
    capabilities: coreCapabilities(router),
    target,
    primary,
    configs: deps.config.enableConfigTracking && observation ? observation.trackedConfigs : undefined,
    routes,
    results: {},
  };
  return { snapshot, router, observation };
}
