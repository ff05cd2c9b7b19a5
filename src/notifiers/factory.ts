// One constructor for every AlertProvider type. Throws a NotifierError (kind 'config') for
// an unusable configuration, as Flagger's notifier factory returns an error.
import type { Notifier, NotifierConfig } from './notifier.js';
import { createDiscordNotifier } from './discord.js';
import { createGChatNotifier } from './gchat.js';
import { createMSTeamsNotifier } from './msteams.js';
import { createRocketNotifier } from './rocket.js';
import { createSlackNotifier } from './slack.js';
import { createWebhookNotifier } from './webhook.js';

export function createNotifier(cfg: NotifierConfig): Notifier {
  switch (cfg.type) {
    case 'slack':
      return createSlackNotifier(cfg);
    case 'discord':
      return createDiscordNotifier(cfg);
    case 'rocket':
      return createRocketNotifier(cfg);
    case 'msteams':
      return createMSTeamsNotifier(cfg);
    case 'gchat':
      return createGChatNotifier(cfg);
    case 'webhook':
      return createWebhookNotifier(cfg);
  }
}
