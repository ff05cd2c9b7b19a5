// Observation helpers shared by the strategy tests: the raw VirtualService HTTP rules the
// operator wrote, the canary's events, and the images of the pods a Service selects.
import type { TestContext } from 'node:test';
import type { TestEnv } from '../../harness/cluster.js';
import { canaryStatus, readVirtualService, recordWhile } from '../../harness/canary.js';

export interface RuleDestination {
  destination: { host: string };
  weight?: number;
  headers?: { response?: { add?: Record<string, string> } };
}

export interface HttpRule {
  name?: string;
  match?: Record<string, unknown>[];
  headers?: { response?: { add?: Record<string, string> } };
  route: RuleDestination[];
  mirror?: { host: string };
  mirrorPercentage?: { value: number };
}

export async function httpRules(env: TestEnv, name = 'podinfo'): Promise<HttpRule[] | undefined> {
  const vs = (await readVirtualService(env, name)) as { spec?: { http?: HttpRule[] } } | undefined;
  return vs?.spec?.http;
}

export function weightOf(rule: HttpRule | undefined, host: string): number {
  return rule?.route.find((d) => d.destination.host === host)?.weight ?? 0;
}

/** `<reason>: <message>` of every event in the test namespace. */
export async function eventLines(env: TestEnv): Promise<string[]> {
  const list = await env.core.listNamespacedEvent({ namespace: env.namespace });
  return list.items.map((e) => `${e.reason ?? ''}: ${e.message ?? ''}`);
}

/** Sorted distinct images of the pods a Service's selector picks: who would get its traffic. */
export async function selectedImages(env: TestEnv, service: string): Promise<string[]> {
  const svc = await env.core.readNamespacedService({ name: service, namespace: env.namespace });
  const selector = Object.entries(svc.spec?.selector ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  const pods = await env.core.listNamespacedPod({ namespace: env.namespace, labelSelector: selector });
  const images = pods.items
    .filter((p) => p.metadata?.deletionTimestamp === undefined)
    .flatMap((p) => p.spec?.containers.map((c) => c.image ?? '') ?? []);
  return [...new Set(images)].sort();
}

/** The phase together with a probe, so a recorded timeline says when each value was seen. */
export function withPhase<T>(
  env: TestEnv,
  probe: () => Promise<T>,
): () => Promise<{ phase: string; value: T }> {
  return async () => {
    const value = await probe();
    return { phase: (await canaryStatus(env)).phase, value };
  };
}

/**
 * An inline error-rate query on the exporter's Istio-shaped series (templated with the
 * canary's namespace), for providers whose builtin checks read other metrics.
 */
export function inlineIstioMetrics(): Record<string, unknown>[] {
  const sel =
    'reporter="destination",destination_workload_namespace="{{ namespace }}",destination_workload="{{ target }}"';
  return [
    {
      name: 'error-rate',
      interval: '10s',
      query: `sum(rate(istio_requests_total{${sel},response_code=~"5.."}[10s])) / sum(rate(istio_requests_total{${sel}}[10s])) * 100`,
      thresholdRange: { max: 1 },
    },
  ];
}

/**
 * recordWhile that also stops when the test ends, so a failed assertion before stop()
 * cannot leave the polling loop keeping the test process alive.
 */
export function record<T>(
  t: TestContext,
  probe: () => Promise<T>,
  intervalMs = 100,
): { values: T[]; stop: () => Promise<void> } {
  const recorder = recordWhile(probe, intervalMs);
  t.after(() => recorder.stop());
  return recorder;
}
