// The notifier contract: one chat service (or generic webhook) that can post one alert.
// Payload builders are pure functions per service; the HTTP transport is shared (transport.ts).
import type { AlertProviderType } from '../api/alert-provider.js';
import type { AlertField, AlertSeverity } from '../core/effects.js';

export type { AlertField, AlertSeverity };

/** One alert as the notifiers see it: the core's alert effect plus the canary it is about. */
export interface AlertMessage {
  readonly canaryName: string;
  readonly namespace: string;
  /** The canary phase to report (only the generic webhook and templates use it). */
  readonly phase?: string | undefined;
  readonly severity: AlertSeverity;
  readonly message: string;
  readonly fields: readonly AlertField[];
}

export interface Notifier {
  readonly type: AlertProviderType;
  /** Rejects with a NotifierError on a non-2xx answer, a connection error or the timeout. */
  post(message: AlertMessage, signal?: AbortSignal): Promise<void>;
}

/** Flagger's notifier timeout. */
export const DEFAULT_NOTIFIER_TIMEOUT_MS = 5000;

/** Everything needed to build a notifier of any type. */
export interface NotifierConfig {
  readonly type: AlertProviderType;
  /** The webhook URL (secrets included: it is never logged nor put in error messages). */
  readonly url: string;
  /** Sent as `Authorization: Bearer <token>` by the slack and webhook notifiers. */
  readonly token?: string | undefined;
  /** Slack-style channel and username (slack, discord, rocket). */
  readonly channel?: string | undefined;
  readonly username?: string | undefined;
  /** HTTP proxy URL (`http://[user:pass@]host:port`); HTTPS targets are tunnelled with CONNECT. */
  readonly proxy?: string | undefined;
  readonly timeoutMs?: number | undefined;
}

export type NotifierErrorKind = 'config' | 'status' | 'unreachable' | 'timeout' | 'aborted';

/** A failed post or an unusable configuration. Messages never contain the URL's path, query or token. */
export class NotifierError extends Error {
  override readonly name = 'NotifierError';
  readonly kind: NotifierErrorKind;
  readonly status: number | undefined;
  constructor(message: string, kind: NotifierErrorKind, status?: number) {
    super(message);
    this.kind = kind;
    this.status = status;
  }
}

/** "<canary>.<namespace>", Flagger's author/subtitle line. */
export const canaryTitle = (m: AlertMessage): string => `${m.canaryName}.${m.namespace}`;

/** Parses a notifier URL; only http and https are accepted. The value is never echoed. */
export function parseNotifierUrl(type: AlertProviderType, raw: string, what = 'address'): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new NotifierError(`${type} notifier: the ${what} is not a valid URL`, 'config');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new NotifierError(`${type} notifier: the ${what} must be an http or https URL`, 'config');
  }
  return url;
}
