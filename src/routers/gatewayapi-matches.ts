// Gateway API HTTPRoute pieces (spec §3.12) as pure functions: request matches translated
// from the Canary's Istio-shaped match, the rule filters (header modifiers, URL rewrite,
// static mirrors, CORS on v1) and weighted backendRefs. Shared by gatewayapi:v1 and v1beta1.

import type { Canary, HTTPMatchRequest, StringMatch } from '../api/canary.js';
import { parseDurationMs } from '../api/defaults.js';
import { RouterError } from './router.js';

export type GatewayApiVersion = 'v1' | 'v1beta1';
export type Json = Record<string, unknown>;

const unsupported = (what: string, value: unknown): RouterError =>
  new RouterError(
    'InvalidSpec',
    `Invalid request matching selectors: Gateway API doesn't support the specified ${what} matching selector: ${JSON.stringify(value)}`,
  );

function valueMatch(kind: 'header' | 'query', name: string, m: StringMatch, all: unknown): Json {
  if (m.exact) return { name, type: 'Exact', value: m.exact };
  if (m.regex) return { name, type: 'RegularExpression', value: m.regex };
  throw unsupported(kind, all);
}

/** Flagger's mapRouteMatches: uri regex/exact/prefix, method exact, headers and query params exact/regex. */
export function mapMatches(requests: readonly HTTPMatchRequest[] | undefined): Json[] {
  const out: Json[] = [];
  for (const r of requests ?? []) {
    const match: Json = {};
    if (r.uri !== undefined) {
      if (r.uri.regex) match['path'] = { type: 'RegularExpression', value: r.uri.regex };
      else if (r.uri.exact) match['path'] = { type: 'Exact', value: r.uri.exact };
      else if (r.uri.prefix) match['path'] = { type: 'PathPrefix', value: r.uri.prefix };
      else throw unsupported('path', r.uri);
    }
    if (r.method !== undefined) {
      if (!r.method.exact) throw unsupported('header', r.headers ?? {});
      match['method'] = r.method.exact;
    }
    const headers = Object.entries(r.headers ?? {}).map(([k, v]) => valueMatch('header', k, v, r.headers));
    if (headers.length > 0) match['headers'] = headers;
    const query = Object.entries(r.queryParams ?? {}).map(([k, v]) =>
      valueMatch('query', k, v, r.queryParams),
    );
    if (query.length > 0) match['queryParams'] = query;
    if (Object.keys(match).length > 0) out.push(match);
  }
  return out;
}

/** The service matches, or Flagger's default `PathPrefix /`. */
export function serviceMatches(canary: Canary): Json[] {
  const matches = mapMatches(canary.spec.service.match);
  return matches.length > 0 ? matches : [{ path: { type: 'PathPrefix', value: '/' } }];
}

/** Every analysis match crossed with every service match; headers and query params come from the analysis one. */
export function mergeMatches(analysis: readonly Json[], service: readonly Json[]): Json[] {
  if (analysis.length === 0) return [...service];
  if (service.length === 0) return [...analysis];
  const out: Json[] = [];
  for (const a of analysis) {
    for (const s of service) {
      const m = structuredClone(s);
      if (Array.isArray(a['headers']) && a['headers'].length > 0) m['headers'] = a['headers'];
      if (Array.isArray(a['queryParams']) && a['queryParams'].length > 0) m['queryParams'] = a['queryParams'];
      out.push(m);
    }
  }
  return out;
}

export function backendRef(name: string, port: number, weight: number): Json {
  return { group: '', kind: 'Service', name, port, weight };
}

const sortedHeaders = (m: Record<string, string> | undefined): Json[] | undefined => {
  if (m === undefined) return undefined;
  return Object.entries(m)
    .sort(([a, av], [b, bv]) => (a === b ? av.localeCompare(bv) : a < b ? -1 : 1))
    .map(([name, value]) => ({ name, value }));
};

type HeaderOps = NonNullable<NonNullable<Canary['spec']['service']['headers']>['request']>;

function headerModifier(ops: HeaderOps): Json {
  const out: Json = {};
  const add = sortedHeaders(ops.add);
  const set = sortedHeaders(ops.set);
  if (add !== undefined && add.length > 0) out['add'] = add;
  if (set !== undefined && set.length > 0) out['set'] = set;
  if (ops.remove !== undefined && ops.remove.length > 0) out['remove'] = [...ops.remove];
  return out;
}

function corsFilter(cors: NonNullable<Canary['spec']['service']['corsPolicy']>): Json {
  const out: Json = {};
  // corsPolicy.allowOrigins (StringMatch) has no Gateway API equivalent; allowOrigin maps directly.
  if (cors.allowOrigin?.length) out['allowOrigins'] = [...cors.allowOrigin];
  if (cors.allowMethods?.length) out['allowMethods'] = [...cors.allowMethods];
  if (cors.allowHeaders?.length) out['allowHeaders'] = [...cors.allowHeaders];
  if (cors.exposeHeaders?.length) out['exposeHeaders'] = [...cors.exposeHeaders];
  if (cors.allowCredentials === true) out['allowCredentials'] = true;
  const maxAgeMs = cors.maxAge ? parseDurationMs(cors.maxAge) : undefined;
  if (maxAgeMs !== undefined) out['maxAge'] = Math.trunc(maxAgeMs / 1000);
  return out;
}

/** The rule filters Flagger derives from spec.service. */
export function ruleFilters(canary: Canary, version: GatewayApiVersion): Json[] {
  const svc = canary.spec.service;
  const filters: Json[] = [];
  if (svc.headers?.request !== undefined) {
    filters.push({
      type: 'RequestHeaderModifier',
      requestHeaderModifier: headerModifier(svc.headers.request),
    });
  }
  if (svc.headers?.response !== undefined) {
    filters.push({
      type: 'ResponseHeaderModifier',
      responseHeaderModifier: headerModifier(svc.headers.response),
    });
  }
  if (svc.rewrite !== undefined) {
    const rewrite: Json = {};
    if (svc.rewrite.authority) rewrite['hostname'] = svc.rewrite.authority;
    if (svc.rewrite.uri) {
      rewrite['path'] =
        svc.rewrite.type === 'ReplacePrefixMatch'
          ? { type: 'ReplacePrefixMatch', replacePrefixMatch: svc.rewrite.uri }
          : { type: 'ReplaceFullPath', replaceFullPath: svc.rewrite.uri };
    }
    filters.push({ type: 'URLRewrite', urlRewrite: rewrite });
  }
  for (const mirror of svc.mirror ?? []) {
    // The API server's defaults (core group, kind Service) written out, so stored equals desired.
    const ref = { group: '', kind: 'Service', ...structuredClone(mirror.backendRef) };
    // v1: Flagger converts only the backendRef; v1beta1 passes the whole filter through.
    const requestMirror =
      version === 'v1' ? { backendRef: ref } : { ...structuredClone(mirror), backendRef: ref };
    filters.push({ type: 'RequestMirror', requestMirror });
  }
  if (version === 'v1' && svc.corsPolicy !== undefined) {
    filters.push({ type: 'CORS', cors: corsFilter(svc.corsPolicy) });
  }
  return filters;
}

/** v1 only: `timeouts {request, backendRequest}` from service.timeout / backendTimeout. */
export function ruleTimeouts(canary: Canary, version: GatewayApiVersion): Json | undefined {
  const { timeout, backendTimeout } = canary.spec.service;
  if (version !== 'v1' || (!timeout && !backendTimeout)) return undefined;
  const out: Json = {};
  if (timeout) out['request'] = timeout;
  if (backendTimeout) out['backendRequest'] = backendTimeout;
  return out;
}
