// Sending an alert: every selected notifier at once, within one deadline, never throwing.
// A notifier outage is logged and counted; it never delays the caller past the deadline
// nor fails the analysis.
import type { Canary } from '../api/canary.js';
import { canaryNamespace } from '../api/defaults.js';
import type { Logger } from '../telemetry/logger.js';
import { createGlobalNotifier, type GlobalNotifierConfig } from './global.js';
import type { AlertCounter } from './metrics.js';
import {
  DEFAULT_NOTIFIER_TIMEOUT_MS,
  type AlertField,
  type AlertMessage,
  type AlertSeverity,
} from './notifier.js';
import { selectNotifiers, withClusterField, type AlertResolver, type AlertTarget } from './routing.js';
import { renderMessageTemplate } from './template.js';

/** Whole-send bound: provider/secret lookups plus the posts (each post also has its own timeout). */
export const DEFAULT_ALERT_DEADLINE_MS = 10_000;

export interface AlertReport {
  readonly sent: number;
  readonly failed: number;
  readonly invalid: number;
}

export interface SendAlertOptions {
  readonly log: Logger;
  readonly count?: AlertCounter | undefined;
  readonly signal?: AbortSignal | undefined;
  /** Default DEFAULT_ALERT_DEADLINE_MS. */
  readonly deadlineMs?: number | undefined;
}

const reasonOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** Rejects when `signal` aborts, so a notifier that ignores its signal cannot hold us. */
function bounded<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new Error('alert deadline exceeded or cancelled'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      reject(new Error('alert deadline exceeded or cancelled'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    void work.then(resolve, reject).finally(() => {
      signal.removeEventListener('abort', onAbort);
    });
  });
}

function deadlineSignal(deadlineMs: number, caller: AbortSignal | undefined): AbortSignal {
  const timeout = AbortSignal.timeout(deadlineMs);
  return caller ? AbortSignal.any([caller, timeout]) : timeout;
}

/** The message text for one target: its messageTemplate when it renders, else the default. */
function messageFor(target: AlertTarget, message: AlertMessage, log: Logger): AlertMessage {
  if (target.messageTemplate === undefined || target.messageTemplate === '') return message;
  const r = renderMessageTemplate(target.messageTemplate, message);
  if (r.ok) return { ...message, message: r.text };
  log.warn({ target: target.label, err: r.error }, 'alert messageTemplate error; sending the default text');
  return message;
}

async function postOne(
  target: AlertTarget,
  message: AlertMessage,
  opts: SendAlertOptions,
  signal: AbortSignal,
): Promise<boolean> {
  const { log } = opts;
  const provider = target.notifier.type;
  try {
    await bounded(target.notifier.post(messageFor(target, message, log), signal), signal);
    opts.count?.(provider, 'sent');
    log.debug({ target: target.label, provider, severity: message.severity }, 'alert sent');
    return true;
  } catch (err) {
    opts.count?.(provider, 'failed');
    log.warn({ target: target.label, provider, err: reasonOf(err) }, 'alert not delivered');
    return false;
  }
}

/** Posts `message` to every target concurrently. Never rejects; resolves within the deadline. */
export async function sendAlert(
  targets: readonly AlertTarget[],
  message: AlertMessage,
  opts: SendAlertOptions,
): Promise<AlertReport> {
  const signal = deadlineSignal(opts.deadlineMs ?? DEFAULT_ALERT_DEADLINE_MS, opts.signal);
  const results = await Promise.all(targets.map((t) => postOne(t, message, opts, signal)));
  const sent = results.filter(Boolean).length;
  return { sent, failed: results.length - sent, invalid: 0 };
}

/** What the core's `alert` effect carries. */
export interface AlertInput {
  readonly severity: AlertSeverity;
  readonly message: string;
  readonly fields: readonly AlertField[];
}

export interface AlertDispatcherOptions {
  readonly resolver: AlertResolver;
  readonly logger: Logger;
  /** Operator flags for the global notifier (see globalNotifierConfigFromEnv). */
  readonly global?: GlobalNotifierConfig | undefined;
  /** -cluster-name; adds the `Cluster` field unless the core already did. */
  readonly clusterName?: string | undefined;
  /** e.g. registerAlertMetrics(metrics.registry). */
  readonly count?: AlertCounter | undefined;
  /** Per post; default 5000 (Flagger). */
  readonly timeoutMs?: number | undefined;
  /** Whole send; default DEFAULT_ALERT_DEADLINE_MS. */
  readonly deadlineMs?: number | undefined;
}

export interface SendOptions {
  /** The phase reported to the generic webhook and templates. */
  readonly phase?: string | undefined;
  readonly signal?: AbortSignal | undefined;
  /** A per-reconcile child logger; defaults to the dispatcher's logger. */
  readonly log?: Logger | undefined;
}

export interface AlertDispatcher {
  /** Routes and posts one alert. Never rejects; bounded by the deadline. */
  send(canary: Canary, alert: AlertInput, opts?: SendOptions): Promise<AlertReport>;
}

export function createAlertDispatcher(opts: AlertDispatcherOptions): AlertDispatcher {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_NOTIFIER_TIMEOUT_MS;
  const deadlineMs = opts.deadlineMs ?? DEFAULT_ALERT_DEADLINE_MS;
  const setup = createGlobalNotifier(opts.global ?? {}, timeoutMs);
  if (setup.error !== undefined) opts.logger.error({ err: setup.error }, 'global notifier disabled');

  return {
    async send(canary, alert, sendOpts = {}) {
      const log = sendOpts.log ?? opts.logger;
      const signal = deadlineSignal(deadlineMs, sendOpts.signal);
      const started = Date.now();
      try {
        const selection = await bounded(
          selectNotifiers(canary, alert.severity, {
            resolver: opts.resolver,
            global: setup.notifier,
            timeoutMs,
            signal,
          }),
          signal,
        );
        for (const p of selection.problems) {
          opts.count?.(p.provider, 'invalid');
          log.warn({ target: p.label, provider: p.provider, err: p.error }, 'alert not sent');
        }
        const message: AlertMessage = {
          canaryName: canary.metadata.name,
          namespace: canaryNamespace(canary),
          phase: sendOpts.phase,
          severity: alert.severity,
          message: alert.message,
          fields: withClusterField(alert.fields, opts.clusterName),
        };
        const report = await sendAlert(selection.targets, message, {
          log,
          count: opts.count,
          signal,
          deadlineMs: Math.max(1, deadlineMs - (Date.now() - started)),
        });
        return { ...report, invalid: selection.problems.length };
      } catch (err) {
        // Only the lookup can land here (deadline, cancellation or a resolver bug).
        opts.count?.('unknown', 'failed');
        log.warn({ err: reasonOf(err) }, 'alert routing failed; alert not sent');
        return { sent: 0, failed: 1, invalid: 0 };
      }
    },
  };
}
