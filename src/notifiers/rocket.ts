// Rocket.Chat incoming webhooks: the Slack payload with hex colors (#0076D7, #FF0000 on error).
import type { Notifier, NotifierConfig } from './notifier.js';
import { createSlackCompatibleNotifier, type SlackColors } from './slack.js';

export const ROCKET_COLORS: SlackColors = { normal: '#0076D7', error: '#FF0000' };

export function createRocketNotifier(cfg: NotifierConfig): Notifier {
  return createSlackCompatibleNotifier(cfg, { type: 'rocket', colors: ROCKET_COLORS, sendToken: false });
}
