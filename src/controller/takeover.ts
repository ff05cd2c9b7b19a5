// Taking canaries over from a running Flagger without analysing them again.
//
// Flagger's status.lastAppliedSpec is a hash of the target's pod template printed by a Go
// library (spew over the Go structs), which TypeScript cannot reproduce, so flagger-ts
// would see every canary's target as a new revision and start a full analysis (webhooks,
// load tests, traffic shifting) of what already runs. Instead, a canary whose hash is
// Flagger's (below) is adopted once, with our own hashes of the same objects:
//
// - Initialized / Succeeded: adopted only if the primary's pod template is what promoting
//   the target now would write (flagger-id aside), i.e. the target is what Flagger last
//   promoted. Otherwise the target changed after Flagger's promotion: a real new revision,
//   analysed as usual.
// - Failed: adopted as it is (the target is the rolled-back revision; Flagger would not
//   analyse it again either until it changes).
// - Mid-analysis (Progressing, Waiting, WaitingPromotion, Promoting, Finalising): adopted
//   and continued from Flagger's weight, iterations and failed checks. We cannot check
//   that the target is still the revision Flagger was analysing; changing it during the
//   switch-over is the one case this misses (documented in docs/migrating-from-flagger.md).
// - Initializing and anything else: left to the normal path.
import type { CanaryStatus } from '../api/status.js';
import type { TargetObservation } from '../targets/target.js';

/**
 * Flagger's hash: the decimal digits of an FNV-32a sum, each mapped to one of ten
 * characters ('0' → '4' … '9' → 'f'), so 8–10 characters of [456789bcdf] for all but the
 * 0.2 % of sums below 10^7. Ours are 7 characters at most (base 27), so never match.
 */
const FLAGGER_HASH = /^[456789bcdf]{8,10}$/;

export const isFlaggerHash = (hash: string | undefined): boolean =>
  hash !== undefined && FLAGGER_HASH.test(hash);

const IN_FLIGHT = new Set(['Progressing', 'Waiting', 'WaitingPromotion', 'Promoting', 'Finalising']);

export interface Takeover {
  /** A merge patch of the status. */
  readonly patch: Record<string, unknown>;
  readonly message: string;
}

export function flaggerTakeover(
  status: CanaryStatus | undefined,
  obs: TargetObservation | undefined,
): Takeover | undefined {
  if (status === undefined || !isFlaggerHash(status.lastAppliedSpec) || obs?.primary === undefined) {
    return undefined;
  }
  const phase = status.phase ?? '';
  // Replace Flagger's config checksums (the same keys, its own hash) wholesale: keys we do
  // not track are deleted, or their count alone would look like a config change.
  const stale = Object.keys(status.trackedConfigs ?? {}).filter((k) => !(k in obs.trackedConfigs));
  const configs = { ...Object.fromEntries(stale.map((k) => [k, null])), ...obs.trackedConfigs };
  const ours = { lastAppliedSpec: obs.specHash, trackedConfigs: configs };
  if (phase === 'Initialized' || phase === 'Succeeded') {
    if (obs.primaryMatchesTarget?.() !== true) return undefined;
    return {
      patch: { ...ours, lastPromotedSpec: obs.specHash },
      message: `Taken over from Flagger: ${phase}, the target runs what the primary runs; no new analysis`,
    };
  }
  if (phase === 'Failed') {
    return {
      patch: ours,
      message: 'Taken over from Flagger: Failed, the rolled-back revision is not analysed again',
    };
  }
  if (IN_FLIGHT.has(phase)) {
    const at = `weight ${status.canaryWeight ?? 0}, iterations ${status.iterations ?? 0}`;
    return { patch: ours, message: `Taken over from Flagger: ${phase} (${at}); the analysis continues` };
  }
  return undefined;
}
