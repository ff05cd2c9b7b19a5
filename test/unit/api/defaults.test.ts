import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as d from '../../../src/api/defaults.js';
import { podinfo, withAnalysis } from './fixtures.js';

describe('parseDurationMs', () => {
  const cases: [string, number | undefined][] = [
    ['1m', 60_000],
    ['30s', 30_000],
    ['1m30s', 90_000],
    ['500ms', 500],
    ['1.5h', 5_400_000],
    ['2h45m', 9_900_000],
    ['0', 0],
    ['-2s', -2000],
    ['', undefined],
    ['10', undefined],
    ['1m30', undefined],
    ['abc', undefined],
    ['1d', undefined],
    ['.', undefined],
  ];
  for (const [input, want] of cases) {
    it(`${JSON.stringify(input)} → ${String(want)}`, () => {
      assert.equal(d.parseDurationMs(input), want);
    });
  }
});

describe('analysisIntervalMs', () => {
  const cases: [string | undefined, number, number][] = [
    [undefined, d.FLAGGER_MIN_INTERVAL_MS, 60_000],
    ['2m', d.FLAGGER_MIN_INTERVAL_MS, 120_000],
    ['5s', d.FLAGGER_MIN_INTERVAL_MS, 10_000],
    ['5s', 1000, 5000],
    ['1m30sx', d.FLAGGER_MIN_INTERVAL_MS, 60_000],
  ];
  for (const [interval, min, want] of cases) {
    it(`interval ${String(interval)} (min ${min}) → ${want}`, () => {
      const c = withAnalysis(interval === undefined ? {} : { interval });
      assert.equal(d.analysisIntervalMs(c, min), want);
    });
  }
});

describe('analysis numbers', () => {
  it('threshold is 1 when unset or <= 0', () => {
    assert.equal(d.analysisThreshold(withAnalysis({})), 1);
    assert.equal(d.analysisThreshold(withAnalysis({ threshold: 0 })), 1);
    assert.equal(d.analysisThreshold(withAnalysis({ threshold: -3 })), 1);
    assert.equal(d.analysisThreshold(withAnalysis({ threshold: 7 })), 7);
  });

  it('maxWeight follows stepWeights, then maxWeight, then 100', () => {
    assert.equal(d.maxWeight(withAnalysis({})), 100);
    assert.equal(d.maxWeight(withAnalysis({ maxWeight: 30 })), 30);
    assert.equal(d.maxWeight(withAnalysis({ maxWeight: 30, stepWeights: [1, 20, 80] })), 80);
    assert.equal(d.maxWeight(withAnalysis({ stepWeights: [50, 120] })), 100);
  });

  it('stepWeights are ignored when stepWeight > 0', () => {
    assert.deepEqual(d.stepWeights(withAnalysis({ stepWeight: 5, stepWeights: [10, 20] })), []);
    assert.deepEqual(d.stepWeights(withAnalysis({ stepWeights: [10, 20] })), [10, 20]);
  });

  it('stepWeightPromotion defaults to 0', () => {
    assert.equal(d.stepWeightPromotion(withAnalysis({})), 0);
    assert.equal(d.stepWeightPromotion(withAnalysis({ stepWeightPromotion: 25 })), 25);
  });

  it('ready thresholds and progress deadline', () => {
    const c = withAnalysis({});
    assert.equal(d.primaryReadyThreshold(c), 100);
    assert.equal(d.canaryReadyThreshold(c), 100);
    assert.equal(d.canaryReadyThreshold(withAnalysis({ canaryReadyThreshold: 0 })), 0);
    assert.equal(d.progressDeadlineSeconds(podinfo()), 60);
    const { progressDeadlineSeconds: _p, ...spec } = podinfo().spec;
    assert.equal(d.progressDeadlineSeconds({ ...podinfo(), spec }), 600);
  });
});

