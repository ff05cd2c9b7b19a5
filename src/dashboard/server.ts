// The dashboard's HTTP(S) server: security headers on every answer, the Host check,
// the session lookup, then login/logout, the API, the page shell and its static assets
// (compiled browser modules from ./web/ and the stylesheet; nothing from elsewhere).
import { readFile } from 'node:fs/promises';
import {
  createServer as createHttp,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttps } from 'node:https';
import type { AddressInfo } from 'node:net';
import { KubeEventRecorder } from '../events/kube-events.js';
import { createKubeClient } from '../kube/client.js';
import { handleApi, type ApiContext } from './api-routes.js';
import { handleAuth, LoginCodes, type AuthContext } from './auth-routes.js';
import type { DashboardConfig } from './config.js';
import { HttpError } from './http-error.js';
import { redirect, sendHtml, sendJson } from './http-util.js';
import { whoAmI } from './identity.js';
import { appPage } from './pages.js';
import { RateLimiter } from './rate-limit.js';
import { hostAllowed, loopbackHosts, setSecurityHeaders } from './security.js';
import { parseCookies, SESSION_COOKIE, SessionStore } from './sessions.js';
import { STYLESHEET } from './styles.js';

const WEB_DIR = new URL('./web/', import.meta.url);
const ASSET = /^[a-z][a-z0-9-]*\.js$/;

export interface Dashboard {
  readonly url: string;
  readonly port: number;
  /** Kubeconfig mode: a single-use login link for the local user. */
  loginLink(): string;
  close(): Promise<void>;
}

async function serveAsset(res: ServerResponse, file: string): Promise<void> {
  if (file === 'style.css') {
    res.writeHead(200, { 'Content-Type': 'text/css; charset=utf-8' });
    res.end(STYLESHEET);
    return;
  }
  if (!ASSET.test(file)) throw new HttpError(404, 'no such asset');
  let body: Buffer;
  try {
    body = await readFile(new URL(file, WEB_DIR));
  } catch {
    throw new HttpError(404, `no such asset ${file} (was the browser code built? npm run build)`);
  }
  res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8' });
  res.end(body);
}

export async function startDashboard(config: DashboardConfig): Promise<Dashboard> {
  const serverClient = createKubeClient(config.serverKubeConfig);
  const secureCookie = config.tls !== undefined || config.secureCookies;
  let localUser: AuthContext['localUser'];
  if (config.mode === 'kubeconfig') {
    const identity = (await whoAmI(config.serverKubeConfig).catch(() => undefined)) ?? {
      username: config.serverKubeConfig.getCurrentUser()?.name ?? 'unknown',
      groups: [],
    };
    localUser = { identity, kc: config.serverKubeConfig };
  }
  const sessions = new SessionStore({ idleMs: config.sessionIdleMs, maxMs: config.sessionMaxMs });
  const auth: AuthContext = {
    config,
    sessions,
    loginLimiter: new RateLimiter(config.loginLimit),
    codes: new LoginCodes(),
    localUser,
    secureCookie,
  };
  const api: ApiContext = {
    config,
    actionLimiter: new RateLimiter(config.actionLimit),
    audit: new KubeEventRecorder(serverClient, { component: 'flagger-ts-dashboard' }),
    namespaces: {
      configured: config.namespaces,
      fallback: async () =>
        (await serverClient.list('v1', 'Namespace', undefined)).map((n) => n.metadata.name),
    },
  };
  let allowedHosts = config.allowedHosts;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    setSecurityHeaders(res, config.tls !== undefined);
    if (!hostAllowed(req, { tls: config.tls !== undefined, allowedHosts }))
      throw new HttpError(421, 'unknown host');
    const url = new URL(req.url ?? '/', 'http://dashboard.invalid');
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204);
      res.end();
      return;
    }
    if (url.pathname === '/healthz') {
      sendJson(res, 200, { ok: true });
      return;
    }
    if (url.pathname.startsWith('/assets/') && req.method === 'GET') {
      await serveAsset(res, url.pathname.slice('/assets/'.length));
      return;
    }
    const session = sessions.get(parseCookies(req.headers.cookie).get(SESSION_COOKIE));
    if (await handleAuth(auth, req, res, url, session)) return;
    if (url.pathname.startsWith('/api/')) {
      if (session === undefined) throw new HttpError(401, 'not logged in');
      await handleApi(api, req, res, url, session);
      return;
    }
    if (req.method !== 'GET' || !(url.pathname === '/' || /^\/canaries\/[^/]+\/[^/]+$/.test(url.pathname)))
      throw new HttpError(404, 'not found');
    if (session === undefined) redirect(res, '/login');
    else sendHtml(res, 200, appPage());
  };

  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch((err: unknown) => {
      const e = err instanceof HttpError ? err : new HttpError(500, 'internal error');
      if (!(err instanceof HttpError))
        config.logger.error({ err: String(err), path: req.url?.split('?')[0] }, 'dashboard error');
      if (res.headersSent) {
        res.end();
        return;
      }
      sendJson(res, e.status, { error: e.message });
    });
  };
  const server: Server = config.tls === undefined ? createHttp(listener) : createHttps(config.tls, listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.listenAddress, resolve);
  });
  const port = (server.address() as AddressInfo).port;
  const loopback = ['127.0.0.1', 'localhost', '::1'].includes(config.listenAddress);
  if (allowedHosts.length === 0 && loopback) allowedHosts = loopbackHosts(port);
  const host = config.listenAddress.includes(':') ? `[${config.listenAddress}]` : config.listenAddress;
  const url = `${config.tls === undefined ? 'http' : 'https'}://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}/`;
  return {
    url,
    port,
    loginLink: () => `${url}login?code=${auth.codes.issue()}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
