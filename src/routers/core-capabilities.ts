// The router facts the pure core decides on, from the router's own declaration. The core
// never looks at provider names; a new router states what it can do here and the core follows.
import type { RouterCapabilities as CoreRouterCapabilities } from '../core/snapshot.js';
import { routerFor } from './registry.js';
import type { Router } from './router.js';

export function coreCapabilities(router: Router): CoreRouterCapabilities {
  const c = router.capabilities;
  return {
    mirror: c.mirroring,
    weightedRouting: c.weightedRouting ?? true,
    sessionAffinity: c.sessionAffinity,
    reconcileFirst: c.reconcileBeforePrimary ?? false,
    threeWaySplit: c.threeWaySplit ?? false,
  };
}

/** The capabilities of a provider string's router (throws RouterError for an unknown provider). */
export function providerCapabilities(provider: string): CoreRouterCapabilities {
  return coreCapabilities(routerFor(provider));
}
