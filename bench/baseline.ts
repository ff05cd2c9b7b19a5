// The baselines the measured figures are compared with: the simplest possible
// operator design, a loop that wakes up every analysis interval and re-reads
// everything it needs with a GET.
//
// 1. Reaction: a polling loop notices a new revision only at its next tick.
// 2. Requests: each tick GETs the Canary, the target Deployment, the primary
//    Deployment, the three Services (apex, -canary, -primary) and the VirtualService,
//    then (on an advancing step) writes the new weights, the status and an Event.
//    Its reads are not assumed: the benchmark performs them against the real API
//    server, on the very objects its rollout left behind, and counts them.
import type { KubeConfig } from '@kubernetes/client-node';
import { createKubeClient } from '../src/kube/client.js';
import type { ObjectRef } from '../src/kube/types.js';
import { ISTIO_API_VERSION } from '../src/routers/istio-virtual-service.js';
import { now } from './kube.js';
import { summarize, type Summary } from './stats.js';

/**
 * With the tick phase uniformly random relative to `kubectl set image`, a polling
 * loop's wait is uniform on (0, interval]: median interval/2, p95 0.95·interval,
 * worst case one interval. (Its processing time comes on top; it is left out, which
 * favours the baseline.)
 */
export function pollingDetectionMs(intervalMs: number): { median: number; p95: number; max: number } {
  return { median: intervalMs / 2, p95: 0.95 * intervalMs, max: intervalMs };
}

/** What the naive tick reads, for a canary whose target and service are both `name`. */
export function naiveReads(namespace: string, name: string): ObjectRef[] {
  const deployment = (n: string): ObjectRef => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    namespace,
    name: n,
  });
  const service = (n: string): ObjectRef => ({ apiVersion: 'v1', kind: 'Service', namespace, name: n });
  return [
    { apiVersion: 'flagger.app/v1beta1', kind: 'Canary', namespace, name },
    deployment(name),
    deployment(`${name}-primary`),
    service(name),
    service(`${name}-canary`),
    service(`${name}-primary`),
    { apiVersion: ISTIO_API_VERSION, kind: 'VirtualService', namespace, name },
  ];
}

/**
 * The writes an advancing step cannot avoid in any design: the VirtualService's new
 * weights, the Canary status, the "Advance … weight N" Event. flagger-ts makes the
 * same three, so the comparison is about reads.
 */
export const NAIVE_ADVANCE_WRITES = [
  { verb: 'replace', kind: 'VirtualService' },
  { verb: 'patchStatus', kind: 'Canary' },
  { verb: 'create', kind: 'Event' },
] as const;

/** The naive advancing step as "<verb> <Kind>" → count (reads from naiveReads). */
export function naiveStepKinds(): Record<string, number> {
  const out: Record<string, number> = {};
  const add = (key: string): void => {
    out[key] = (out[key] ?? 0) + 1;
  };
  for (const ref of naiveReads('ns', 'name')) add(`get ${ref.kind}`);
  for (const w of NAIVE_ADVANCE_WRITES) add(`${w.verb} ${w.kind}`);
  return out;
}

export interface NaiveTicks {
  readonly ticks: number;
  /** GETs per tick, as counted by a fresh client's RequestCounter. */
  readonly readsPerTick: number;
  /** Wall time of one tick's reads (sequential, as a simple loop would do them). */
  readonly tickMs: Summary;
  /** Objects the naive tick expected but did not find (must be empty for a fair figure). */
  readonly missing: string[];
}

/** Runs `ticks` naive ticks' reads against the real API server. */
export async function measureNaiveTicks(
  kc: KubeConfig,
  namespace: string,
  name: string,
  ticks: number,
): Promise<NaiveTicks> {
  const client = createKubeClient(kc);
  const refs = naiveReads(namespace, name);
  const missing = new Set<string>();
  const times: number[] = [];
  for (let i = 0; i < ticks; i++) {
    const start = now();
    for (const ref of refs) {
      if ((await client.get(ref)) === undefined) missing.add(`${ref.kind} ${ref.name}`);
    }
    times.push(now() - start);
  }
  return {
    ticks,
    readsPerTick: client.requests.count('get') / ticks,
    tickMs: summarize(times),
    missing: [...missing],
  };
}
