// Owner references to a Canary, so the garbage collector removes what Flagger generated
// (primary workload, Services, mesh objects) when the Canary is deleted.

import type { KubeObject, OwnerReference } from './types.js';

export const CANARY_API_VERSION = 'flagger.app/v1beta1';
export const CANARY_KIND = 'Canary';

/** The subset of a Canary needed to point at it. */
export interface OwnerIdentity {
  metadata: { name: string; uid?: string | undefined };
}

export function canaryOwnerReference(canary: OwnerIdentity): OwnerReference {
  const uid = canary.metadata.uid;
  if (uid === undefined || uid === '') {
    // A reference without uid is rejected by the API server; fail early with a clear cause.
    throw new Error(`Canary ${canary.metadata.name} has no metadata.uid; cannot own objects`);
  }
  return {
    apiVersion: CANARY_API_VERSION,
    kind: CANARY_KIND,
    name: canary.metadata.name,
    uid,
    controller: true,
    blockOwnerDeletion: true,
  };
}

/**
 * True when the given Canary is the controller of `obj`. Matched by name, as Flagger does:
 * owner references are namespace-local, and a Canary re-created under the same name adopts
 * what its predecessor generated.
 */
export function isOwnedBy(obj: KubeObject, canary: OwnerIdentity): boolean {
  return (obj.metadata.ownerReferences ?? []).some(
    (ref) =>
      ref.controller === true &&
      ref.kind === CANARY_KIND &&
      ref.apiVersion.startsWith('flagger.app/') &&
      ref.name === canary.metadata.name,
  );
}

/** True when any Canary owns `obj` (Flagger created it, as opposed to a pre-existing object). */
export function isOwnedByAnyCanary(obj: KubeObject): boolean {
  return (obj.metadata.ownerReferences ?? []).some(
    (ref) => ref.kind === CANARY_KIND && ref.apiVersion.startsWith('flagger.app/'),
  );
}
