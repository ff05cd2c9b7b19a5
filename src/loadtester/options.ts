// Options of startLoadtester() and the CLI, with Flagger's defaults.
import type { Logger } from '../telemetry/logger.js';
import { silentLogger } from '../telemetry/logger.js';
import { CommandAllowList } from './allow-list.js';
import { type LoadtesterMetrics, createLoadtesterMetrics } from './metrics.js';
import { compileNamespaceRegexp } from './payload.js';

export interface LoadtesterOptions {
  /** Default 9090 (the Helm chart uses 8080); 0 picks a free port. */
  readonly port?: number;
  /** Bind address; default all interfaces. Tests use 127.0.0.1. */
  readonly host?: string;
  /** Per-task timeout (-timeout); default 1h. */
  readonly timeoutMs?: number;
  /** Only canaries in matching namespaces may call (-namespace-regexp). */
  readonly namespaceRegexp?: RegExp | string;
  /** When non-empty, command tasks must start with one of these prefixes (403 otherwise). */
  readonly allowCommandPrefixes?: readonly string[];
  /** Request bodies over this size get 413; default 1 MiB. */
  readonly maxBodyBytes?: number;
  /** Tasks running at once (async + blocking); default 100, 0 = unlimited. */
  readonly maxConcurrentTasks?: number;
  /** Async tasks waiting for a slot; default 1000. */
  readonly maxQueuedTasks?: number;
  readonly logger?: Logger;
  /** Inject a registry (tests); by default one is created with process metrics. */
  readonly metrics?: LoadtesterMetrics;
}

export interface ResolvedOptions {
  readonly port: number;
  readonly host: string | undefined;
  readonly timeoutMs: number;
  readonly namespaceRegexp: RegExp | undefined;
  readonly allowList: CommandAllowList | undefined;
  readonly maxBodyBytes: number;
  readonly maxConcurrentTasks: number;
  readonly maxQueuedTasks: number;
  readonly logger: Logger;
  readonly metrics: LoadtesterMetrics;
}

export const DEFAULT_PORT = 9090;
export const DEFAULT_TIMEOUT_MS = 3_600_000;
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
export const DEFAULT_MAX_CONCURRENT_TASKS = 100;
export const DEFAULT_MAX_QUEUED_TASKS = 1000;
/** setTimeout's limit (~24.8 days). */
const MAX_TIMEOUT_MS = 2_147_483_647;

function integer(name: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`invalid ${name}: ${value} (an integer from ${min} to ${max})`);
  }
  return value;
}

export function resolveOptions(o: LoadtesterOptions): ResolvedOptions {
  const regexp = o.namespaceRegexp;
  const prefixes = o.allowCommandPrefixes ?? [];
  const allowList = prefixes.length > 0 ? new CommandAllowList(prefixes) : undefined;
  if (allowList?.size === 0) throw new Error('--allow-command-prefix was given but every prefix is empty');
  return {
    port: integer('port', o.port ?? DEFAULT_PORT, 0, 65535),
    host: o.host === '' ? undefined : o.host,
    timeoutMs: integer('timeout', o.timeoutMs ?? DEFAULT_TIMEOUT_MS, 1, MAX_TIMEOUT_MS),
    namespaceRegexp:
      typeof regexp === 'string' ? (regexp === '' ? undefined : compileNamespaceRegexp(regexp)) : regexp,
    allowList,
    maxBodyBytes: integer('max body bytes', o.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES, 1),
    maxConcurrentTasks: integer(
      'max concurrent tasks',
      o.maxConcurrentTasks ?? DEFAULT_MAX_CONCURRENT_TASKS,
      0,
    ),
    maxQueuedTasks: integer('max queued tasks', o.maxQueuedTasks ?? DEFAULT_MAX_QUEUED_TASKS, 0),
    logger: o.logger ?? silentLogger(),
    metrics: o.metrics ?? createLoadtesterMetrics(),
  };
}
