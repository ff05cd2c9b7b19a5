// Canary and MetricTemplate objects for metrics and webhook tests.
import assert from 'node:assert/strict';
import { type Canary, CanarySchema } from '../../../src/api/canary.js';
import type { CanaryMetric } from '../../../src/api/canary.js';
import { type MetricTemplate, MetricTemplateSchema } from '../../../src/api/metric-template.js';

export function canary(metrics: CanaryMetric[] = [], spec: Record<string, unknown> = {}): Canary {
  return CanarySchema.parse({
    apiVersion: 'flagger.app/v1beta1',
    kind: 'Canary',
    metadata: { name: 'podinfo', namespace: 'test' },
    spec: {
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'podinfo' },
      service: { port: 9898 },
      analysis: { interval: '1m', threshold: 5, stepWeight: 10, metrics },
      ...spec,
    },
    status: { phase: 'Progressing', lastAppliedSpec: 'abc123', trackedConfigs: { 'configmap/cfg': 'h1' } },
  });
}

export function metricTemplate(
  name: string,
  namespace: string,
  spec: Record<string, unknown>,
): MetricTemplate {
  return MetricTemplateSchema.parse({
    apiVersion: 'flagger.app/v1beta1',
    kind: 'MetricTemplate',
    metadata: { name, namespace },
    spec,
  });
}

/** list[i], failing the test when it is missing (keeps assertions free of `?.`). */
export function at<T>(list: readonly T[], i: number): T {
  const v = list[i];
  assert.ok(v !== undefined, `expected an element at index ${i} (length ${list.length})`);
  return v;
}
