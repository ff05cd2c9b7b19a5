// Comparison helpers for "does the live object already say what we want?".

import { isRecord } from '../../kube/json.js';

/**
 * Drops empty arrays, empty objects and undefined values, recursively. Desired objects built
 * in TS and objects read back from the API server disagree on "absent" versus "empty"; for
 * routing purposes the two mean the same (Flagger compares with EquateEmpty).
 */
export function withoutEmpty(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(withoutEmpty).filter((v) => v !== undefined);
    return items.length === 0 ? undefined : items;
  }
  if (isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const n = withoutEmpty(v);
      if (n !== undefined) out[k] = n;
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
  return value;
}
