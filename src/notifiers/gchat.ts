// Google Chat incoming webhooks: one card, the message in the first section and one
// section per field. Texts use Google Chat's small HTML subset, as Flagger does (unescaped).
import type { AlertMessage, Notifier, NotifierConfig } from './notifier.js';
import { canaryTitle, parseNotifierUrl } from './notifier.js';
import { jsonNotifier } from './transport.js';

export interface GChatSection {
  readonly widgets: readonly { readonly textParagraph: { readonly text: string } }[];
}

export interface GChatPayload {
  readonly cards: readonly {
    readonly header: { readonly title: string; readonly subtitle: string; readonly imageUrl: string };
    readonly sections: readonly GChatSection[];
  }[];
}

const emphasis = (s: string): string => `<font color=#848484><strong>${s}</strong></font>`;
const section = (text: string): GChatSection => ({ widgets: [{ textParagraph: { text } }] });

export function gchatPayload(m: AlertMessage): GChatPayload {
  return {
    cards: [
      {
        header: { title: 'Flagger', subtitle: canaryTitle(m), imageUrl: 'https://flagger.app/favicon.png' },
        sections: [
          section(emphasis(m.message)),
          ...m.fields.map((f) => section(`${f.name}<br>${emphasis(f.value)}`)),
        ],
      },
    ],
  };
}

export function createGChatNotifier(cfg: NotifierConfig): Notifier {
  const url = parseNotifierUrl('gchat', cfg.url);
  return jsonNotifier({
    type: 'gchat',
    url,
    payload: gchatPayload,
    timeoutMs: cfg.timeoutMs,
    proxy: cfg.proxy,
  });
}
