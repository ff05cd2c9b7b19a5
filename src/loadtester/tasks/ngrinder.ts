// type `ngrinder` (async): clones and starts an nGrinder perf test, then polls its status
// until FINISHED (success) or STOP_BY_ERROR/CANCELED/UNKNOWN (failure). On timeout or
// shutdown it asks nGrinder to stop the test. De-duplicated by canary + clone id.
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { parseDurationMs } from '../../api/defaults.js';
import { HttpError, errorMessage } from '../errors.js';
import { fetchJson, secondsToMs } from './remote.js';
import type { Task, TaskContext, TaskFactory, TaskResult } from './task.js';
import { abortReason, taskHash } from './task.js';

const REQUEST_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;
const FAILED = new Set(['STOP_BY_ERROR', 'CANCELED', 'UNKNOWN']);

const startedSchema = z.looseObject({ id: z.number().int() });
const statusSchema = z.looseObject({
  status: z.array(z.looseObject({ status_id: z.string().optional() })).optional(),
});

export interface NGrinderConfig {
  readonly server: URL;
  readonly clone: number;
  readonly authorization: string;
  readonly pollIntervalMs: number;
}

/**
 * pollInterval: a Go duration ("5s") or a number of seconds ("5"); 1s when empty or
 * unparsable. (Flagger multiplies a parsed duration by one second again, so "5s" polls
 * every 5e9 seconds; we use the duration as written.)
 */
export function ngrinderPollIntervalMs(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === '') return 1000;
  const ms = secondsToMs(raw) ?? parseDurationMs(raw.trim());
  return ms !== undefined && ms > 0 ? ms : 1000;
}

function strictBase64(s: string): string | undefined {
  if (s.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(s)) return undefined;
  return Buffer.from(s, 'base64').toString('utf8');
}

export function ngrinderConfig(meta: Readonly<Record<string, string>>): NGrinderConfig {
  const { server, clone, username, passwd } = meta;
  if (!server || !clone || !username || !passwd)
    throw new HttpError(400, 'ngrinder: server, clone, username and passwd are required metadata');
  let base: URL;
  try {
    base = new URL(server);
  } catch {
    throw new HttpError(400, `ngrinder: invalid server URL ${JSON.stringify(server)}`);
  }
  if (!/^[+-]?\d+$/.test(clone))
    throw new HttpError(400, `ngrinder: clone must be an integer test id, got ${JSON.stringify(clone)}`);
  const password = strictBase64(passwd);
  if (password === undefined) throw new HttpError(400, 'ngrinder: passwd must be base64-encoded');
  return {
    server: base,
    clone: Number(clone),
    authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`,
    pollIntervalMs: ngrinderPollIntervalMs(meta['pollInterval']),
  };
}

async function call(
  cfg: NGrinderConfig,
  method: string,
  path: string,
  signal: AbortSignal,
  timeoutMs = REQUEST_TIMEOUT_MS,
): Promise<unknown> {
  const json = await fetchJson({
    method,
    url: new URL(path, cfg.server),
    headers: { authorization: cfg.authorization },
    signal,
    timeoutMs,
  });
  if (json !== null && typeof json === 'object' && 'success' in json && json.success === false) {
    throw new Error(`ngrinder ${method} ${path} was not successful: ${JSON.stringify(json).slice(0, 300)}`);
  }
  return json;
}

/** Polls until a terminal status; returns the status, or undefined when the signal fired. */
async function pollStatus(
  cfg: NGrinderConfig,
  testId: number,
  ctx: TaskContext,
): Promise<string | undefined> {
  for (;;) {
    try {
      await sleep(cfg.pollIntervalMs, undefined, { signal: ctx.signal });
      const parsed = statusSchema.safeParse(
        await call(cfg, 'GET', `perftest/api/${testId}/status`, ctx.signal),
      );
      const status = parsed.success ? parsed.data.status?.[0]?.status_id : undefined;
      ctx.logger.debug({ testId, status }, 'ngrinder test status');
      if (status === 'FINISHED' || (status !== undefined && FAILED.has(status))) return status;
    } catch (err) {
      if (ctx.signal.aborted) return undefined;
      ctx.logger.warn({ testId, err: errorMessage(err) }, 'ngrinder status poll failed; retrying');
    }
  }
}

export async function runNGrinder(cfg: NGrinderConfig, ctx: TaskContext): Promise<TaskResult> {
  let testId: number;
  try {
    const started = startedSchema.safeParse(
      await call(cfg, 'POST', `perftest/api/${cfg.clone}/clone_and_start`, ctx.signal),
    );
    if (!started.success) throw new Error('clone_and_start returned no test id');
    testId = started.data.id;
  } catch (err) {
    const why = ctx.signal.aborted ? abortReason(ctx) : errorMessage(err);
    return {
      ok: false,
      output: '',
      error: `ngrinder: cloning and starting test ${cfg.clone} failed: ${why}`,
    };
  }
  ctx.logger.info({ clone: cfg.clone, testId }, 'ngrinder test started');
  const status = await pollStatus(cfg, testId, ctx);
  if (status === 'FINISHED') return { ok: true, output: `ngrinder test ${testId} finished` };
  if (status !== undefined)
    return { ok: false, output: '', error: `ngrinder test ${testId} ended with ${status}` };
  try {
    await call(
      cfg,
      'PUT',
      `perftest/api/${testId}?action=stop`,
      AbortSignal.timeout(STOP_TIMEOUT_MS),
      STOP_TIMEOUT_MS,
    );
  } catch (err) {
    ctx.logger.warn({ testId, err: errorMessage(err) }, 'stopping the ngrinder test failed');
  }
  return { ok: false, output: '', error: `ngrinder test ${testId} ${abortReason(ctx)}; stop requested` };
}

export const ngrinderTask: TaskFactory = (req): Task => {
  const cfg = ngrinderConfig(req.metadata);
  return {
    type: 'ngrinder',
    canary: req.canary,
    hash: taskHash(req.canary, String(cfg.clone)),
    blocking: false,
    returnOutput: false,
    description: `ngrinder clone ${cfg.clone} at ${cfg.server.href}`,
    run: (ctx) => runNGrinder(cfg, ctx),
  };
};
