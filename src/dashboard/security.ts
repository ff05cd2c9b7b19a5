// HTTP-level protections: a strict Content-Security-Policy (only this origin's own
// script and style files, no inline code), no framing, no sniffing, no referrers; the
// Host check that stops DNS rebinding against the loopback server; and the Origin
// check that, with the per-session CSRF token, keeps other sites from acting as the user.
import type { IncomingMessage, ServerResponse } from 'node:http';

export const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

export function setSecurityHeaders(res: ServerResponse, tls: boolean): void {
  res.setHeader('Content-Security-Policy', CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  // same-origin, not no-referrer: with no-referrer a form POST carries `Origin: null`.
  res.setHeader('Referrer-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  res.setHeader('Cache-Control', 'no-store');
  if (tls) res.setHeader('Strict-Transport-Security', 'max-age=31536000');
}

export interface OriginPolicy {
  readonly tls: boolean;
  /** Host names (with port) the server answers to; empty = any (behind an ingress). */
  readonly allowedHosts: readonly string[];
}

/** False when the Host header names a host this server does not serve (DNS rebinding). */
export function hostAllowed(req: IncomingMessage, p: OriginPolicy): boolean {
  const host = req.headers.host ?? '';
  if (host === '') return false;
  return p.allowedHosts.length === 0 || p.allowedHosts.includes(host.toLowerCase());
}

/**
 * For state-changing requests: the browser's Origin must be this server's own origin,
 * and a Fetch-Metadata header, when sent, must say same-origin.
 */
export function sameOrigin(req: IncomingMessage, p: OriginPolicy): boolean {
  const origin = req.headers.origin;
  const host = req.headers.host;
  if (origin === undefined || host === undefined) return false;
  const expected = `${p.tls ? 'https' : 'http'}://${host.toLowerCase()}`;
  if (origin.toLowerCase() !== expected) return false;
  const site = req.headers['sec-fetch-site'];
  return site === undefined || site === 'same-origin';
}

/** The hosts a loopback server answers to. */
export function loopbackHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
}
