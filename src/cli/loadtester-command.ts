// `flagger-ts loadtester`: Flagger's load tester HTTP API (webhook target for load tests,
// manual gates and helm/bash tasks). Flag names follow Flagger's; Go-style single-dash
// long flags (`-port=8080`, `-timeout 1h`) are accepted so existing manifests keep working.
import type { Command } from 'commander';
import { parseDurationMs } from '../api/defaults.js';
import {
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_MAX_CONCURRENT_TASKS,
  DEFAULT_PORT,
  type LoadtesterOptions,
} from '../loadtester/options.js';
import { startLoadtester } from '../loadtester/server.js';
import { type LogLevel, createLogger } from '../telemetry/logger.js';

export interface LoadtesterFlags {
  port: string;
  listenAddress?: string;
  timeout: string;
  namespaceRegexp?: string;
  logLevel: string;
  allowCommandPrefix: string[];
  maxBodyBytes: string;
  maxConcurrentTasks: string;
  zapEncoding?: string;
  zapReplaceGlobals?: boolean;
}

const GO_STYLE_FLAGS = new Set([
  'port',
  'listen-address',
  'timeout',
  'namespace-regexp',
  'log-level',
  'allow-command-prefix',
  'max-body-bytes',
  'max-concurrent-tasks',
  'zap-encoding',
  'zap-replace-globals',
]);

/** `-port=8080` → `--port=8080` for the flags above; everything after `--` is left alone. */
export function normalizeGoStyleFlags(args: readonly string[]): string[] {
  const end = args.indexOf('--');
  return args.map((arg, i) => {
    if (end >= 0 && i > end) return arg;
    const m = /^-([a-z][a-z-]*)(=.*)?$/s.exec(arg);
    return m?.[1] !== undefined && GO_STYLE_FLAGS.has(m[1]) ? `-${arg}` : arg;
  });
}

const LOG_LEVELS: Readonly<Record<string, LogLevel>> = {
  debug: 'debug',
  info: 'info',
  warn: 'warn',
  error: 'error',
  // zap's levels above error
  dpanic: 'error',
  panic: 'error',
  fatal: 'error',
};

export function parseLogLevel(value: string): LogLevel {
  const level = LOG_LEVELS[value.toLowerCase()];
  if (level === undefined)
    throw new Error(`invalid --log-level ${JSON.stringify(value)} (debug, info, warn, error)`);
  return level;
}

function intFlag(name: string, value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n))
    throw new Error(`invalid --${name} ${JSON.stringify(value)}: expected an integer`);
  return n;
}

/** Flags → startLoadtester options (without the logger). */
export function loadtesterOptionsFromFlags(flags: LoadtesterFlags): LoadtesterOptions {
  const timeoutMs = parseDurationMs(flags.timeout);
  if (timeoutMs === undefined || timeoutMs <= 0)
    throw new Error(
      `invalid --timeout ${JSON.stringify(flags.timeout)}: expected a duration such as 1h or 90s`,
    );
  const prefixes = flags.allowCommandPrefix
    .flatMap((p) => p.split(','))
    .map((p) => p.trim())
    .filter((p) => p !== '');
  return {
    port: intFlag('port', flags.port),
    ...(flags.listenAddress === undefined ? {} : { host: flags.listenAddress }),
    timeoutMs,
    ...(flags.namespaceRegexp === undefined ? {} : { namespaceRegexp: flags.namespaceRegexp }),
    allowCommandPrefixes: prefixes,
    maxBodyBytes: intFlag('max-body-bytes', flags.maxBodyBytes),
    maxConcurrentTasks: intFlag('max-concurrent-tasks', flags.maxConcurrentTasks),
  };
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function registerLoadtesterCommand(program: Command): void {
  const cmd = program
    .command('loadtester')
    .description(
      "run Flagger's load tester API: webhook tasks (cmd, bash, helm, concord, ngrinder), built-in hey, manual gates",
    )
    .option('--port <port>', 'HTTP port (the Helm chart uses 8080)', String(DEFAULT_PORT))
    .option('--listen-address <addr>', 'bind address (default: all interfaces)')
    .option('--timeout <duration>', 'per-task timeout; running commands are killed after it', '1h')
    .option('--namespace-regexp <regexp>', 'only canaries in matching namespaces may call (403 otherwise)')
    .option('--log-level <level>', 'debug, info, warn, error', 'debug')
    .option(
      '--allow-command-prefix <prefix>',
      'only allow command tasks starting with this prefix (repeatable, or a comma list)',
      collect,
      [],
    )
    .option('--max-body-bytes <n>', 'request bodies over this size get 413', String(DEFAULT_MAX_BODY_BYTES))
    .option(
      '--max-concurrent-tasks <n>',
      'tasks running at once; async tasks queue, blocking ones get 429 (0 = unlimited)',
      String(DEFAULT_MAX_CONCURRENT_TASKS),
    )
    .option('--zap-encoding <encoding>', 'accepted for compatibility with Flagger; logs are always JSON')
    .option('--zap-replace-globals', 'accepted for compatibility with Flagger; no effect')
    .action(async (flags: LoadtesterFlags) => {
      const logger = createLogger(parseLogLevel(flags.logLevel));
      const loadtester = await startLoadtester({ ...loadtesterOptionsFromFlags(flags), logger });
      const shutdown = (signal: string): void => {
        logger.info({ signal }, 'shutting down');
        void loadtester.close().then(() => process.exit(process.exitCode ?? 0));
      };
      process.once('SIGTERM', () => {
        shutdown('SIGTERM');
      });
      process.once('SIGINT', () => {
        shutdown('SIGINT');
      });
    });
  const parseOptions = cmd.parseOptions.bind(cmd);
  cmd.parseOptions = (args: string[]) => parseOptions(normalizeGoStyleFlags(args));
}
