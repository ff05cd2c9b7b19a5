// The webhook body Flagger POSTs to every hook (behaviour spec §2.6), validated with zod,
// and the namespace authorisation every payload-reading endpoint applies (§7).
import { z } from 'zod';
import { HttpError, errorMessage } from './errors.js';

/** Metadata values are strings, as in Flagger's `map[string]string`; unknown fields are ignored. */
export const loadtesterPayloadSchema = z.object({
  name: z.string(),
  namespace: z.string(),
  phase: z.string().optional(),
  checksum: z.string().optional(),
  metadata: z.record(z.string(), z.string()).nullable().optional(),
});

export type LoadtesterPayload = z.infer<typeof loadtesterPayloadSchema>;

/** Decodes and validates a request body; a bad body is a 400. */
export function parsePayload(body: Buffer): LoadtesterPayload {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw new HttpError(400, `invalid JSON payload: ${errorMessage(err)}`);
  }
  const parsed = loadtesterPayloadSchema.safeParse(json);
  if (!parsed.success) throw new HttpError(400, `invalid payload: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** `<name>.<namespace>`: the canary a payload is about, used in logs, hashes and gate keys. */
export function canaryKey(p: Pick<LoadtesterPayload, 'name' | 'namespace'>): string {
  return `${p.name}.${p.namespace}`;
}

/**
 * Compiles --namespace-regexp. Like Go's MatchString the match is unanchored; a leading
 * `(?i)` (RE2's case-insensitive flag, which JS lacks inline) becomes the `i` flag.
 */
export function compileNamespaceRegexp(pattern: string): RegExp {
  const insensitive = pattern.startsWith('(?i)');
  const source = insensitive ? pattern.slice(4) : pattern;
  try {
    return new RegExp(source, insensitive ? 'i' : '');
  } catch (err) {
    throw new Error(`invalid --namespace-regexp ${JSON.stringify(pattern)}: ${errorMessage(err)}`);
  }
}

/** 403 when a namespace regexp is configured and the payload's namespace does not match. */
export function authorize(payload: LoadtesterPayload, namespaceRegexp: RegExp | undefined): void {
  if (namespaceRegexp === undefined) return;
  namespaceRegexp.lastIndex = 0;
  if (!namespaceRegexp.test(payload.namespace)) throw new HttpError(403, 'Forbidden');
}
