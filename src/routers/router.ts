// The mesh/ingress router contract (Flagger's router.Interface). A router turns the core's
// `reconcileRouter` and `setRoutes` effects into objects, and reports live weights back.
// Routers are stateless: everything per-canary comes in through `canary` and `ctx`.

import type { Canary } from '../api/canary.js';
import type { Routes } from '../core/snapshot.js';
import type { KubeClient } from '../kube/client.js';

export type { Routes } from '../core/snapshot.js';

export interface RouterContext {
  readonly client: KubeClient;
  readonly signal?: AbortSignal | undefined;
  /**
   * Owner references to the Canary on generated mesh objects. False when the mesh runs in
   * another cluster (Flagger's -kubeconfig-service-mesh), where the Canary's uid means nothing.
   */
  readonly setOwnerRefs?: boolean | undefined;
  /** The target's selector label (e.g. `app`), for routers that select pods (App Mesh v1beta2). */
  readonly selectorLabel?: string | undefined;
  /** -ingress-class: `spec.ingressClassName` of Contour HTTPProxies (unset when empty). */
  readonly ingressClass?: string | undefined;
  /** -ingress-annotations-prefix of the NGINX canary Ingress (default nginx.ingress.kubernetes.io). */
  readonly ingressAnnotationsPrefix?: string | undefined;
}

/** What a router can express; the core and validation consult it instead of provider names. */
export interface RouterCapabilities {
  readonly mirroring: boolean;
  /** A/B testing on headers, cookies or query parameters (analysis.match). */
  readonly headerMatching: boolean;
  /** Cookie stickiness (analysis.sessionAffinity). */
  readonly sessionAffinity: boolean;
  /**
   * False when the provider shifts no traffic at all (`kubernetes`: Services only, Blue/Green
   * by switching the apex Service). Default true.
   */
  readonly weightedRouting?: boolean;
  /** The router's objects must exist before the primary's pods start (App Mesh sidecar injection). Default false. */
  readonly reconcileBeforePrimary?: boolean;
  /**
   * Renders `Routes.baseline` as a third weighted backend `<svc>-baseline` (the judge's baseline
   * cohort, analysis.baseline) and reads it back. Default false: such a router makes a spec
   * with analysis.baseline.enabled invalid.
   */
  readonly threeWaySplit?: boolean;
}

/** A kind of object a router writes and reads back; the operator watches it and serves reads from the cache. */
export interface RouterObjectKind {
  readonly apiVersion: string;
  readonly kind: string;
  /** True for cluster-scoped kinds (e.g. Kuma's TrafficRoute). */
  readonly clusterScoped?: boolean | undefined;
}

export interface Router {
  readonly capabilities: RouterCapabilities;
  /**
   * Every kind this router reads or writes (besides core Services). The engine watches them:
   * reads come from the watch cache, and a change by someone else wakes the owning canary so
   * drift is corrected.
   */
  readonly objectKinds: readonly RouterObjectKind[];
  /** Creates or updates the router objects; keeps the weights currently in effect. */
  reconcile(canary: Canary, ctx: RouterContext): Promise<void>;
  /** Live weights; undefined when the router objects do not exist yet. Throws RouterError. */
  getRoutes(canary: Canary, ctx: RouterContext): Promise<Routes | undefined>;
  setRoutes(canary: Canary, routes: Routes, ctx: RouterContext): Promise<void>;
  /** revertOnDeletion: hands routing back to what existed before Flagger (or does nothing). */
  finalize(canary: Canary, ctx: RouterContext): Promise<void>;
}

/**
 * - InvalidSpec: the Canary asks for something the router cannot do (fix the spec; no retry).
 * - NotFound: an object the operation needs is missing.
 * - MalformedObject: a live object has no routes this router recognises.
 */
export type RouterErrorReason = 'InvalidSpec' | 'NotFound' | 'MalformedObject';

export class RouterError extends Error {
  override readonly name = 'RouterError';
  readonly reason: RouterErrorReason;

  constructor(reason: RouterErrorReason, message: string, options?: ErrorOptions) {
    super(message, options);
    this.reason = reason;
  }
}

/** Flagger's `<name>.<namespace>` form for messages. */
export function canaryId(canary: Canary): string {
  return `${canary.metadata.name}.${canary.metadata.namespace ?? 'default'}`;
}
