// Metric checks: builtin and inline-query metrics (behaviour spec §2.7, §4.1).
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, before, beforeEach, describe, it } from 'node:test';
import { type MetricCheckDeps, allPassed, runMetricChecks } from '../../../src/metrics/analysis.js';
import { FakePrometheus, metricDeps, value } from './fake-prometheus.js';
import { at, canary } from './fixtures.js';
import { closedPort, sendJson, vectorBody } from './stub-server.js';

const prom = new FakePrometheus();
let deadPort: number;

before(async () => {
  await prom.start();
  deadPort = await closedPort();
});
after(async () => {
  await prom.close();
});
beforeEach(() => {
  prom.reset();
});

const deps = (over?: Partial<MetricCheckDeps>) => metricDeps(prom.url, [], {}, over);

const builtins = [
  { name: 'request-success-rate', thresholdRange: { min: 99 }, interval: '1m' },
  { name: 'request-duration', thresholdRange: { max: 500 }, interval: '30s' },
];

describe('runMetricChecks: builtin metrics', () => {
  it('runs the Istio queries and judges the values', async () => {
    prom.rules = [
      ['istio_requests_total', value('99.5')],
      ['istio_request_duration', value('123.9')],
    ];
    const out = await runMetricChecks(canary(builtins), deps());
    assert.equal(allPassed(out), true);
    assert.deepEqual(
      out.map((o) => [o.name, o.source, o.value, o.passed]),
      [
        ['request-success-rate', 'builtin', 99.5, true],
        ['request-duration', 'builtin', 123, true],
      ],
    );
    assert.match(
      at(out, 0).query ?? '',
      /destination_workload_namespace="test",destination_workload=~"podinfo"/,
    );
    assert.match(at(out, 1).query ?? '', /\[30s\]/);
    assert.equal(at(out, 0).min, 99);
    assert.equal(at(out, 1).max, 500);
  });

  it("converts the HTTP observer's seconds to milliseconds", async () => {
    prom.rules = [['http_request_duration_seconds_bucket', value('0.2506')]];
    const out = await runMetricChecks(canary([builtins[1]!], { provider: 'kubernetes' }), deps());
    assert.equal(at(out, 0).value, 250);
    assert.match(at(out, 0).query ?? '', /kubernetes_pod_name=~"podinfo-/);
  });

  it('uses spec.metricsServer over the global server', async () => {
    const c = canary(builtins, { metricsServer: prom.url });
    const out = await runMetricChecks(c, deps({ metricsServer: `http://127.0.0.1:${deadPort}` }));
    assert.equal(allPassed(out), true);
  });

  it("stops at a no-data failure with Flagger's message", async () => {
    prom.rules = [['istio_requests_total', value('NaN')]];
    const out = await runMetricChecks(canary(builtins), deps());
    assert.equal(out.length, 1, 'request-duration is not evaluated after the failure');
    assert.equal(at(out, 0).passed, false);
    assert.equal(at(out, 0).failureKind, 'no-data');
    assert.equal(at(out, 0).eventType, 'Warning');
    assert.equal(
      at(out, 0).message,
      'Halt advancement no values found for istio metric request-success-rate probably podinfo.test is not receiving traffic: no values found (value is NaN)',
    );
  });

  it('reports a breached threshold as a Warning without failureKind', async () => {
    prom.rules = [['istio_request_duration', value('750')]];
    const out = await runMetricChecks(canary(builtins), deps());
    assert.equal(at(out, 1).passed, false);
    assert.equal(at(out, 1).failureKind, undefined);
    assert.equal(at(out, 1).eventType, 'Warning');
    assert.equal(at(out, 1).message, 'Halt podinfo.test advancement request duration 750ms > 500ms');
  });

  const kinds: [string, (res: ServerResponse) => void, string, RegExp][] = [
    [
      'several series',
      (res) => {
        sendJson(res, 200, vectorBody('1', '2'));
      },
      'multiple-series',
      /2 series/,
    ],
    [
      'an HTTP error',
      (res) => {
        sendJson(res, 422, { status: 'error', errorType: 'execution', error: 'too many samples' });
      },
      'http-error',
      /HTTP 422: execution: too many samples/,
    ],
  ];
  for (const [title, respond, kind, text] of kinds) {
    it(`says which failure it was: ${title}`, async () => {
      prom.rules = [['istio', respond]];
      const o = at(await runMetricChecks(canary(builtins), deps()), 0);
      assert.equal(o.failureKind, kind);
      assert.equal(o.eventType, 'Error');
      assert.match(o.message, /^Prometheus query failed for request-success-rate: /);
      assert.match(o.message, text);
    });
  }

  it('says which failure it was: unreachable Prometheus', async () => {
    const o = at(
      await runMetricChecks(canary(builtins), deps({ metricsServer: `http://127.0.0.1:${deadPort}` })),
      0,
    );
    assert.equal(o.failureKind, 'unreachable');
    assert.match(o.message, /is unreachable: .*ECONNREFUSED/);
  });

  it('fails clearly for a provider without a builtin observer', async () => {
    const o = at(await runMetricChecks(canary(builtins, { provider: 'nosuchmesh' }), deps()), 0);
    assert.equal(o.failureKind, 'config-error');
    assert.match(o.message, /no builtin metrics observer for unknown provider "nosuchmesh"/);
    assert.equal(prom.server.requests.length, 0);
  });
});

describe('runMetricChecks: inline queries', () => {
  it('renders variables and applies the custom threshold', async () => {
    prom.rules = [['my_errors', value('2')]];
    const metric = {
      name: 'errors',
      query: 'sum(my_errors{ns="{{ namespace }}",z="{{ variables.zone }}"}[{{ interval }}])',
      threshold: 1,
      templateVariables: { zone: 'a' },
    };
    const o = at(await runMetricChecks(canary([metric]), deps()), 0);
    assert.equal(o.query, 'sum(my_errors{ns="test",z="a"}[1m])');
    assert.equal(o.passed, false);
    assert.equal(o.message, 'Halt podinfo.test advancement errors 2.00 > 1');
  });

  it('reports a missing variable as a render error', async () => {
    const o = at(
      await runMetricChecks(canary([{ name: 'errors', query: 'x{z="{{ variables.zone }}"}' }]), deps()),
      0,
    );
    assert.equal(o.failureKind, 'render-error');
    assert.match(o.message, /variables\.zone/);
    assert.equal(prom.server.requests.length, 0);
  });

  it("reports no data with Flagger's inline text", async () => {
    prom.rules = [
      [
        'nothing',
        (res) => {
          sendJson(res, 200, vectorBody());
        },
      ],
    ];
    const o = at(await runMetricChecks(canary([{ name: 'errs', query: 'nothing' }]), deps()), 0);
    assert.equal(
      o.message,
      'Halt advancement no values found for metric: errs: no values found (empty result)',
    );
  });
});
