// Logging in and out. Token mode: the user pastes a bearer token once; the server
// validates it with a TokenReview and keeps it in memory behind an opaque session
// cookie. Kubeconfig mode (local): the CLI prints a single-use login link whose code is
// not a Kubernetes credential; it only binds this browser to the one local user.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeConfig } from '@kubernetes/client-node';
import type { DashboardConfig } from './config.js';
import { readBody, redirect, sendHtml } from './http-util.js';
import { reviewToken, tokenKubeConfig } from './identity.js';
import { loginPage } from './pages.js';
import type { RateLimiter } from './rate-limit.js';
import { sameOrigin } from './security.js';
import {
  clearedCookie,
  secretEquals,
  sessionCookie,
  type Identity,
  type Session,
  type SessionStore,
} from './sessions.js';

const LOGIN_CODE_TTL_MS = 10 * 60_000;
const MAX_TOKEN_BYTES = 16 * 1024;

export class LoginCodes {
  readonly #codes = new Map<string, number>();

  issue(now = Date.now()): string {
    const code = randomBytes(24).toString('base64url');
    this.#codes.set(code, now + LOGIN_CODE_TTL_MS);
    return code;
  }

  /** True once per issued code, within its lifetime. */
  redeem(code: string, now = Date.now()): boolean {
    const until = this.#codes.get(code);
    this.#codes.delete(code);
    return until !== undefined && now <= until;
  }
}

export interface AuthContext {
  readonly config: DashboardConfig;
  readonly sessions: SessionStore;
  readonly loginLimiter: RateLimiter;
  readonly codes: LoginCodes;
  /** Kubeconfig mode: the one user and their credentials. */
  readonly localUser: { identity: Identity; kc: KubeConfig } | undefined;
  readonly secureCookie: boolean;
}

function startSession(ctx: AuthContext, res: ServerResponse, identity: Identity, kc: KubeConfig): Session {
  const s = ctx.sessions.create(identity, kc);
  ctx.config.logger.info({ user: identity.username, mode: ctx.config.mode }, 'dashboard login');
  redirect(res, '/', sessionCookie(s.id, ctx.secureCookie, Math.floor(ctx.config.sessionMaxMs / 1000)));
  return s;
}

async function tokenLogin(ctx: AuthContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const refuse = (status: number, error: string): void => {
    sendHtml(res, status, loginPage({ mode: 'token', error }));
  };
  if (!sameOrigin(req, { tls: ctx.config.tls !== undefined, allowedHosts: [] })) {
    refuse(403, 'The login form must be sent from this dashboard.');
    return;
  }
  const wait = ctx.loginLimiter.take(req.socket.remoteAddress ?? 'unknown');
  if (wait > 0) {
    res.setHeader('Retry-After', String(Math.ceil(wait / 1000)));
    refuse(429, 'Too many login attempts; wait a little.');
    return;
  }
  const form = new URLSearchParams(await readBody(req, MAX_TOKEN_BYTES));
  const token = (form.get('token') ?? '').trim();
  if (token === '') {
    refuse(400, 'Paste a token.');
    return;
  }
  let identity: Identity | undefined;
  try {
    identity = await reviewToken(ctx.config.serverKubeConfig, token);
  } catch (err) {
    // The reason is about the dashboard's own access (TokenReview RBAC), never the token.
    ctx.config.logger.error({ err: err instanceof Error ? err.message : String(err) }, 'TokenReview failed');
    refuse(502, 'The dashboard could not ask the API server to review the token (TokenReview failed).');
    return;
  }
  if (identity === undefined) {
    ctx.config.logger.warn(
      { remote: req.socket.remoteAddress },
      'dashboard login refused: token not authenticated',
    );
    refuse(401, 'The API server did not accept this token.');
    return;
  }
  startSession(ctx, res, identity, tokenKubeConfig(ctx.config.serverKubeConfig, token));
}

/** Handles /login and /logout; returns false for other paths. */
export async function handleAuth(
  ctx: AuthContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  session: Session | undefined,
): Promise<boolean> {
  const { mode } = ctx.config;
  if (url.pathname === '/login' && req.method === 'GET') {
    const code = url.searchParams.get('code');
    if (mode === 'kubeconfig' && code !== null && ctx.localUser !== undefined) {
      if (ctx.codes.redeem(code)) startSession(ctx, res, ctx.localUser.identity, ctx.localUser.kc);
      else sendHtml(res, 401, loginPage({ mode, error: 'This login link was used already or has expired.' }));
      return true;
    }
    if (session !== undefined) redirect(res, '/');
    else sendHtml(res, 200, loginPage({ mode, error: '' }));
    return true;
  }
  if (url.pathname === '/login' && req.method === 'POST' && mode === 'token') {
    await tokenLogin(ctx, req, res);
    return true;
  }
  if (url.pathname === '/logout' && req.method === 'POST') {
    const form = new URLSearchParams(await readBody(req, 4096));
    if (session !== undefined && sameOrigin(req, { tls: ctx.config.tls !== undefined, allowedHosts: [] })) {
      if (secretEquals(form.get('csrf') ?? undefined, session.csrf)) {
        ctx.sessions.delete(session.id);
        ctx.config.logger.info({ user: session.identity.username }, 'dashboard logout');
      }
    }
    redirect(res, '/login', clearedCookie(ctx.secureCookie));
    return true;
  }
  return false;
}
