// flagger-ts extension: `type: webhook`, a generic JSON POST for receivers that are not a
// chat service (an incident tool, a bot, a serverless function). Payload, documented in
// README.md:
//   {"name": "<canary>", "namespace": "<ns>", "phase": "<phase, omitted when unknown>",
//    "severity": "info" | "warn" | "error", "message": "<text>",
//    "fields": [{"name": "...", "value": "..."}]}
// A secretRef `token` is sent as `Authorization: Bearer <token>`.
import { parseNotifierUrl, type AlertMessage, type Notifier, type NotifierConfig } from './notifier.js';
import { jsonNotifier } from './transport.js';

export interface WebhookAlertPayload {
  readonly name: string;
  readonly namespace: string;
  readonly phase?: string;
  readonly severity: AlertMessage['severity'];
  readonly message: string;
  readonly fields: readonly { readonly name: string; readonly value: string }[];
}

export function webhookAlertPayload(m: AlertMessage): WebhookAlertPayload {
  return {
    name: m.canaryName,
    namespace: m.namespace,
    ...(m.phase === undefined || m.phase === '' ? {} : { phase: m.phase }),
    severity: m.severity,
    message: m.message,
    fields: m.fields.map((f) => ({ name: f.name, value: f.value })),
  };
}

export function createWebhookNotifier(cfg: NotifierConfig): Notifier {
  const url = parseNotifierUrl('webhook', cfg.url);
  return jsonNotifier({
    type: 'webhook',
    url,
    payload: webhookAlertPayload,
    token: cfg.token,
    timeoutMs: cfg.timeoutMs,
    proxy: cfg.proxy,
  });
}
