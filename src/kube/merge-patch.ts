// JSON merge patch (RFC 7386), as the API server applies `application/merge-patch+json`.
// Used by the fake client, and by callers that want to preview a patch.

import { isRecord } from './json.js';

export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isRecord(patch)) return structuredClone(patch);
  const out: Record<string, unknown> = isRecord(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    out[key] = value === null ? undefined : applyMergePatch(out[key], value);
  }
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined));
}
