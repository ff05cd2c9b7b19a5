// The global notifier (§6): configured by operator flags, used only for canaries without
// analysis.alerts. MS Teams replaces Slack when its URL is set; an empty URL means no
// global notifier; a configuration error is reported once and leaves no global notifier.
import { createNotifier } from './factory.js';
import { DEFAULT_NOTIFIER_TIMEOUT_MS, NotifierError, type Notifier } from './notifier.js';

/** Flagger's flags: -slack-url/-token/-proxy-url/-user/-channel, -msteams-url/-proxy-url. */
export interface GlobalNotifierConfig {
  readonly slackUrl?: string | undefined;
  readonly slackToken?: string | undefined;
  readonly slackProxyUrl?: string | undefined;
  /** Default "flagger". */
  readonly slackUser?: string | undefined;
  readonly slackChannel?: string | undefined;
  readonly msteamsUrl?: string | undefined;
  readonly msteamsProxyUrl?: string | undefined;
}

export const DEFAULT_SLACK_USER = 'flagger';

const ENV_OVERRIDES = {
  slackUrl: 'SLACK_URL',
  slackToken: 'SLACK_TOKEN',
  slackProxyUrl: 'SLACK_PROXY_URL',
  msteamsUrl: 'MSTEAMS_URL',
  msteamsProxyUrl: 'MSTEAMS_PROXY_URL',
} as const;

/** Applies Flagger's environment overrides: a non-empty variable wins over the flag. */
export function globalNotifierConfigFromEnv(
  flags: GlobalNotifierConfig,
  env: Readonly<Record<string, string | undefined>> = process.env,
): GlobalNotifierConfig {
  const out: Record<string, string | undefined> = { ...flags };
  for (const [key, name] of Object.entries(ENV_OVERRIDES)) {
    const v = env[name];
    if (v !== undefined && v !== '') out[key] = v;
  }
  return out;
}

export interface GlobalNotifierSetup {
  /** Undefined: no global notifier (no URL, or a configuration error). */
  readonly notifier: Notifier | undefined;
  /** A configuration error to log once at start-up. */
  readonly error?: string;
}

export function createGlobalNotifier(
  cfg: GlobalNotifierConfig,
  timeoutMs: number = DEFAULT_NOTIFIER_TIMEOUT_MS,
): GlobalNotifierSetup {
  const teams = Boolean(cfg.msteamsUrl);
  const url = teams ? cfg.msteamsUrl : cfg.slackUrl;
  const proxy = teams ? cfg.msteamsProxyUrl : cfg.slackProxyUrl;
  if (!url) return { notifier: undefined };
  const type = teams ? 'msteams' : 'slack';
  try {
    const notifier = createNotifier(
      teams
        ? { type, url, proxy, timeoutMs }
        : {
            type,
            url,
            token: cfg.slackToken,
            channel: cfg.slackChannel,
            username: cfg.slackUser || DEFAULT_SLACK_USER,
            proxy,
            timeoutMs,
          },
    );
    return { notifier };
  } catch (err) {
    const error = err instanceof NotifierError ? err.message : `${type} notifier: invalid configuration`;
    return { notifier: undefined, error };
  }
}
