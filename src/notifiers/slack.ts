// Slack incoming webhooks (and the Slack-compatible Discord and Rocket.Chat payloads).
// Payload (§6): {channel, username, icon_url, icon_emoji, attachments:[{color, author_name,
// text, mrkdwn_in, fields:[{title, value, short}]}]}; color "good", or "danger" on error.
import type { AlertProviderType } from '../api/alert-provider.js';
import type { AlertMessage, Notifier, NotifierConfig } from './notifier.js';
import { NotifierError, canaryTitle, parseNotifierUrl } from './notifier.js';
import { jsonNotifier } from './transport.js';

export interface SlackField {
  readonly title: string;
  readonly value: string;
  readonly short: boolean;
}

export interface SlackAttachment {
  readonly color: string;
  readonly author_name: string;
  readonly text: string;
  readonly mrkdwn_in: readonly string[];
  readonly fields: readonly SlackField[];
}

export interface SlackPayload {
  readonly channel: string;
  readonly username: string;
  readonly icon_url: string;
  readonly icon_emoji: string;
  readonly attachments: readonly SlackAttachment[];
}

/** The attachment colors for non-error and error alerts. */
export interface SlackColors {
  readonly normal: string;
  readonly error: string;
}

export const SLACK_COLORS: SlackColors = { normal: 'good', error: 'danger' };

export function slackPayload(
  m: AlertMessage,
  channel: string,
  username: string,
  colors: SlackColors = SLACK_COLORS,
): SlackPayload {
  return {
    channel,
    username,
    icon_url: '',
    icon_emoji: ':rocket:',
    attachments: [
      {
        color: m.severity === 'error' ? colors.error : colors.normal,
        author_name: canaryTitle(m),
        text: m.message,
        mrkdwn_in: ['text'],
        fields: m.fields.map((f) => ({ title: f.name, value: f.value, short: false })),
      },
    ],
  };
}

export interface SlackCompatibleOptions {
  readonly type: AlertProviderType;
  readonly colors: SlackColors;
  /** Whether a configured token is sent as a Bearer token (Flagger: Slack only). */
  readonly sendToken: boolean;
  /** Rewrites the parsed URL (Discord's `/slack` suffix). */
  readonly rewriteUrl?: (url: URL) => URL;
}

/** A notifier posting the Slack payload; validation as Flagger: URL, channel and username. */
export function createSlackCompatibleNotifier(cfg: NotifierConfig, opts: SlackCompatibleOptions): Notifier {
  const parsed = parseNotifierUrl(opts.type, cfg.url);
  const url = opts.rewriteUrl ? opts.rewriteUrl(parsed) : parsed;
  const channel = cfg.channel ?? '';
  const username = cfg.username ?? '';
  if (channel === '') throw new NotifierError(`${opts.type} notifier: empty channel`, 'config');
  if (username === '') throw new NotifierError(`${opts.type} notifier: empty username`, 'config');
  return jsonNotifier({
    type: opts.type,
    url,
    payload: (message) => slackPayload(message, channel, username, opts.colors),
    token: opts.sendToken ? cfg.token : undefined,
    timeoutMs: cfg.timeoutMs,
    proxy: cfg.proxy,
  });
}

export function createSlackNotifier(cfg: NotifierConfig): Notifier {
  return createSlackCompatibleNotifier(cfg, { type: 'slack', colors: SLACK_COLORS, sendToken: true });
}
