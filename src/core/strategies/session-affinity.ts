// Session affinity (analysis.sessionAffinity, spec §3.1): which cookies exist during a
// run. Decided here, from the weights being set, so the cookies land in status in the same
// write as the routes; the router only renders what it is given (Routes.cookies).
//  - canary weight > 0: a canary cookie (and a primary cookie when primaryCookieName is set)
//    is minted once per run and kept until the weight returns to 0;
//  - canary weight 0: the run's canary cookie becomes the previous cookie, which the router
//    tells clients to delete; the current cookies are cleared.
import type { SessionCookies, Routes } from '../snapshot.js';
import type { Tick } from '../tick.js';

/** Flagger's cookie values are 10 random letters. */
const COOKIE_VALUE_LENGTH = 10;
const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/**
 * A cookie value that is unique per canary, run and role, without a random source: the core
 * is deterministic, and `now` is the moment the cookie is minted, which status then keeps.
 */
export function cookieValue(seed: string): string {
  let out = '';
  for (let i = 0; i < COOKIE_VALUE_LENGTH; i++) out += LETTERS[fnv1a(`${seed}#${i}`) % LETTERS.length] ?? 'a';
  return out;
}

/** 32-bit FNV-1a over UTF-16 code units: small, pure and well spread for short seeds. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

function mint(t: Tick, name: string, role: 'canary' | 'primary'): string {
  const seed = [t.c.metadata.uid ?? '', t.c.metadata.namespace ?? '', t.c.metadata.name, t.s.now, role];
  return `${name}=${cookieValue(seed.join('/'))}`;
}

/** `cookie` when it is a `<name>=<value>` cookie of that name. */
const named = (cookie: string | undefined, name: string): string | undefined =>
  cookie?.startsWith(`${name}=`) === true ? cookie : undefined;

/** Stickiness needs a router that renders cookies; A/B routes by its own match rules instead. */
function applies(t: Tick): boolean {
  return (
    t.c.spec.analysis.sessionAffinity !== undefined &&
    t.s.capabilities.sessionAffinity &&
    t.strategy.strategy !== 'ab-testing'
  );
}

/** Updates the draft's cookie fields for `routes` and returns the routes carrying them. */
export function withSessionAffinity(t: Tick, routes: Routes): Routes {
  const affinity = t.c.spec.analysis.sessionAffinity;
  if (affinity === undefined || !applies(t)) return routes;
  const d = t.draft;
  if (routes.canary > 0) {
    // Already on the live routes but not in status (the status write of the tick that minted
    // it was lost): keep it, so clients that got it stay sticky.
    const live = t.s.routes?.cookies;
    d.sessionAffinityCookie ??=
      named(live?.canary, affinity.cookieName) ?? mint(t, affinity.cookieName, 'canary');
    const primaryName = affinity.primaryCookieName;
    if (primaryName !== undefined && primaryName !== '') {
      d.primarySessionAffinityCookie ??= named(live?.primary, primaryName) ?? mint(t, primaryName, 'primary');
    }
  } else {
    if (d.sessionAffinityCookie !== undefined) d.previousSessionAffinityCookie = d.sessionAffinityCookie;
    d.sessionAffinityCookie = undefined;
    d.primarySessionAffinityCookie = undefined;
  }
  const cookies: { -readonly [K in keyof SessionCookies]: SessionCookies[K] } = {};
  if (d.sessionAffinityCookie !== undefined) cookies.canary = d.sessionAffinityCookie;
  if (d.primarySessionAffinityCookie !== undefined) cookies.primary = d.primarySessionAffinityCookie;
  if (d.previousSessionAffinityCookie !== undefined) cookies.previous = d.previousSessionAffinityCookie;
  return { ...routes, cookies };
}
