// Server-side sessions: the browser holds only an opaque random id in an HttpOnly,
// SameSite=Strict cookie; the user's bearer token (or, locally, the kubeconfig) stays
// in this process's memory and is never sent back to the browser, written to a log,
// or put in a URL. Sessions end after idle time or an absolute lifetime.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { KubeConfig } from '@kubernetes/client-node';
import { createKubeClient, type KubeClient } from '../kube/client.js';

export const SESSION_COOKIE = 'fts_session';

export interface Identity {
  readonly username: string;
  readonly groups: readonly string[];
}

export interface Session {
  readonly id: string;
  readonly csrf: string;
  readonly identity: Identity;
  /** Talks to the API server as this user (their token, or the local kubeconfig). */
  readonly kc: KubeConfig;
  readonly client: KubeClient;
  readonly created: number;
  lastSeen: number;
}

export interface SessionLimits {
  readonly idleMs: number;
  readonly maxMs: number;
}

const newSecret = (): string => randomBytes(32).toString('base64url');

export class SessionStore {
  readonly #sessions = new Map<string, Session>();
  readonly #limits: SessionLimits;
  readonly #now: () => number;

  constructor(limits: SessionLimits, now: () => number = Date.now) {
    this.#limits = limits;
    this.#now = now;
  }

  create(identity: Identity, kc: KubeConfig): Session {
    const now = this.#now();
    const s: Session = {
      id: newSecret(),
      csrf: newSecret(),
      identity,
      kc,
      client: createKubeClient(kc),
      created: now,
      lastSeen: now,
    };
    this.#sessions.set(s.id, s);
    return s;
  }

  /** The live session for a cookie value; expired ones are dropped. */
  get(id: string | undefined): Session | undefined {
    if (id === undefined || id === '') return undefined;
    const s = this.#sessions.get(id);
    if (s === undefined) return undefined;
    const now = this.#now();
    if (now - s.lastSeen > this.#limits.idleMs || now - s.created > this.#limits.maxMs) {
      this.#sessions.delete(id);
      return undefined;
    }
    s.lastSeen = now;
    return s;
  }

  delete(id: string): void {
    this.#sessions.delete(id);
  }

  get size(): number {
    return this.#sessions.size;
  }
}

/** Constant-time comparison of a presented secret with the expected one. */
export function secretEquals(presented: string | undefined, expected: string): boolean {
  if (presented === undefined) return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    out.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return out;
}

export function sessionCookie(id: string, secure: boolean, maxAgeS: number): string {
  const attrs = [`${SESSION_COOKIE}=${id}`, 'Path=/', 'HttpOnly', 'SameSite=Strict', `Max-Age=${maxAgeS}`];
  if (secure) attrs.push('Secure');
  return attrs.join('; ');
}

export function clearedCookie(secure: boolean): string {
  return sessionCookie('', secure, 0);
}