describe('analysisStrategy', () => {
  const match = [{ headers: { 'x-canary': { exact: 'insider' } } }];
  const cases: [string, Parameters<typeof withAnalysis>[0], string | undefined, d.EffectiveStrategy][] = [
    ['stepWeight → canary', { stepWeight: 10 }, 'istio', { strategy: 'canary', iterations: 0 }],
    ['iterations → blue-green', { iterations: 5 }, 'istio', { strategy: 'blue-green', iterations: 5 }],
    ['match+iterations → A/B', { iterations: 5, match }, 'istio', { strategy: 'ab-testing', iterations: 5 }],
    [
      'match without iterations → canary',
      { stepWeight: 5, match },
      'istio',
      { strategy: 'canary', iterations: 0 },
    ],
    [
      'kubernetes forces 10 iterations',
      { stepWeight: 10 },
      'kubernetes',
      { strategy: 'blue-green', iterations: 10 },
    ],
    [
      'kubernetes keeps iterations',
      { iterations: 3 },
      'kubernetes',
      { strategy: 'blue-green', iterations: 3 },
    ],
    ['global provider applies', {}, undefined, { strategy: 'blue-green', iterations: 10 }],
  ];
  for (const [name, analysis, provider, want] of cases) {
    it(name, () => {
      assert.deepEqual(d.analysisStrategy(withAnalysis(analysis, provider), 'kubernetes'), want);
    });
  }
});

describe('names, metrics and webhooks', () => {
  it('service names and ports', () => {
    const c = podinfo();
    assert.equal(d.serviceName(c), 'podinfo');
    assert.equal(d.primaryName(c), 'podinfo-primary');
    assert.equal(d.canaryName(c), 'podinfo-canary');
    assert.equal(d.portName(c), 'http');
    assert.equal(d.targetPort(c), 'http');
    const named = { ...c, spec: { ...c.spec, service: { port: 80, name: 'apex', portName: 'grpc' } } };
    assert.equal(d.serviceName(named), 'apex');
    assert.equal(d.portName(named), 'grpc');
    assert.equal(d.targetPort(named), 80);
  });

  it('metric intervals, namespaces and builtins', () => {
    const c = podinfo();
    assert.equal(d.metricInterval({ name: 'request-success-rate' }), '1m');
    assert.equal(d.metricInterval({ name: 'q', query: 'up' }), '1m');
    assert.equal(d.metricInterval({ name: 't', templateRef: { name: 't' } }), '');
    assert.equal(d.metricInterval({ name: 't', templateRef: { name: 't' }, interval: '2m' }), '2m');
    assert.equal(d.templateNamespace(c, { name: 't', templateRef: { name: 't' } }), 'test');
    assert.equal(d.templateNamespace(c, { name: 't', templateRef: { name: 't', namespace: 'x' } }), 'x');
    assert.equal(d.alertProviderNamespace(c, { name: 'a', providerRef: { name: 'p' } }), 'test');
    assert.equal(d.isBuiltinMetric('request-duration'), true);
    assert.equal(d.isBuiltinMetric('error-rate'), false);
  });

  it('webhook type, timeout and retries', () => {
    const hook = { name: 'h', url: 'http://x/' };
    assert.equal(d.webhookType(hook), 'rollout');
    assert.equal(d.webhookType({ ...hook, type: '' }), 'rollout');
    assert.equal(d.webhookType({ ...hook, type: 'event' }), 'event');
    assert.equal(d.webhookTimeoutMs(hook), 10_000);
    assert.equal(d.webhookTimeoutMs({ ...hook, timeout: '30s' }), 30_000);
    assert.equal(d.webhookTimeoutMs({ ...hook, timeout: '30sx' }), undefined);
    assert.equal(d.webhookRetries(hook), 0);
  });

  it('cookie max age defaults to a day', () => {
    assert.equal(d.cookieMaxAgeSeconds({ cookieName: 'c' }), 86_400);
    assert.equal(d.cookieMaxAgeSeconds({ cookieName: 'c', maxAge: 60 }), 60);
  });
});
