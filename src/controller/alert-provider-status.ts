// AlertProvider health on the provider's own status (Flagger's CRD has the conditions,
// Flagger never writes them): `Ready` is True (reason Configured) when alert routing
// could build a notifier from it, and False otherwise: InvalidProvider for a spec that
// can never work (unknown type, neither address nor secretRef, a bad URL), SecretMissing
// for a secretRef whose Secret or `address` key is missing, SecretUnreadable when the
// Secret could not be read. It goes through providerNotifier, the code that routes
// alerts, so the condition predicts routing exactly. No message is sent to check it
// (that would post to the channel); messages never quote the address.
import { validateAlertProvider } from '../api/validate.js';
import type { KubeClient } from '../kube/client.js';
import { readSecretData } from '../kube/secrets.js';
import type { KubeObject } from '../kube/types.js';
import { RoutingError, providerNotifier } from '../notifiers/routing.js';
import type { Logger } from '../telemetry/logger.js';
import { ReadyConditionLoop, type ReadyState } from './ready-condition.js';

const errText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** Validation messages, except for address/proxy whose messages may quote the URL. */
function invalidMessage(raw: KubeObject): string | undefined {
  const v = validateAlertProvider(raw);
  if (v.ok) return undefined;
  return v.errors
    .map((e) => (/address|proxy/.test(e.field) && !/required/.test(e.message) ? e.field : e.message))
    .join('; ');
}

export async function alertProviderHealth(
  raw: KubeObject,
  client: KubeClient,
  signal: AbortSignal,
): Promise<ReadyState> {
  const invalid = invalidMessage(raw);
  if (invalid !== undefined) return { status: 'False', reason: 'InvalidProvider', message: invalid };
  const ns = raw.metadata.namespace ?? '';
  let readError: unknown;
  try {
    await providerNotifier(raw, ns, `AlertProvider ${ns}/${raw.metadata.name}`, {
      signal,
      resolver: {
        getAlertProvider: () => raw,
        getSecretData: async (n, name, s) => {
          try {
            return await readSecretData(client, n, name, s);
          } catch (err) {
            readError = err;
            throw err;
          }
        },
      },
    });
  } catch (err) {
    if (signal.aborted) throw err;
    if (readError !== undefined) {
      return { status: 'False', reason: 'SecretUnreadable', message: errText(readError) };
    }
    const message = errText(err);
    const secret = err instanceof RoutingError && /^Secret /.test(message);
    return { status: 'False', reason: secret ? 'SecretMissing' : 'InvalidProvider', message };
  }
  const type = (raw['spec'] as { type?: string } | undefined)?.type ?? '';
  return { status: 'True', reason: 'Configured', message: `${type} notifier is configured` };
}

export interface AlertProviderLoopOptions {
  readonly client: KubeClient;
  readonly list: () => readonly KubeObject[];
  readonly logger: Logger;
  readonly pollMs?: number;
  readonly recheckMs?: number;
}

/** Keeps every cached AlertProvider's `Ready` condition current (see ready-condition.ts). */
export class AlertProviderStatusLoop extends ReadyConditionLoop {
  constructor(o: AlertProviderLoopOptions) {
    super({
      ...o,
      kind: 'AlertProvider',
      check: (raw, signal) => alertProviderHealth(raw, o.client, signal),
    });
  }
}
