// Cookie stickiness on a Gateway API HTTPRoute (spec §3.12, analysis.sessionAffinity), pure.
// The core decides which cookies exist (Routes.cookies); this renders them as Flagger does:
// Set-Cookie response modifiers on the weighted rule's backendRefs, sticky rules matching the
// Cookie header by regular expression, and an expiry rule for the last run's cookie. The
// inverse (readRouteCookies) lets reconcile keep what setRoutes wrote.

import type { Canary } from '../api/canary.js';
import { analysisIntervalMs, canaryName, cookieMaxAgeSeconds, primaryName } from '../api/defaults.js';
import type { SessionCookies } from '../core/snapshot.js';
import { asArray, asString, isRecord } from '../kube/json.js';
import { setCookieHeader } from './istio-session-affinity.js';
import {
  backendRef,
  serviceMatches,
  mergeMatches,
  type GatewayApiVersion,
  type Json,
} from './gatewayapi-matches.js';

const split = (cookie: string): [string, string] => {
  const eq = cookie.indexOf('=');
  return eq < 0 ? [cookie, ''] : [cookie.slice(0, eq), cookie.slice(eq + 1)];
};

/**
 * Requests whose Cookie header carries `name=value` (Flagger's `.*name.*value.*`), on each
 * service match. Without service matches the API server would default the path to
 * `PathPrefix /`; writing it keeps the stored rule equal to the desired one.
 */
function cookieMatches(canary: Canary, cookie: string): Json[] {
  const [name, value] = split(cookie);
  const match = { headers: [{ type: 'RegularExpression', name: 'Cookie', value: `.*${name}.*${value}.*` }] };
  return mergeMatches([match], serviceMatches(canary));
}

const setCookie = (value: string): Json => ({
  type: 'ResponseHeaderModifier',
  responseHeaderModifier: { add: [{ name: 'Set-Cookie', value }] },
});

function withBackendFilter(weighted: Json, name: string, value: string): Json {
  const refs = asArray(weighted['backendRefs']).filter(isRecord);
  return {
    ...weighted,
    backendRefs: refs.map((r) =>
      r['name'] === name ? { ...r, filters: [...asArray(r['filters']), setCookie(value)] } : r,
    ),
  };
}

/**
 * The rules for the weighted rule and the cookies in effect:
 *  - a canary cookie: [sticky canary, (sticky primary on v1), weighted with Set-Cookie on backends];
 *  - only a previous cookie: [expiry rule telling clients to drop it, weighted];
 *  - none: the weighted rule alone.
 */
export function sessionAffinityRules(
  canary: Canary,
  weighted: Json,
  cookies: SessionCookies | undefined,
  version: GatewayApiVersion,
): Json[] {
  const affinity = canary.spec.analysis.sessionAffinity;
  if (affinity === undefined || cookies === undefined) return [weighted];
  const port = canary.spec.service.port;
  const [primary, canarySvc] = [primaryName(canary), canaryName(canary)];
  if (cookies.canary !== undefined) {
    const rules: Json[] = [
      {
        ...weighted,
        matches: cookieMatches(canary, cookies.canary),
        backendRefs: [backendRef(primary, port, 0), backendRef(canarySvc, port, 100)],
      },
    ];
    let out = withBackendFilter(
      weighted,
      canarySvc,
      setCookieHeader(cookies.canary, cookieMaxAgeSeconds(affinity), affinity),
    );
    // v1beta1 has no primary cookie (Flagger's v1beta1 router never wrote one).
    if (version === 'v1' && cookies.primary !== undefined) {
      rules.push({
        ...weighted,
        matches: cookieMatches(canary, cookies.primary),
        backendRefs: [backendRef(primary, port, 100), backendRef(canarySvc, port, 0)],
      });
      const maxAge = Math.trunc(analysisIntervalMs(canary, 0) / 1000);
      out = withBackendFilter(out, primary, setCookieHeader(cookies.primary, maxAge, affinity));
    }
    rules.push(out);
    return rules;
  }
  if (cookies.previous === undefined) return [weighted];
  const expiry: Json = {
    ...weighted,
    matches: cookieMatches(canary, cookies.previous),
    filters: [...asArray(weighted['filters']), setCookie(`${cookies.previous}; Max-Age=-1`)],
  };
  return [expiry, weighted];
}

/** `name=value` of a Set-Cookie value from a ResponseHeaderModifier filter list. */
function setCookieOf(filters: unknown): string | undefined {
  for (const f of asArray(filters)) {
    const mod = isRecord(f) ? f['responseHeaderModifier'] : undefined;
    for (const h of isRecord(mod) ? asArray(mod['add']) : []) {
      if (isRecord(h) && h['name'] === 'Set-Cookie') return asString(h['value'])?.split(';')[0]?.trim();
    }
  }
  return undefined;
}

/** The rule carrying backend-level filters: the weighted rule of a session-affinity route. */
export function findCookieRule(rules: readonly unknown[]): Json | undefined {
  const found = rules
    .filter(isRecord)
    .find((r) => asArray(r['backendRefs']).some((b) => isRecord(b) && asArray(b['filters']).length > 0));
  return found;
}

/** The cookies a live route carries (the inverse of sessionAffinityRules); undefined when none. */
export function readRouteCookies(canary: Canary, rules: readonly unknown[]): SessionCookies | undefined {
  const out: { canary?: string; primary?: string; previous?: string } = {};
  const weighted = findCookieRule(rules);
  for (const b of weighted === undefined ? [] : asArray(weighted['backendRefs'])) {
    if (!isRecord(b)) continue;
    const cookie = setCookieOf(b['filters']);
    if (cookie === undefined) continue;
    if (b['name'] === canaryName(canary)) out.canary = cookie;
    if (b['name'] === primaryName(canary)) out.primary = cookie;
  }
  for (const r of rules) {
    if (!isRecord(r)) continue;
    for (const f of asArray(r['filters'])) {
      const mod = isRecord(f) ? f['responseHeaderModifier'] : undefined;
      for (const h of isRecord(mod) ? asArray(mod['add']) : []) {
        const value = isRecord(h) && h['name'] === 'Set-Cookie' ? asString(h['value']) : undefined;
        if (value?.includes('Max-Age=-1') === true) out.previous = value.split(';')[0]?.trim() ?? '';
      }
    }
  }
  return Object.keys(out).length === 0 ? undefined : out;
}
