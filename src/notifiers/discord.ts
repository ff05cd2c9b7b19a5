// Discord through its Slack-compatible endpoint: the Slack payload, posted to the webhook
// URL with `/slack` appended to the path (unless it already ends with it). No token.
import type { Notifier, NotifierConfig } from './notifier.js';
import { SLACK_COLORS, createSlackCompatibleNotifier } from './slack.js';

/** `<path>/slack`, trailing slashes folded; the query string is kept. */
export function discordSlackUrl(url: URL): URL {
  const out = new URL(url.href);
  const path = out.pathname.replace(/\/+$/, '');
  if (!path.endsWith('/slack')) out.pathname = `${path}/slack`;
  return out;
}

export function createDiscordNotifier(cfg: NotifierConfig): Notifier {
  return createSlackCompatibleNotifier(cfg, {
    type: 'discord',
    colors: SLACK_COLORS,
    sendToken: false,
    rewriteUrl: discordSlackUrl,
  });
}
