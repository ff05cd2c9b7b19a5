// Pieces both App Mesh routers (v1beta1 and v1beta2, spec §3.3) build the same way: the
// protocol from the port name, the route prefix, the A/B header matches, the gateway
// annotations on the apex VirtualService, and parsing Go durations to milliseconds.
// Deprecated: AWS ended App Mesh support on 2026-09-30; kept for users migrating from Flagger.

import type { Canary } from '../api/canary.js';
import { parseDurationMs } from '../api/defaults.js';

/** Canary annotation that turns on Envoy access logs on the generated VirtualNodes. */
export const ACCESS_LOG_ANNOTATION = 'appmesh.flagger.app/accesslog';

export const appMeshProtocol = (canary: Canary): 'grpc' | 'http' =>
  (canary.spec.service.portName ?? '').includes('grpc') ? 'grpc' : 'http';

/** `service.match[0].uri.prefix`, or `/`. */
export function routePrefix(canary: Canary): string {
  const prefix = canary.spec.service.match?.[0]?.uri?.prefix;
  return prefix === undefined || prefix === '' ? '/' : prefix;
}

export const accessLogEnabled = (canary: Canary): boolean =>
  canary.metadata.annotations?.[ACCESS_LOG_ANNOTATION] === 'enabled';

export const ACCESS_LOG = { accessLog: { file: { path: '/dev/stdout' } } } as const;

export const isAbTest = (canary: Canary): boolean => (canary.spec.analysis.match ?? []).length > 0;

/** One header match per analysis.match header (exact, prefix, regex, suffix). */
export function headerMatches(canary: Canary): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const m of canary.spec.analysis.match ?? []) {
    for (const [name, value] of Object.entries(m.headers ?? {})) {
      const match: Record<string, string> = {};
      for (const key of ['exact', 'prefix', 'regex', 'suffix'] as const) {
        const v = value[key];
        if (v !== undefined && v !== '') match[key] = v;
      }
      out.push({ name, match });
    }
  }
  return out;
}

/** Go's time.ParseDuration in milliseconds, or undefined. */
export function durationMs(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const ms = parseDurationMs(value);
  return ms === undefined ? undefined : Math.trunc(ms);
}

/** Retry settings shared by both API versions: timeout per try (default 250 ms), attempts (1), events. */
export function retrySettings(
  canary: Canary,
): { perTryMs: number; attempts: number; events: string[] } | undefined {
  const retries = canary.spec.service.retries;
  if (retries === undefined) return undefined;
  return {
    perTryMs: durationMs(retries.perTryTimeout) ?? 250,
    attempts: retries.attempts !== undefined && retries.attempts > 0 ? retries.attempts : 1,
    events: retries.retryOn ? retries.retryOn.split(',') : ['gateway-error'],
  };
}

/** Annotations that expose the apex VirtualService through the App Mesh gateway when hosts are set. */
export function gatewayAnnotations(canary: Canary): Record<string, string> {
  const hosts = canary.spec.service.hosts ?? [];
  if (hosts.length === 0) return {};
  const out: Record<string, string> = {
    'gateway.appmesh.k8s.aws/expose': 'true',
    'gateway.appmesh.k8s.aws/domain': hosts.map((h) => `${h},`).join(''),
  };
  const { timeout, retries } = canary.spec.service;
  if (timeout) out['gateway.appmesh.k8s.aws/timeout'] = timeout;
  if (retries?.attempts !== undefined && retries.attempts > 0) {
    out['gateway.appmesh.k8s.aws/retries'] = String(retries.attempts);
  }
  return out;
}
