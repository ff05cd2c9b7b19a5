// Provider `linkerd` (spec §3.2, §3.15): an SMI v1alpha1 TrafficSplit read by Linkerd's SMI
// extension, weights as quantities. Builtin metrics use the Linkerd observer.
import type { Router } from './router.js';
import { createSmiRouter } from './smi.js';

export function createLinkerdRouter(): Router {
  return createSmiRouter('v1alpha1', 'linkerd');
}
