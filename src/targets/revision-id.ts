// The primary pod template's flagger-id, derived from the revision instead of drawn at random.
// Flagger writes a fresh random id on every promotion, so a promotion repeated after a crash
// (primary updated, status write lost) rolls the primary's pods a second time. An id that is a
// function of what is promoted makes the repeated write identical: Kubernetes starts no new
// rollout for an unchanged template, and the adapter skips the write altogether.
import { createHash } from 'node:crypto';
import { stableStringify } from './hash.js';

/**
 * A UUID-shaped id (Flagger's annotation values are UUIDs; tools may parse them) for one
 * revision of one canary: its uid, the target's change-detection hash and the tracked
 * configs' checksums. Tracked config data is part of it because a changed ConfigMap must
 * restart the primary's pods even when the workload's template is unchanged.
 */
export function revisionFlaggerId(
  canaryUid: string,
  targetHash: string,
  configChecksums: Readonly<Record<string, string>>,
): string {
  const hex = createHash('sha256')
    .update(stableStringify({ canaryUid, targetHash, configChecksums }))
    .digest('hex');
  // Version nibble 5 and the RFC 4122 variant bits, like a name-based UUID.
  const variant = ((parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return [
    hex.slice(0, 8),
    hex.slice(8, 12),
    `5${hex.slice(13, 16)}`,
    `${variant}${hex.slice(17, 20)}`,
    hex.slice(20, 32),
  ].join('-');
}
