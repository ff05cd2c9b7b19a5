// Deterministic hashing of API values for change detection (status.lastAppliedSpec and
// status.lastPromotedSpec). Only stability matters: the same value must always give the
// same hash, whatever the key order or the client that decoded it. Equality with Flagger's
// own hash is impossible anyway (it hashes Go structs), so a migrated canary sees one change.
import type { V1Deployment } from '@kubernetes/client-node';

/**
 * JSON with object keys sorted. `undefined` and `null` object members are dropped because
 * the same object can arrive with `field: null` (raw JSON) or without the field (a typed
 * client model); both mean "unset" to the API server. Dates (client-node models decode
 * timestamps into Date) are written as ISO strings.
 */
export function stableStringify(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map((v) => stableStringify(v)).join(',')}]`;
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const members = Object.keys(record)
      .filter((k) => record[k] !== undefined && record[k] !== null && typeof record[k] !== 'function')
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableStringify(record[k])}`);
    return `{${members.join(',')}}`;
  }
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : 'null';
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'bigint') return value.toString();
  return 'null';
}

const FNV32_OFFSET = 0x811c9dc5;
const FNV32_PRIME = 0x01000193;

/** FNV-1a, 32 bits, over the UTF-8 bytes of `text`: cheap, well spread, dependency-free. */
export function fnv32a(text: string): number {
  let hash = FNV32_OFFSET;
  for (const byte of new TextEncoder().encode(text)) {
    hash = Math.imul(hash ^ byte, FNV32_PRIME) >>> 0;
  }
  return hash >>> 0;
}

// Consonants and digits only (no vowels, no 0/1/3): the hash ends up in status fields and
// logs, and this keeps it from spelling words or being misread (o/0, l/1, e/3).
const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** Encodes a uint32 in the safe alphabet, least significant digit first (7 chars at most). */
export function safeEncode(n: number): string {
  let rest = n >>> 0;
  let out = '';
  do {
    out += SAFE_ALPHABET.charAt(rest % SAFE_ALPHABET.length);
    rest = Math.floor(rest / SAFE_ALPHABET.length);
  } while (rest > 0);
  return out;
}

/** Short alphanumeric hash of any JSON-like value; key order never matters. */
export function hashValue(value: unknown): string {
  return safeEncode(fnv32a(stableStringify(value)));
}

/** The Deployment's change-detection hash: its pod template (Flagger hashes spec.template). */
export function computeTargetHash(deployment: V1Deployment): string {
  return hashValue(deployment.spec?.template);
}

export interface SpecHashes {
  lastAppliedSpec?: string | undefined;
  lastPromotedSpec?: string | undefined;
}

/**
 * Flagger's HasTargetChanged: a never-synced status counts as changed; a hash equal to the
 * last promoted one does not (reverting the target to what the primary runs must not start
 * an analysis); anything else differing from the last applied hash does.
 */
export function hasTargetChanged(specHash: string, status: SpecHashes | undefined): boolean {
  const applied = status?.lastAppliedSpec ?? '';
  if (applied === '') return true;
  if (specHash === status?.lastPromotedSpec) return false;
  return specHash !== applied;
}
