// Metric checks: template metrics and the order of a run (behaviour spec §2.7, §9.4).
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { MetricTemplate } from '../../../src/api/metric-template.js';
import { type MetricCheckDeps, allPassed, runMetricChecks } from '../../../src/metrics/analysis.js';
import { FakePrometheus, metricDeps, value } from './fake-prometheus.js';
import { at, canary, metricTemplate } from './fixtures.js';
import { sendJson } from './stub-server.js';

const prom = new FakePrometheus();

before(async () => {
  await prom.start();
});
after(async () => {
  await prom.close();
});
beforeEach(() => {
  prom.reset();
});

const deps = (
  templates?: MetricTemplate[],
  secrets?: Record<string, Record<string, string>>,
  over?: Partial<MetricCheckDeps>,
) => metricDeps(prom.url, templates, secrets, over);

describe('runMetricChecks: template metrics', () => {
  const tmpl = (ns: string, extra: Record<string, unknown> = {}) =>
    metricTemplate('error-rate', ns, {
      provider: { type: 'prometheus', address: prom.url, ...extra },
      query:
        'rate(errors{ns="{{ namespace }}",svc="{{ service }}",t="{{ variables.team }}"}[{{ interval }}])',
    });

  it('looks up the template and its secret, renders with interval 1m by default', async () => {
    prom.rules = [['rate(errors', value('0.5')]];
    const d = deps([tmpl('istio-system', { secretRef: { name: 'prom-auth' } })], {
      'istio-system/prom-auth': { token: 'tkn' },
    });
    const metric = {
      name: 'errors',
      templateRef: { name: 'error-rate', namespace: 'istio-system' },
      thresholdRange: { max: 1 },
      templateVariables: { team: 'x' },
    };
    const o = at(await runMetricChecks(canary([metric]), d), 0);
    assert.equal(o.passed, true);
    assert.equal(o.source, 'template');
    assert.equal(o.query, 'rate(errors{ns="test",svc="podinfo",t="x"}[1m])');
    assert.deepEqual(d.lookups, {
      templates: ['istio-system/error-rate'],
      secrets: ['istio-system/prom-auth'],
    });
    assert.equal(prom.server.requests[0]?.headers['authorization'], 'Bearer tkn');
  });

  it('resolves a templateRef without namespace in the canary namespace', async () => {
    const d = deps([tmpl('test')]);
    const metric = {
      name: 'errors',
      templateRef: { name: 'error-rate' },
      thresholdRange: { max: 1000 },
      templateVariables: { team: 'x' },
    };
    const out = await runMetricChecks(canary([metric]), d);
    assert.equal(allPassed(out), true);
    assert.deepEqual(d.lookups.templates, ['test/error-rate']);
  });

  const configCases: [string, () => MetricCheckDeps, RegExp][] = [
    ['a missing template', () => deps(), /^Metric template error-rate\.test error: not found$/],
    [
      'a missing secret',
      () => deps([tmpl('test', { secretRef: { name: 'gone' } })]),
      /^Metric template error-rate\.test secret gone error: not found$/,
    ],
    [
      'a provider without its credentials',
      () => deps([metricTemplate('error-rate', 'test', { provider: { type: 'datadog' }, query: 'x' })]),
      /^Metric template error-rate\.test provider datadog error: datadog credentials does not contain datadog_api_key$/,
    ],
    [
      'a failing lookup',
      () => deps([], {}, { getMetricTemplate: () => Promise.reject(new Error('informer not synced')) }),
      /error: informer not synced$/,
    ],
  ];
  for (const [title, mk, text] of configCases) {
    it(`fails with a config error for ${title}`, async () => {
      const o = at(
        await runMetricChecks(canary([{ name: 'errors', templateRef: { name: 'error-rate' } }]), mk()),
        0,
      );
      assert.equal(o.passed, false);
      assert.equal(o.failureKind, 'config-error');
      assert.match(o.message, text);
    });
  }

  it("reports query failures with Flagger's template texts", async () => {
    prom.rules = [
      [
        'rate(errors',
        (res) => {
          sendJson(res, 503, { status: 'error', errorType: 'unavailable', error: 'x' });
        },
      ],
    ];
    const metric = { name: 'errors', templateRef: { name: 'error-rate' }, templateVariables: { team: 'x' } };
    const o = at(await runMetricChecks(canary([metric]), deps([tmpl('test')])), 0);
    assert.equal(o.failureKind, 'http-error');
    assert.match(o.message, /^Metric query failed for errors: prometheus query failed: HTTP 503/);
  });

  it('fails a metric with no template, no query and a non-builtin name', async () => {
    const o = at(await runMetricChecks(canary([{ name: 'mystery' }]), deps()), 0);
    assert.equal(o.failureKind, 'config-error');
    assert.equal(
      o.message,
      'Metric query failed for mystery: no usable metrics template and query were configured',
    );
  });
});

describe('runMetricChecks: order', () => {
  it('runs builtin and inline metrics before template metrics, stopping at the first failure', async () => {
    prom.rules = [['fail_me', value('10')]];
    const metrics = [
      {
        name: 'tmpl',
        templateRef: { name: 'error-rate' },
        thresholdRange: { max: 1000 },
        templateVariables: { team: 'x' },
      },
      { name: 'request-success-rate', thresholdRange: { min: 99 } },
      { name: 'inline', query: 'fail_me', threshold: 1 },
      { name: 'request-duration', thresholdRange: { max: 500 } },
    ];
    const t = metricTemplate('error-rate', 'test', {
      provider: { type: 'prometheus', address: prom.url },
      query: 'tmpl_q',
    });
    const out = await runMetricChecks(canary(metrics), deps([t]));
    assert.deepEqual(
      out.map((o) => [o.name, o.passed]),
      [
        ['request-success-rate', true],
        ['inline', false],
      ],
    );
    assert.equal(
      prom.queries().some((q) => q.includes('tmpl_q')),
      false,
    );
  });

  it('passes with no metrics', async () => {
    assert.deepEqual(await runMetricChecks(canary([]), deps()), []);
  });
});
