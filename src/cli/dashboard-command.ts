// `flagger-ts dashboard`: the web dashboard. Locally (default) it runs with your
// kubeconfig, listens on loopback and prints a single-use login link; in a cluster
// (`--auth token`, the chart's dashboard.enabled) every user logs in with their own
// bearer token. Either way Kubernetes RBAC decides what each user sees and may do.
import { KubeConfig } from '@kubernetes/client-node';
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { DEFAULTS, type AuthMode } from '../dashboard/config.js';
import { startDashboard } from '../dashboard/server.js';
import { clientNodeOptions } from '../kube/client-node-auth.js';
import type { KubeConfigData } from '../kube/kubeconfig.js';
import { createLogger, type LogLevel } from '../telemetry/logger.js';
import { CliError, EXIT } from './common/errors.js';
import { addKubeOptions, connect, type KubeFlags } from './common/kube.js';

interface DashboardFlags extends KubeFlags {
  readonly auth: string;
  readonly listenAddress: string;
  readonly port: string;
  readonly namespaces?: string;
  readonly readOnly?: boolean;
  readonly tlsCert?: string;
  readonly tlsKey?: string;
  readonly secureCookies?: boolean;
  readonly allowedHost: string[];
  readonly actionsPerMinute: string;
  readonly logLevel: string;
}

const collect = (v: string, prev: string[]): string[] => [...prev, v];

/** The dashboard's typed clients and watches are client-node's: the loaded kubeconfig in its form. */
function clientNodeKubeConfig(data: KubeConfigData): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions(clientNodeOptions(data));
  return kc;
}

function positiveInt(value: string, flag: string, min: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new CliError(`${flag}: "${value}" is not a whole number >= ${min}`, EXIT.usage);
  return n;
}

/** --namespaces a,b; else -n (one namespace); else every namespace the user may list canaries in. */
function namespacesOf(flags: DashboardFlags): string[] {
  if (flags.namespaces === undefined) return flags.namespace === undefined ? [] : [flags.namespace];
  return flags.namespaces
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

export async function runDashboard(flags: DashboardFlags): Promise<void> {
  if (flags.auth !== 'kubeconfig' && flags.auth !== 'token')
    throw new CliError(`--auth: "${flags.auth}" must be kubeconfig or token`, EXIT.usage);
  const mode: AuthMode = flags.auth;
  if ((flags.tlsCert === undefined) !== (flags.tlsKey === undefined))
    throw new CliError('--tls-cert and --tls-key go together', EXIT.usage);
  const port = positiveInt(flags.port, '--port', 0);
  const perMinute = positiveInt(flags.actionsPerMinute, '--actions-per-minute', 1);
  const conn = connect(flags);
  const logger = createLogger(flags.logLevel as LogLevel);
  const dashboard = await startDashboard({
    mode,
    serverKubeConfig: clientNodeKubeConfig(conn.kubeConfig),
    listenAddress: flags.listenAddress,
    port,
    tls:
      flags.tlsCert === undefined || flags.tlsKey === undefined
        ? undefined
        : { cert: readFileSync(flags.tlsCert, 'utf8'), key: readFileSync(flags.tlsKey, 'utf8') },
    secureCookies: flags.secureCookies === true,
    readOnly: flags.readOnly === true,
    namespaces: namespacesOf(flags),
    allowedHosts: flags.allowedHost.map((h) => h.toLowerCase()),
    actionLimit: { burst: Math.min(perMinute, DEFAULTS.actionLimit.burst), refillMs: 60_000 / perMinute },
    loginLimit: DEFAULTS.loginLimit,
    sessionIdleMs: DEFAULTS.sessionIdleMs,
    sessionMaxMs: DEFAULTS.sessionMaxMs,
    logger,
  });
  if (mode === 'kubeconfig') {
    process.stdout.write(
      `flagger-ts dashboard (context ${conn.context}) on ${dashboard.url}\nOpen this single-use login link: ${dashboard.loginLink()}\n`,
    );
  } else {
    process.stdout.write(
      `flagger-ts dashboard on ${dashboard.url} (log in with a Kubernetes bearer token)\n`,
    );
  }
  const stop = (): void => {
    void dashboard.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

export function registerDashboardCommand(program: Command): void {
  const cmd = program
    .command('dashboard')
    .description('web dashboard: canaries, their runs and checks; promote/abort/retry as yourself')
    .option(
      '--auth <mode>',
      'kubeconfig (one local user) or token (users log in with their own bearer token)',
      'kubeconfig',
    )
    .option('--listen-address <address>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port (0 = any free port)', '9090')
    .option(
      '--namespaces <list>',
      'comma-separated namespaces to show (default: every namespace the user may list canaries in)',
    )
    .option('--read-only', 'show everything, allow no action')
    .option('--tls-cert <file>', 'serve HTTPS with this PEM certificate')
    .option('--tls-key <file>', 'PEM key for --tls-cert')
    .option('--secure-cookies', 'mark the session cookie Secure (TLS terminated in front of the dashboard)')
    .option(
      '--allowed-host <host:port>',
      'Host header to answer to (repeatable; default: any, or the loopback address)',
      collect,
      [],
    )
    .option('--actions-per-minute <n>', 'promote/abort/retry requests allowed per user per minute', '5')
    .option('--log-level <level>', 'debug, info, warn or error', 'info');
  addKubeOptions(cmd).action(async (flags: DashboardFlags) => {
    await runDashboard(flags);
  });
}
