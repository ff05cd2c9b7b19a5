// The I/O every weighted router repeats, written once (design §7.1 item 8). A provider
// describes its routing object with pure functions (RoutedObject); these helpers do the
// reading, comparing, writing, take-over bookkeeping and restore-on-finalize.

import type { Canary } from '../../api/canary.js';
import { ensureObject, type EnsureResult } from '../../kube/ensure.js';
import { deepEqual } from '../../kube/json.js';
import { canaryOwnerReference, isOwnedBy } from '../../kube/owner.js';
import type { KubeObject, ObjectRef, OwnerReference } from '../../kube/types.js';
import { RouterError, canaryId, type RouterContext, type Routes } from '../router.js';
import { withoutEmpty } from './normalize.js';
import { originalSpec, recordOriginalSpec } from './original-spec.js';

/** All traffic on the primary: what a freshly created routing object carries. */
export const INITIAL_ROUTES: Routes = { primary: 100, canary: 0, mirrored: false };

export interface RoutedObject {
  /** Which object this is (no spec validation involved, so finalize works on a bad spec). */
  ref(canary: Canary): ObjectRef;
  /** The object as it should be, carrying `routes`. Pure; throws RouterError('InvalidSpec'). */
  desired(canary: Canary, routes: Routes): KubeObject;
  /** The routes a live object carries. Pure; throws RouterError('MalformedObject'). */
  readRoutes(canary: Canary, live: KubeObject): Routes;
  /** `spec` without the fields setRoutes owns (weights, mirror ...). Pure. */
  withoutRoutes(canary: Canary, spec: unknown): unknown;
  /** Save a pre-existing object's spec on take-over and put it back on finalize. */
  readonly restoreOnFinalize: boolean;
}

export function ownerFor(canary: Canary, ctx: RouterContext): OwnerReference | undefined {
  return ctx.setOwnerRefs === false ? undefined : canaryOwnerReference(canary);
}

/** `live` with `desired`'s spec, and desired labels/annotations laid over the live ones. */
function withSpecOf(live: KubeObject, desired: KubeObject): KubeObject {
  const next = structuredClone(live);
  next['spec'] = structuredClone(desired['spec']);
  const { labels, annotations } = desired.metadata;
  if (labels !== undefined) next.metadata.labels = { ...live.metadata.labels, ...labels };
  if (annotations !== undefined) next.metadata.annotations = { ...live.metadata.annotations, ...annotations };
  return next;
}

interface Projection {
  spec: unknown;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

const projectAll = (o: KubeObject): Projection => ({
  spec: withoutEmpty(o['spec']),
  labels: o.metadata.labels ?? {},
  annotations: o.metadata.annotations ?? {},
});

/**
 * Create-or-update for objects whose whole spec the router owns (e.g. Istio DestinationRules).
 * Foreign labels and annotations on the live object are kept.
 */
export function ensureSpec(canary: Canary, desired: KubeObject, ctx: RouterContext): Promise<EnsureResult> {
  return ensureObject(ctx.client, desired, {
    owner: ownerFor(canary, ctx),
    project: projectAll,
    merge: withSpecOf,
    signal: ctx.signal,
  });
}

function liveRoutes(kind: RoutedObject, canary: Canary, live: KubeObject): Routes {
  try {
    return kind.readRoutes(canary, live);
  } catch (err) {
    // A user's object being taken over has no canary routes yet.
    if (err instanceof RouterError && err.reason === 'MalformedObject') return INITIAL_ROUTES;
    throw err;
  }
}

/**
 * Reconcile: make everything but the routes match the Canary, keeping the weights in effect.
 * The first time a pre-existing object is changed, its spec is saved for finalize.
 */
export function reconcileRouted(
  kind: RoutedObject,
  canary: Canary,
  ctx: RouterContext,
): Promise<EnsureResult> {
  const initial = kind.desired(canary, INITIAL_ROUTES);
  const comparable = (o: KubeObject): unknown => withoutEmpty(kind.withoutRoutes(canary, o['spec']));
  return ensureObject(ctx.client, initial, {
    owner: ownerFor(canary, ctx),
    signal: ctx.signal,
    project: (o) => ({ ...projectAll(o), spec: comparable(o) }),
    merge: (live) => {
      const next = withSpecOf(live, kind.desired(canary, liveRoutes(kind, canary, live)));
      const specChanged = !deepEqual(comparable(live), comparable(next));
      if (kind.restoreOnFinalize && specChanged && !isOwnedBy(live, canary)) recordOriginalSpec(live, next);
      return next;
    },
  });
}

export async function getRoutesRouted(
  kind: RoutedObject,
  canary: Canary,
  ctx: RouterContext,
): Promise<Routes | undefined> {
  const live = await ctx.client.get(kind.ref(canary), { signal: ctx.signal });
  return live === undefined ? undefined : kind.readRoutes(canary, live);
}

/** Writes the routes (creating the object if it is missing); no request beyond the read when unchanged. */
export function setRoutesRouted(
  kind: RoutedObject,
  canary: Canary,
  routes: Routes,
  ctx: RouterContext,
): Promise<EnsureResult> {
  return ensureObject(ctx.client, kind.desired(canary, routes), {
    owner: ownerFor(canary, ctx),
    signal: ctx.signal,
    project: projectAll,
    merge: withSpecOf,
  });
}

/**
 * revertOnDeletion: restore the spec the object had before Flagger (kubectl last-applied or
 * the saved original). Without either record there is nothing to restore: Flagger created
 * the object and the garbage collector removes it with the Canary.
 */
export async function finalizeRouted(
  kind: RoutedObject,
  canary: Canary,
  ctx: RouterContext,
): Promise<EnsureResult | undefined> {
  if (!kind.restoreOnFinalize) return undefined;
  const ref = kind.ref(canary);
  const live = await ctx.client.get(ref, { signal: ctx.signal });
  if (live === undefined) {
    // Flagger fails here too; the finalizer stays and finalize is retried.
    throw new RouterError('NotFound', `${ref.kind} ${ref.name} not found (canary ${canaryId(canary)})`);
  }
  const spec = originalSpec(live);
  if (spec === undefined) return undefined;
  return ensureObject(
    ctx.client,
    { ...live, spec },
    {
      signal: ctx.signal,
      project: (o) => o['spec'],
      merge: (l, d) => ({ ...structuredClone(l), spec: d['spec'] }),
    },
  );
}
