// The load tester's HTTP API (behaviour spec §7): health, metrics, manual gates and task
// submission, on a plain node:http server. Every failure is answered with a clear status;
// nothing a client sends can crash the process.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from '../telemetry/logger.js';
import { HttpError, errorMessage } from './errors.js';
import { GateStore, applyGate, gateRoute } from './gates.js';
import { type Reply, readBody, sendReply } from './http-io.js';
import type { LoadtesterMetrics } from './metrics.js';
import { type LoadtesterOptions, type ResolvedOptions, resolveOptions } from './options.js';
import { type LoadtesterPayload, authorize, canaryKey, parsePayload } from './payload.js';
import { TaskRunner } from './runner.js';
import { createTask } from './tasks/registry.js';

export interface Loadtester {
  readonly port: number;
  /** Base URL, e.g. http://127.0.0.1:9090 */
  readonly url: string;
  readonly metrics: LoadtesterMetrics;
  /** Stops accepting requests, kills running tasks, and waits for in-flight requests (at most ~5s). */
  close(): Promise<void>;
}

interface Context {
  readonly opts: ResolvedOptions;
  readonly logger: Logger;
  readonly gates: GateStore;
  readonly runner: TaskRunner;
  readonly closing: () => boolean;
}

const SHUTDOWN_GRACE_MS = 5000;

async function readPayload(req: IncomingMessage, ctx: Context): Promise<LoadtesterPayload> {
  const payload = parsePayload(await readBody(req, ctx.opts.maxBodyBytes));
  authorize(payload, ctx.opts.namespaceRegexp);
  return payload;
}

async function submitTask(payload: LoadtesterPayload, ctx: Context): Promise<Reply> {
  const metadata = payload.metadata;
  if (!metadata || Object.keys(metadata).length === 0)
    throw new HttpError(400, 'metadata not found in payload');
  const canary = canaryKey(payload);
  const task = createTask({ canary, metadata }, { allowList: ctx.opts.allowList, logger: ctx.logger });
  if (task.blocking) {
    const result = await ctx.runner.runBlocking(task);
    if (!result.ok) return { status: 500, body: result.error ?? `task ${task.description} failed` };
    return task.returnOutput ? { status: 200, body: result.output } : { status: 200 };
  }
  const outcome = ctx.runner.submit(task);
  ctx.logger.info({ canary, type: task.type, task: task.description, outcome }, 'task accepted');
  return { status: 202 };
}

async function route(req: IncomingMessage, ctx: Context): Promise<Reply> {
  if (ctx.closing()) throw new HttpError(503, 'the load tester is shutting down');
  const pathname = new URL(req.url ?? '/', 'http://loadtester').pathname;
  switch (pathname) {
    case '/healthz':
      return { status: 200, body: 'OK' };
    case '/metrics': {
      const { registry } = ctx.opts.metrics;
      return { status: 200, body: await registry.metrics(), contentType: registry.contentType };
    }
    case '/gate/approve':
      return { status: 200, body: 'OK' };
    case '/gate/halt':
      return { status: 403, body: 'Forbidden' };
  }
  const payload = await readPayload(req, ctx);
  const gate = gateRoute(pathname);
  if (gate === undefined) return submitTask(payload, ctx);
  const reply = applyGate(gate, ctx.gates, payload);
  ctx.logger.info({ canary: canaryKey(payload), gate: pathname, status: reply.status }, 'gate request');
  return reply;
}

async function handle(req: IncomingMessage, res: ServerResponse, ctx: Context): Promise<void> {
  let reply: Reply;
  try {
    reply = await route(req, ctx);
  } catch (err) {
    if (err instanceof HttpError) reply = { status: err.status, body: err.message };
    else {
      ctx.logger.error({ err: errorMessage(err), path: req.url }, 'request failed');
      reply = { status: 500, body: `internal error: ${errorMessage(err)}` };
    }
  }
  ctx.logger.debug({ method: req.method, path: req.url, status: reply.status }, 'request');
  sendReply(res, reply, reply.status === 413 || ctx.closing());
}

function listen(server: http.Server, port: number, host: string | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

export async function startLoadtester(options: LoadtesterOptions = {}): Promise<Loadtester> {
  const opts = resolveOptions(options);
  const logger = opts.logger.child({ module: 'loadtester' });
  const runner = new TaskRunner({
    timeoutMs: opts.timeoutMs,
    maxConcurrent: opts.maxConcurrentTasks,
    maxQueued: opts.maxQueuedTasks,
    logger,
    metrics: opts.metrics,
  });
  let closing = false;
  const ctx: Context = { opts, logger, gates: new GateStore(opts.metrics), runner, closing: () => closing };
  const inFlight = new Set<Promise<void>>();
  const server = http.createServer((req, res) => {
    const p: Promise<void> = handle(req, res, ctx)
      .catch((err: unknown) => {
        logger.error({ err: errorMessage(err) }, 'unexpected error while answering');
        res.destroy();
      })
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
  });
  server.on('error', (err) => {
    logger.error({ err: err.message }, 'HTTP server error');
  });
  await listen(server, opts.port, opts.host);
  const { port } = server.address() as AddressInfo;
  const host = opts.host ?? 'localhost';
  logger.info({ port, host: opts.host ?? '*', timeoutMs: opts.timeoutMs }, 'load tester listening');

  let closed: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closed ??= (async () => {
      closing = true;
      const serverClosed = new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      });
      server.closeIdleConnections();
      await runner.close();
      await Promise.race([
        Promise.allSettled([...inFlight]),
        delay(SHUTDOWN_GRACE_MS, undefined, { ref: false }),
      ]);
      server.closeAllConnections();
      await serverClosed;
      logger.info('load tester stopped');
    })());
  return {
    port,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    metrics: opts.metrics,
    close,
  };
}
