// List+watch as the user: the controller's Informer, started with the user's own
// KubeConfig. A 403 on the first list means the user may not see this collection:
// the informer is stopped and the caller is told, instead of retrying forever.
import type { KubeConfig } from '@kubernetes/client-node';
import { Informer, type ChangeHandler } from '../controller/informer.js';
import { statusCode } from '../kube/errors.js';
import { KubeTransport } from '../kube/transport.js';

export type WatchOutcome = 'watching' | 'forbidden' | 'unauthorized';

const httpCode = (err: unknown): number | undefined => {
  const m = /HTTP (\d{3})/.exec(err instanceof Error ? err.message : String(err));
  return m?.[1] !== undefined ? Number(m[1]) : statusCode(err);
};

export interface UserWatch {
  readonly informer: Informer;
  /** Resolves once the first list is in the cache, or the API server refused it. */
  readonly ready: Promise<WatchOutcome>;
}

export function watchAsUser(
  kc: KubeConfig,
  path: string,
  kind: { apiVersion: string; kind: string },
  onChange: ChangeHandler,
  onError: (err: unknown) => void,
): UserWatch {
  let outcome: WatchOutcome = 'watching';
  // No keep-alive: the watch is the session's, and its connections end with it.
  const informer: Informer = new Informer(new KubeTransport(kc, { keepAlive: false }), {
    path,
    ...kind,
    onChange,
    retryMs: 1000,
    onError: (err) => {
      const code = httpCode(err);
      if (code === 403 || code === 401) {
        outcome = code === 403 ? 'forbidden' : 'unauthorized';
        informer.stop();
        return;
      }
      onError(err);
    },
  });
  const ready = informer.start().then(() => outcome);
  return { informer, ready };
}
