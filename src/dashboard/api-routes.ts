// The JSON and event-stream API the page uses. Every route needs a session; reads and
// writes go to the API server with that session's credentials. Actions additionally
// need the session's CSRF token in a header and a same-origin request, are refused in
// read-only mode, and are rate-limited per user.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { USER_ACTIONS, type UserAction } from '../core/index.js';
import type { KubeEventRecorder } from '../events/kube-events.js';
import { isRecord } from '../kube/json.js';
import { cleanComment, requestAction } from './actions.js';
import type { DashboardConfig } from './config.js';
import { HttpError } from './http-error.js';
import { readBody, sendJson } from './http-util.js';
import type { RateLimiter } from './rate-limit.js';
import { sameOrigin } from './security.js';
import { secretEquals, type Session } from './sessions.js';
import { SseChannel } from './sse.js';
import { startDetailStream } from './streams/detail-stream.js';
import { startListStream, type NamespaceSource } from './streams/list-stream.js';

export interface ApiContext {
  readonly config: DashboardConfig;
  readonly actionLimiter: RateLimiter;
  readonly audit: KubeEventRecorder;
  readonly namespaces: NamespaceSource;
}

const NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

function names(ns: string | undefined, name: string | undefined): { namespace: string; name: string } {
  if (ns === undefined || name === undefined || !NAME.test(ns) || !NAME.test(name))
    throw new HttpError(400, 'not a valid namespace/name');
  return { namespace: ns, name };
}

async function stream(
  ctx: ApiContext,
  req: IncomingMessage,
  res: ServerResponse,
  s: Session,
  parts: string[],
) {
  const onError = (err: unknown): void => {
    ctx.config.logger.debug({ user: s.identity.username, err: String(err) }, 'dashboard watch error');
  };
  if (parts[0] === 'list' && parts.length === 1) {
    const channel = new SseChannel(req, res);
    await startListStream(s, channel, ctx.namespaces, onError).catch((err: unknown) => {
      channel.send('failure', { message: err instanceof Error ? err.message : String(err) });
    });
    return;
  }
  if (parts[0] === 'canary' && parts.length === 3) {
    const { namespace, name } = names(parts[1], parts[2]);
    // A refusal (403 from RBAC, 404) arrives as a `failure` event the page shows.
    const channel = new SseChannel(req, res);
    await startDetailStream(s, channel, namespace, name, onError).catch((err: unknown) => {
      const e = err instanceof HttpError ? err : new HttpError(502, String(err));
      channel.send('failure', { status: e.status, message: e.message });
      channel.close();
    });
    return;
  }
  throw new HttpError(404, 'no such stream');
}

async function action(
  ctx: ApiContext,
  req: IncomingMessage,
  res: ServerResponse,
  s: Session,
  parts: string[],
) {
  const { namespace, name } = names(parts[0], parts[1]);
  const verb = parts[2] ?? '';
  if (!(USER_ACTIONS as readonly string[]).includes(verb)) throw new HttpError(404, `unknown action ${verb}`);
  if (!sameOrigin(req, { tls: ctx.config.tls !== undefined, allowedHosts: [] }))
    throw new HttpError(403, 'cross-origin request refused');
  const csrf = req.headers['x-csrf-token'];
  if (!secretEquals(typeof csrf === 'string' ? csrf : undefined, s.csrf))
    throw new HttpError(403, 'missing or wrong CSRF token; reload the page');
  if (ctx.config.readOnly) throw new HttpError(403, 'this dashboard runs read-only (--read-only)');
  const wait = ctx.actionLimiter.take(s.identity.username);
  if (wait > 0) {
    res.setHeader('Retry-After', String(Math.ceil(wait / 1000)));
    throw new HttpError(429, `too many actions; try again in ${Math.ceil(wait / 1000)}s`);
  }
  let body: unknown;
  try {
    body = JSON.parse(await readBody(req, 8192));
  } catch (err) {
    if (err instanceof HttpError) throw err;
    throw new HttpError(400, 'the body must be JSON');
  }
  const b = isRecord(body) ? body : {};
  const input = {
    namespace,
    name,
    action: verb as UserAction,
    comment: cleanComment(typeof b['comment'] === 'string' ? b['comment'] : ''),
    revision: typeof b['revision'] === 'string' ? b['revision'] : '',
  };
  try {
    const result = await requestAction(s, input, ctx.audit, new Date());
    ctx.config.logger.info(
      { user: s.identity.username, action: verb, namespace, canary: name, request: result.requestId },
      'dashboard action requested',
    );
    sendJson(res, 202, result);
  } catch (err) {
    const status = err instanceof HttpError ? err.status : 500;
    ctx.config.logger.warn(
      { user: s.identity.username, action: verb, namespace, canary: name, status },
      'dashboard action refused',
    );
    throw err;
  }
}

/** /api/... routes; the caller has checked the session exists. */
export async function handleApi(
  ctx: ApiContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  s: Session,
): Promise<void> {
  const parts = url.pathname.split('/').slice(2).map(decodeURIComponent);
  if (req.method === 'GET' && parts[0] === 'session' && parts.length === 1) {
    sendJson(res, 200, {
      user: s.identity.username,
      groups: s.identity.groups,
      csrf: s.csrf,
      readOnly: ctx.config.readOnly,
      mode: ctx.config.mode,
    });
    return;
  }
  if (req.method === 'GET' && parts[0] === 'stream') {
    await stream(ctx, req, res, s, parts.slice(1));
    return;
  }
  if (req.method === 'POST' && parts[0] === 'canaries' && parts.length === 4) {
    await action(ctx, req, res, s, parts.slice(1));
    return;
  }
  throw new HttpError(404, 'not found');
}
