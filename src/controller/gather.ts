// Gather: turn the informer caches and the router's live weights into the core's
// immutable Snapshot. Only the router's live object is read from the API server.
import type { Canary } from '../api/canary.js';
import { effectiveProvider } from '../api/defaults.js';
import type { Snapshot, WorkloadObservation } from '../core/index.js';
import { routerFor } from '../routers/registry.js';
import type { Router } from '../routers/router.js';
import { computeTargetHash } from '../targets/hash.js';
import { TargetError, type TargetObservation } from '../targets/target.js';
import type { ControllerDeps } from './context.js';

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

async function observeTarget(deps: ControllerDeps, canary: Canary): Promise<TargetObservation | undefined> {
  const ns = canary.metadata.namespace ?? '';
  const name = canary.spec.targetRef.name;
  try {
    return await deps.target.observe(canary, {
      target: deps.cache.deployment(ns, name) ?? null,
      primary: deps.cache.deployment(ns, `${name}-primary`) ?? null,
    });
  } catch (err) {
    if (err instanceof TargetError && err.reason === 'TargetNotFound') return undefined;
    if (err instanceof TargetError && err.reason === 'InvalidTarget') throw new SpecError(err.message);
    throw err;
  }
}

export async function gather(deps: ControllerDeps, canary: Canary, signal: AbortSignal): Promise<Gathered> {
  const provider = effectiveProvider(canary, deps.config.meshProvider);
  let router: Router;
  try {
    router = routerFor(provider);
  } catch (err) {
    throw new SpecError(`spec.provider: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (canary.spec.targetRef.kind !== 'Deployment') {
    throw new SpecError(
      `spec.targetRef.kind: ${canary.spec.targetRef.kind} targets are not supported yet (Deployment is)`,
    );
  }
  const observation = await observeTarget(deps, canary);
  const routes = observation ? await router.getRoutes(canary, { client: deps.client, signal }) : undefined;
  const target = observation
    ? workload(
        'Deployment',
        observation.specHash,
        observation.targetReadiness,
        observation.target.spec?.replicas,
      )
    : undefined;
  const primary =
    observation?.primary && observation.primaryReadiness
      ? workload(
          'Deployment',
          computeTargetHash(observation.primary),
          observation.primaryReadiness,
          observation.primary.spec?.replicas,
        )
      : undefined;
  const snapshot: Snapshot = {
    now: deps.now(),
    canary,
    options: {
      minIntervalMs: deps.config.minAnalysisIntervalMs,
      meshProvider: deps.config.meshProvider,
      ...(deps.config.clusterName === '' ? {} : { clusterName: deps.config.clusterName }),
    },
    capabilities: { mirror: router.capabilities.mirroring },
    target,
    primary,
    configs: deps.config.enableConfigTracking && observation ? observation.trackedConfigs : undefined,
    routes,
    results: {},
  };
  return { snapshot, router, observation };
}
