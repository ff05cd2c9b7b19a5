// Cookie stickiness on the Istio VirtualService (spec §3.1, analysis.sessionAffinity), as
// pure functions. The core decides which cookies exist (Routes.cookies, kept in status);
// this file renders them as Set-Cookie headers and sticky rules, and reads them back from a
// live VirtualService so that reconcile keeps them. The generated rules are named, so that
// reading the weights can skip them.
import type { Canary, HTTPMatchRequest, SessionAffinity } from '../api/canary.js';
import { analysisIntervalMs, cookieMaxAgeSeconds } from '../api/defaults.js';
import { asArray, asString, isRecord } from '../kube/json.js';
import type { SessionCookies } from '../core/snapshot.js';
import type { IstioHTTPRoute, IstioRouteDestination } from './istio-virtual-service.js';

/** Requests carrying the canary cookie: all to the canary. */
export const STICKY_CANARY_RULE = 'flagger-sticky-canary';
/** Requests carrying the primary cookie: all to the primary. */
export const STICKY_PRIMARY_RULE = 'flagger-sticky-primary';
/** Requests carrying the last run's canary cookie: routed as usual, told to drop the cookie. */
export const COOKIE_EXPIRY_RULE = 'flagger-cookie-expiry';

const GENERATED_RULES: readonly string[] = [STICKY_CANARY_RULE, STICKY_PRIMARY_RULE, COOKIE_EXPIRY_RULE];

/** True for the rules this file generates (not the weighted rule). */
export function isSessionRule(rule: unknown): boolean {
  return isRecord(rule) && GENERATED_RULES.includes(asString(rule['name']) ?? '');
}

/** `name=value; Max-Age=n` then Domain, HttpOnly, Partitioned, Path, SameSite, Secure, in Flagger's order. */
export function setCookieHeader(cookie: string, maxAge: number, a: SessionAffinity): string {
  const parts = [cookie, `Max-Age=${maxAge}`];
  if (a.domain !== undefined && a.domain !== '') parts.push(`Domain=${a.domain}`);
  if (a.httpOnly === true) parts.push('HttpOnly');
  if (a.partitioned === true) parts.push('Partitioned');
  if (a.path !== undefined && a.path !== '') parts.push(`Path=${a.path}`);
  if (a.sameSite !== undefined) parts.push(`SameSite=${a.sameSite}`);
  if (a.secure === true) parts.push('Secure');
  return parts.join('; ');
}

const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Conditions matching requests that carry `cookie` (`name=value`), on top of each service
 * match. Istio wants lower-case header names in matches.
 */
export function cookieMatch(
  cookie: string,
  service: readonly HTTPMatchRequest[] | undefined,
): HTTPMatchRequest[] {
  const eq = cookie.indexOf('=');
  const name = eq < 0 ? cookie : cookie.slice(0, eq);
  const value = eq < 0 ? '' : cookie.slice(eq + 1);
  const regex = `.*${escapeRegex(name)}.*${escapeRegex(value)}.*`;
  const bases = service !== undefined && service.length > 0 ? service : [{}];
  return bases.map((m) => ({ ...structuredClone(m), headers: { ...m.headers, cookie: { regex } } }));
}

/** The primary cookie lives for one analysis interval, as in Flagger. */
function primaryMaxAge(canary: Canary): number {
  return Math.max(1, Math.ceil(analysisIntervalMs(canary, 0) / 1000));
}

function withSetCookie(dest: IstioRouteDestination, value: string): IstioRouteDestination {
  return { ...dest, headers: { response: { add: { 'Set-Cookie': value } } } };
}

/** Route-level headers of `rule` plus a response Set-Cookie. */
function addResponseCookie(rule: IstioHTTPRoute, value: string): Record<string, unknown> {
  const headers = isRecord(rule.headers) ? structuredClone(rule.headers) : {};
  const response = isRecord(headers['response']) ? headers['response'] : {};
  const add = isRecord(response['add']) ? response['add'] : {};
  return { ...headers, response: { ...response, add: { ...add, 'Set-Cookie': value } } };
}

