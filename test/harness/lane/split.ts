// The split the backends really received, from the pod-server's per-pod counts: primary
// pods carry app=<target>-primary, canary pods app=<target> (the target Deployment's label).
import type { PodCount } from './pod-server.js';

export interface Split {
  readonly primary: number;
  readonly canary: number;
  readonly errors: number;
  readonly total: number;
  /** Canary share in percent. */
  readonly canaryPercent: number;
}

/** Requests received between two snapshots of PodServer.counts(). */
export function splitBetween(before: readonly PodCount[], after: readonly PodCount[], target: string): Split {
  const prev = new Map(before.map((c) => [c.uid, c]));
  let primary = 0;
  let canary = 0;
  let errors = 0;
  for (const c of after) {
    const p = prev.get(c.uid);
    const n = c.requests - (p?.requests ?? 0);
    errors += c.errors - (p?.errors ?? 0);
    if (c.app === `${target}-primary`) primary += n;
    else if (c.app === target) canary += n;
  }
  const total = primary + canary;
  return { primary, canary, errors, total, canaryPercent: total === 0 ? 0 : (100 * canary) / total };
}
