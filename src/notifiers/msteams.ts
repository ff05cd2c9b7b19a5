// Microsoft Teams incoming webhooks: a legacy MessageCard with the fields as facts.
import type { AlertMessage, Notifier, NotifierConfig } from './notifier.js';
import { canaryTitle, parseNotifierUrl } from './notifier.js';
import { jsonNotifier } from './transport.js';

export interface MSTeamsPayload {
  readonly '@type': 'MessageCard';
  readonly '@context': 'http://schema.org/extensions';
  readonly themeColor: string;
  readonly summary: string;
  readonly sections: readonly {
    readonly activityTitle: string;
    readonly activitySubtitle: string;
    readonly facts: readonly { readonly name: string; readonly value: string }[];
  }[];
}

export function msteamsPayload(m: AlertMessage): MSTeamsPayload {
  const title = canaryTitle(m);
  return {
    '@type': 'MessageCard',
    '@context': 'http://schema.org/extensions',
    themeColor: m.severity === 'error' ? 'FF0000' : '0076D7',
    summary: title,
    sections: [
      {
        activityTitle: m.message,
        activitySubtitle: title,
        facts: m.fields.map((f) => ({ name: f.name, value: f.value })),
      },
    ],
  };
}

export function createMSTeamsNotifier(cfg: NotifierConfig): Notifier {
  const url = parseNotifierUrl('msteams', cfg.url);
  return jsonNotifier({
    type: 'msteams',
    url,
    payload: msteamsPayload,
    timeoutMs: cfg.timeoutMs,
    proxy: cfg.proxy,
  });
}