/**
 * The HTTP rules for a weighted rule and the cookies in effect:
 *  - with a canary cookie: [sticky-canary, (sticky-primary), weighted with Set-Cookie on the
 *    canary (and primary) destinations];
 *  - with only a previous cookie: [cookie-expiry, weighted];
 *  - otherwise the weighted rule alone.
 */
export function sessionAffinityRules(
  canary: Canary,
  weighted: IstioHTTPRoute,
  hosts: { primary: string; canary: string },
  cookies: SessionCookies | undefined,
): IstioHTTPRoute[] {
  const affinity = canary.spec.analysis.sessionAffinity;
  if (affinity === undefined || cookies === undefined) return [weighted];
  const serviceMatch = canary.spec.service.match;
  const only = (host: string): IstioRouteDestination[] =>
    weighted.route.map((d) => {
      const { weight: _w, ...dest } = d;
      return d.destination.host === host ? { ...dest, weight: 100 } : dest;
    });
  if (cookies.canary !== undefined) {
    const rules: IstioHTTPRoute[] = [
      {
        ...weighted,
        name: STICKY_CANARY_RULE,
        match: cookieMatch(cookies.canary, serviceMatch),
        route: only(hosts.canary),
      },
    ];
    if (cookies.primary !== undefined) {
      rules.push({
        ...weighted,
        name: STICKY_PRIMARY_RULE,
        match: cookieMatch(cookies.primary, serviceMatch),
        route: only(hosts.primary),
      });
    }
    const canaryCookie = setCookieHeader(cookies.canary, cookieMaxAgeSeconds(affinity), affinity);
    const primaryCookie =
      cookies.primary === undefined
        ? undefined
        : setCookieHeader(cookies.primary, primaryMaxAge(canary), affinity);
    const route = weighted.route.map((d) => {
      if (d.destination.host === hosts.canary) return withSetCookie(d, canaryCookie);
      if (d.destination.host === hosts.primary && primaryCookie !== undefined)
        return withSetCookie(d, primaryCookie);
      return d;
    });
    rules.push({ ...weighted, route });
    return rules;
  }
  if (cookies.previous === undefined) return [weighted];
  const { mirror: _m, mirrorPercentage: _p, ...plain } = weighted;
  const expiry: IstioHTTPRoute = {
    ...plain,
    name: COOKIE_EXPIRY_RULE,
    match: cookieMatch(cookies.previous, serviceMatch),
    headers: addResponseCookie(weighted, `${cookies.previous}; Max-Age=-1`),
  };
  return [expiry, weighted];
}

/** `name=value` from a Set-Cookie header value. */
function cookieOf(header: unknown): string | undefined {
  const value = asString(header);
  if (value === undefined || value === '') return undefined;
  return value.split(';')[0]?.trim();
}

function destinationCookie(dest: unknown): string | undefined {
  if (!isRecord(dest) || !isRecord(dest['headers'])) return undefined;
  const response = dest['headers']['response'];
  return isRecord(response) && isRecord(response['add'])
    ? cookieOf(response['add']['Set-Cookie'])
    : undefined;
}

/** The cookies a live VirtualService routes (the inverse of sessionAffinityRules); undefined when none. */
export function readSessionCookies(
  http: readonly unknown[],
  weighted: unknown,
  hosts: { primary: string; canary: string },
): SessionCookies | undefined {
  const out: { canary?: string; primary?: string; previous?: string } = {};
  for (const dest of isRecord(weighted) ? asArray(weighted['route']) : []) {
    const host =
      isRecord(dest) && isRecord(dest['destination']) ? asString(dest['destination']['host']) : undefined;
    const cookie = destinationCookie(dest);
    if (cookie === undefined) continue;
    if (host === hosts.canary) out.canary = cookie;
    if (host === hosts.primary) out.primary = cookie;
  }
  const expiry = http.find((r) => isRecord(r) && r['name'] === COOKIE_EXPIRY_RULE);
  if (isRecord(expiry) && isRecord(expiry['headers'])) {
    const response = expiry['headers']['response'];
    if (isRecord(response) && isRecord(response['add'])) {
      const previous = cookieOf(response['add']['Set-Cookie']);
      if (previous !== undefined) out.previous = previous;
    }
  }
  return Object.keys(out).length === 0 ? undefined : out;
}
