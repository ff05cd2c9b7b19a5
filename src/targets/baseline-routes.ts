// How the baseline cohort's weight is carved out of the primary's (docs/judge.md, "Cohorts").
// The core keeps Flagger's two-way arithmetic (primary + canary = 100); the shell turns those
// routes into three shares on the way to the router and folds them back on the way in, so
// the core never sees the baseline and a restart reads the same two-way weights it wrote.
//
// Rule: baseline = min(canary, 100 − canary), primary = 100 − canary − baseline. Up to a
// canary weight of 50 the baseline gets exactly the canary's weight (primary = 100 − 2 × canary);
// above 50 the primary's whole remainder goes to the baseline (the judge weighs the cohorts by
// their shares, so unequal shares only cost power). Mirroring and weight 0 route no baseline.
import type { Routes } from '../core/snapshot.js';

/** The baseline share for a canary weight (see the rule above). */
export function baselineWeight(canaryWeight: number): number {
  const c = Math.max(0, Math.min(100, canaryWeight));
  return Math.min(c, 100 - c);
}

/** Two-way routes of the core → three shares for a router that splits three ways. */
export function splitThreeWay(routes: Routes): Routes {
  const { baseline: _b, ...rest } = routes;
  const folded = foldBaseline(routes);
  const b = folded.mirrored ? 0 : Math.min(baselineWeight(folded.canary), folded.primary);
  if (b <= 0) return { ...rest, primary: folded.primary };
  return { ...rest, primary: folded.primary - b, canary: folded.canary, baseline: b };
}

/** Three shares read from a router → the core's two-way view (the baseline's share is the primary's). */
export function foldBaseline(routes: Routes): Routes {
  const { baseline, ...rest } = routes;
  if (baseline === undefined || baseline <= 0) return rest;
  return { ...rest, primary: rest.primary + baseline };
}

/** Whether the live routes are what `splitThreeWay` (active) or the plain split (inactive) would write. */
export function routesSettled(live: Routes, active: boolean): boolean {
  const want = active ? splitThreeWay(live) : foldBaseline(live);
  return (
    want.primary === live.primary &&
    want.canary === live.canary &&
    (want.baseline ?? 0) === (live.baseline ?? 0)
  );
}
