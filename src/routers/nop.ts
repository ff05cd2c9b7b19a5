// Provider `kubernetes` (spec §3.14): no mesh, so nothing to route. Blue/Green only: the apex
// Service keeps selecting the primary until promotion, and tests target `<svc>-canary`.
// GetRoutes reports what Flagger's NopRouter does: all primary before the first iteration,
// all canary after, so the core's weight logic sees a switch without any object changing.

import type { Canary } from '../api/canary.js';
import type { Router, RouterCapabilities, Routes } from './router.js';

export function nopRoutes(canary: Canary): Routes {
  const started = (canary.status?.iterations ?? 0) > 0;
  return started
    ? { primary: 0, canary: 100, mirrored: false }
    : { primary: 100, canary: 0, mirrored: false };
}

const capabilities: RouterCapabilities = {
  mirroring: false,
  headerMatching: false,
  sessionAffinity: false,
  weightedRouting: false,
};

export function createNopRouter(): Router {
  return {
    capabilities,
    objectKinds: [],
    reconcile: () => Promise.resolve(),
    getRoutes: (canary) => Promise.resolve(nopRoutes(canary)),
    setRoutes: () => Promise.resolve(),
    finalize: () => Promise.resolve(),
  };
}
