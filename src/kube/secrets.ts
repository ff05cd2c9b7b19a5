// Reading a Secret's data on demand. Secrets are never cached by the operator (no
// cluster-wide Secret watch is needed) and their values are never logged.
import type { KubeClient } from './client.js';
import { isRecord } from './json.js';

/** The Secret's data, base64-decoded; undefined when the Secret does not exist. */
export async function readSecretData(
  client: KubeClient,
  namespace: string,
  name: string,
  signal?: AbortSignal,
): Promise<Record<string, string> | undefined> {
  const secret = await client.get(
    { apiVersion: 'v1', kind: 'Secret', namespace, name },
    signal === undefined ? {} : { signal },
  );
  if (!secret) return undefined;
  const data = isRecord(secret['data']) ? secret['data'] : {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(data))
    if (typeof v === 'string') out[k] = Buffer.from(v, 'base64').toString('utf8');
  return out;
}
