// The task model shared by the runner, the server and every task type.
import { createHash } from 'node:crypto';
import type { Logger } from '../../telemetry/logger.js';
import type { CommandAllowList } from '../allow-list.js';

export interface TaskContext {
  /** Fires on the task timeout (--timeout) or at shutdown. */
  readonly signal: AbortSignal;
  /** The task timeout, so long-running tasks (load tests) can end on their own before it. */
  readonly timeoutMs: number;
  readonly logger: Logger;
}

export interface TaskResult {
  readonly ok: boolean;
  /** Command output (blocking tasks return it when `returnCmdOutput` is true). */
  readonly output: string;
  /** The failure text a blocking task answers with (500). */
  readonly error?: string;
}

export interface Task {
  /** metadata.type, e.g. cmd, bash, helm. */
  readonly type: string;
  /** `<name>.<namespace>` of the canary that submitted it. */
  readonly canary: string;
  /** Identity for de-duplication of queued/running async tasks. */
  readonly hash: string;
  /** Blocking tasks answer with their result; async ones are queued and answer 202. */
  readonly blocking: boolean;
  /** Blocking tasks only: write the output in the 200 body. */
  readonly returnOutput: boolean;
  /** For logs. */
  readonly description: string;
  run(ctx: TaskContext): Promise<TaskResult>;
}

export interface TaskRequest {
  readonly canary: string;
  readonly metadata: Readonly<Record<string, string>>;
}

export interface TaskEnv {
  readonly allowList: CommandAllowList | undefined;
  readonly logger: Logger;
}

/** Builds a task from its metadata; throws HttpError (400/403/...) for a bad request. */
export type TaskFactory = (req: TaskRequest, env: TaskEnv) => Task;

export function taskHash(...parts: readonly string[]): string {
  return createHash('sha256').update(parts.join('')).digest('hex');
}

/** Go's strconv.ParseBool; undefined for anything else (including a missing value). */
export function goBool(value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  return undefined;
}

/** Why a task's signal fired, for error texts. */
export function abortReason(ctx: TaskContext): string {
  const reason: unknown = ctx.signal.reason;
  if (reason instanceof Error && reason.name === 'TimeoutError') {
    return `timed out after ${formatMs(ctx.timeoutMs)}`;
  }
  return 'cancelled: the load tester is shutting down';
}

export function formatMs(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}
