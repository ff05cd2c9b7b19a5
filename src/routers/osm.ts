// Provider `osm` (spec §3.10): Open Service Mesh has no router of its own in Flagger; it is an
// SMI v1alpha2 TrafficSplit with target mesh `osm`. Builtin metrics use the OSM observer.
// Deprecated: OSM is archived upstream; kept for users migrating from Flagger.
import type { Router } from './router.js';
import { createSmiRouter } from './smi.js';

export function createOsmRouter(): Router {
  return createSmiRouter('v1alpha2', 'osm');
}
