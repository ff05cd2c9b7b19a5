import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CanarySchema, CanarySpecSchema, HTTPMatchRequestSchema } from '../../../src/api/canary.js';
import {
  CanaryStatusSchema,
  appendChecks,
  MAX_CHECK_HISTORY,
  type CheckRecord,
} from '../../../src/api/status.js';
import { podinfo, podinfoRaw } from './fixtures.js';

describe('Canary schema', () => {
  it('parses the podinfo tutorial canary', () => {
    const c = podinfo();
    assert.equal(c.metadata.name, 'podinfo');
    assert.equal(c.spec.targetRef.kind, 'Deployment');
    assert.equal(c.spec.service.port, 9898);
    assert.equal(c.spec.service.targetPort, 'http');
    assert.equal(c.spec.analysis.stepWeight, 10);
    assert.equal(c.spec.analysis.metrics?.length, 3);
    assert.equal(c.spec.analysis.metrics[2]?.templateRef?.namespace, 'istio-system');
    assert.equal(c.spec.analysis.webhooks?.[0]?.type, 'pre-rollout');
    assert.equal(c.spec.analysis.alerts?.[0]?.severity, 'error');
    assert.equal(c.spec.autoscalerRef?.primaryScalerReplicas?.minReplicas, 2);
    assert.equal(c.spec.service.match?.[0]?.headers?.['x-user']?.exact, 'tester');
  });

  it('keeps trafficPolicy verbatim and preserves unknown fields anywhere', () => {
    const raw = podinfoRaw();
    const spec = raw['spec'] as Record<string, unknown>;
    spec['futureField'] = { a: 1 };
    (spec['analysis'] as Record<string, unknown>)['newKnob'] = true;
    const c = CanarySchema.parse(raw);
    assert.deepEqual(c.spec.service.trafficPolicy, {
      tls: { mode: 'DISABLE' },
      loadBalancer: { simple: 'LEAST_REQUEST' },
    });
    assert.deepEqual(c.spec['futureField'], { a: 1 });
    assert.equal(c.spec.analysis['newKnob'], true);
  });

  it('accepts a numeric targetPort and rejects a fractional port', () => {
    const spec = podinfo().spec;
    assert.equal(
      CanarySpecSchema.parse({ ...spec, service: { port: 80, targetPort: 8080 } }).service.targetPort,
      8080,
    );
    assert.equal(CanarySpecSchema.safeParse({ ...spec, service: { port: 80.5 } }).success, false);
  });

  it('allows at most one StringMatch kind', () => {
    assert.equal(HTTPMatchRequestSchema.safeParse({ uri: { suffix: '.js' } }).success, true);
    assert.equal(HTTPMatchRequestSchema.safeParse({ uri: {} }).success, true);
    assert.equal(HTTPMatchRequestSchema.safeParse({ uri: { exact: '/', regex: '.*' } }).success, false);
  });

  it('rejects an unknown webhook type and a bad interval pattern', () => {
    const spec = podinfo().spec;
    const badHook = { ...spec.analysis, webhooks: [{ name: 'x', url: 'http://x/', type: 'pre' }] };
    assert.equal(CanarySpecSchema.safeParse({ ...spec, analysis: badHook }).success, false);
    assert.equal(
      CanarySpecSchema.safeParse({ ...spec, analysis: { interval: 'one minute' } }).success,
      false,
    );
  });

  it('requires targetRef, service.port and analysis', () => {
    const { targetRef: _t, ...noTarget } = podinfo().spec;
    assert.equal(CanarySpecSchema.safeParse(noTarget).success, false);
    assert.equal(CanarySpecSchema.safeParse({ ...podinfo().spec, service: {} }).success, false);
    const { analysis: _a, ...noAnalysis } = podinfo().spec;
    assert.equal(CanarySpecSchema.safeParse(noAnalysis).success, false);
  });
});

describe('Canary status', () => {
  it('parses Flagger status and fills condition defaults', () => {
    const status = CanaryStatusSchema.parse({
      phase: 'Succeeded',
      canaryWeight: 0,
      failedChecks: 0,
      iterations: 0,
      trackedConfigs: { 'configmap/podinfo-config': 'abc' },
      lastAppliedSpec: '5d4b8c',
      lastTransitionTime: '2025-01-01T00:00:00Z',
      conditions: [{ type: 'Promoted', status: 'True', reason: 'Succeeded' }],
    });
    assert.equal(status.conditions?.[0]?.message, '');
    assert.equal(status.conditions[0].lastUpdateTime, '');
    assert.equal(CanaryStatusSchema.safeParse({ phase: 'Paused' }).success, false);
  });

  it('appendChecks keeps the newest MAX_CHECK_HISTORY records', () => {
    const rec = (i: number): CheckRecord => ({
      name: `m${i}`,
      kind: 'metric',
      passed: true,
      message: '',
      time: '2025-01-01T00:00:00Z',
    });
    const history = Array.from({ length: MAX_CHECK_HISTORY }, (_, i) => rec(i));
    const next = appendChecks(history, [rec(100), rec(101)]);
    assert.equal(next.length, MAX_CHECK_HISTORY);
    assert.equal(next[0]?.name, 'm2');
    assert.equal(next.at(-1)?.name, 'm101');
    assert.deepEqual(
      appendChecks(undefined, [rec(1)]).map((r) => r.name),
      ['m1'],
    );
  });
});
