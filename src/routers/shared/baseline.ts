// The third backend of a three-way split: the judge's baseline cohort `<svc>-baseline`
// (analysis.baseline, docs/judge.md). Routers that declare `threeWaySplit` render it only while
// `Routes.baseline` is above zero, so a Canary without a baseline gets Flagger's objects
// unchanged, and read it back so reconcile keeps the weights in effect.
import type { Canary } from '../../api/canary.js';
import { serviceName } from '../../api/defaults.js';
import type { Routes } from '../router.js';

/** `<svc>-baseline`: the Service in front of the baseline pods (as `<svc>-primary` is the primary's). */
export const baselineServiceName = (canary: Canary): string => `${serviceName(canary)}-baseline`;

/** The baseline's share when it takes traffic, else undefined (no backend rendered). */
export function baselineShare(routes: Routes): number | undefined {
  const b = routes.baseline ?? 0;
  return b > 0 ? b : undefined;
}

/** `routes` with the baseline share read from a live object (absent when zero). */
export function withBaseline(routes: Routes, baseline: number | undefined): Routes {
  return baseline !== undefined && baseline > 0 ? { ...routes, baseline } : routes;
}
