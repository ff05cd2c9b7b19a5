// type `concord` (blocking): starts a Concord process and polls it until FINISHED or
// FAILED (behaviour spec §7). Bad metadata answers 500, as in Flagger.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { HttpError, errorMessage } from '../errors.js';
import { fetchJson, secondsToMs } from './remote.js';
import type { Task, TaskContext, TaskFactory, TaskResult } from './task.js';
import { abortReason, taskHash } from './task.js';

const PROCESS_PATH = '/api/v1/process';
const REQUEST_TIMEOUT_MS = 60_000;
type RequiredKey = 'server' | 'org' | 'project' | 'repo' | 'entrypoint' | 'apiKeyPath' | 'endpoint';
const ARGUMENT_PREFIX = 'arguments.';

const processSchema = z.looseObject({ instanceId: z.string().optional(), status: z.string().optional() });

export interface ConcordConfig {
  readonly server: URL;
  readonly org: string;
  readonly project: string;
  readonly repo: string;
  readonly entrypoint: string;
  readonly apiKeyPath: string;
  readonly endpoint: string;
  readonly arguments: ReadonlyMap<string, string>;
  readonly pollIntervalMs: number;
  readonly pollTimeoutMs: number;
}

const initError = (msg: string): HttpError => new HttpError(500, `concord: ${msg}`);

function seconds(meta: Readonly<Record<string, string>>, key: string, fallbackS: number): number {
  const raw = meta[key];
  if (raw === undefined) return fallbackS * 1000;
  const ms = secondsToMs(raw);
  if (ms === undefined || ms <= 0)
    throw initError(`metadata ${key} must be a positive number of seconds, got ${JSON.stringify(raw)}`);
  return ms;
}

export function concordConfig(meta: Readonly<Record<string, string>>): ConcordConfig {
  const get = (key: RequiredKey): string => {
    const v = meta[key];
    if (v === undefined || v === '') throw initError(`metadata ${key} is required`);
    return v;
  };
  let server: URL;
  try {
    server = new URL(get('server'));
  } catch (err) {
    if (err instanceof HttpError) throw err;
    throw initError(`metadata server is not a valid URL: ${JSON.stringify(meta['server'])}`);
  }
  const apiKeyPath = get('apiKeyPath');
  if (!existsSync(apiKeyPath)) throw initError(`apiKeyPath file ${apiKeyPath} does not exist`);
  const args = new Map<string, string>();
  for (const [k, v] of Object.entries(meta)) {
    if (k === `${ARGUMENT_PREFIX}endpoint`)
      throw initError('arguments.endpoint cannot be set; use metadata endpoint');
    if (k.startsWith(ARGUMENT_PREFIX)) args.set(k.slice(ARGUMENT_PREFIX.length), v);
  }
  return {
    server,
    org: get('org'),
    project: get('project'),
    repo: get('repo'),
    entrypoint: get('entrypoint'),
    apiKeyPath,
    endpoint: get('endpoint'),
    arguments: args,
    pollIntervalMs: seconds(meta, 'pollInterval', 5),
    pollTimeoutMs: seconds(meta, 'pollTimeout', 30),
  };
}

async function call(
  cfg: ConcordConfig,
  method: string,
  path: string,
  signal: AbortSignal,
  body?: FormData,
): Promise<z.infer<typeof processSchema>> {
  const apiKey = (await readFile(cfg.apiKeyPath, 'utf8')).trim();
  const json = await fetchJson({
    method,
    url: new URL(path, cfg.server),
    headers: apiKey === '' ? {} : { authorization: apiKey },
    ...(body === undefined ? {} : { body }),
    signal,
    timeoutMs: REQUEST_TIMEOUT_MS,
  });
  const parsed = processSchema.safeParse(json);
  if (!parsed.success)
    throw new Error(`unexpected answer from ${path}: ${JSON.stringify(json).slice(0, 300)}`);
  return parsed.data;
}

async function startProcess(cfg: ConcordConfig, signal: AbortSignal): Promise<string> {
  const form = new FormData();
  form.append('org', cfg.org);
  form.append('project', cfg.project);
  form.append('repo', cfg.repo);
  form.append('entryPoint', cfg.entrypoint);
  form.append(`${ARGUMENT_PREFIX}endpoint`, cfg.endpoint);
  for (const [k, v] of cfg.arguments) form.append(`${ARGUMENT_PREFIX}${k}`, v);
  const started = await call(cfg, 'POST', PROCESS_PATH, signal, form);
  if (started.instanceId === undefined || started.instanceId === '')
    throw new Error('concord returned no instanceId');
  return started.instanceId;
}

async function waitForProcess(cfg: ConcordConfig, id: string, ctx: TaskContext): Promise<TaskResult> {
  const deadline = Date.now() + cfg.pollTimeoutMs;
  while (Date.now() < deadline) {
    await sleep(Math.min(cfg.pollIntervalMs, Math.max(0, deadline - Date.now())), undefined, {
      signal: ctx.signal,
    });
    const p = await call(cfg, 'GET', `${PROCESS_PATH}/${encodeURIComponent(id)}`, ctx.signal);
    ctx.logger.info({ instanceId: id, status: p.status }, 'concord process status');
    if (p.status === 'FINISHED') return { ok: true, output: `concord process ${id} finished` };
    if (p.status === 'FAILED') return { ok: false, output: '', error: `concord process ${id} failed` };
  }
  return {
    ok: false,
    output: '',
    error: `concord process ${id} timed out after ${cfg.pollTimeoutMs / 1000}s`,
  };
}

export async function runConcord(cfg: ConcordConfig, ctx: TaskContext): Promise<TaskResult> {
  try {
    const id = await startProcess(cfg, ctx.signal);
    ctx.logger.info({ instanceId: id }, 'concord process started');
    return await waitForProcess(cfg, id, ctx);
  } catch (err) {
    const why = ctx.signal.aborted ? abortReason(ctx) : errorMessage(err);
    return {
      ok: false,
      output: '',
      error: `concord ${cfg.org}/${cfg.project}/${cfg.repo}/${cfg.entrypoint} failed: ${why}`,
    };
  }
}

export const concordTask: TaskFactory = (req): Task => {
  const cfg = concordConfig(req.metadata);
  return {
    type: 'concord',
    canary: req.canary,
    hash: taskHash(req.canary, cfg.org, cfg.project, cfg.repo, cfg.entrypoint),
    blocking: true,
    returnOutput: false,
    description: `${cfg.org} ${cfg.project} ${cfg.repo} ${cfg.entrypoint}`,
    run: (ctx) => runConcord(cfg, ctx),
  };
};
