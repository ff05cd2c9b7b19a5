// Canary builders for router tests: Flagger's stock `podinfo` canary, parsed through the
// real schema so fixtures cannot drift from the API.
import { CanarySchema, type Canary } from '../../../src/api/canary.js';
import type { KubeObject } from '../../../src/kube/types.js';
import type { ServiceInputs } from '../../../src/routers/kubernetes.js';

export interface CanaryOverrides {
  service?: Record<string, unknown>;
  analysis?: Record<string, unknown>;
  status?: Record<string, unknown>;
  name?: string;
}

export function podinfo(o: CanaryOverrides = {}): Canary {
  return CanarySchema.parse({
    apiVersion: 'flagger.app/v1beta1',
    kind: 'Canary',
    metadata: { name: o.name ?? 'podinfo', namespace: 'default', uid: 'uid-canary-podinfo' },
    spec: {
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'podinfo' },
      service: { port: 9898, ...o.service },
      analysis: { interval: '1m', threshold: 10, stepWeight: 10, maxWeight: 50, ...o.analysis },
    },
    ...(o.status === undefined ? {} : { status: o.status }),
  });
}

export const inputs = (ports: Record<string, number> = {}): ServiceInputs => ({
  label: 'app',
  value: 'podinfo',
  ports,
});

/** spec of an object, for assertions (tests may cast). */
export function specOf(obj: KubeObject | undefined): Record<string, unknown> {
  const spec = obj?.['spec'];
  return typeof spec === 'object' && spec !== null ? (spec as Record<string, unknown>) : {};
}

export const svcRef = (
  name: string,
): { apiVersion: string; kind: string; namespace: string; name: string } => ({
  apiVersion: 'v1',
  kind: 'Service',
  namespace: 'default',
  name,
});

export const vsRef = {
  apiVersion: 'networking.istio.io/v1beta1',
  kind: 'VirtualService',
  namespace: 'default',
  name: 'podinfo',
};

/** Asserts presence and narrows, so assertions read without optional chains. */
export function must<T>(value: T | undefined, what = 'value'): T {
  if (value === undefined) throw new Error(`expected ${what} to be defined`);
  return value;
}
