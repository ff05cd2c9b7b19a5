import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { MetricTemplate } from '../../../src/api/metric-template.js';
import { type MetricCheckDeps, allPassed, runMetricChecks } from '../../../src/metrics/analysis.js';
import { type StubServer, closedPort, sendJson, startStub, vectorBody } from './stub-server.js';
import { at, canary, metricTemplate } from './fixtures.js';

/** Fake Prometheus: the first rule whose pattern occurs in the query answers it; else 100. */
let rules: [string, (res: ServerResponse) => void][] = [];
let prom: StubServer;
let deadPort: number;

before(async () => {
  prom = await startStub((req, res) => {
    const q = req.url.searchParams.get('query') ?? '';
    const rule = rules.find(([pattern]) => q.includes(pattern));
    if (rule) rule[1](res);
    else sendJson(res, 200, vectorBody('100'));
  });
  deadPort = await closedPort();
});
after(async () => {
  await prom.close();
});
beforeEach(() => {
  rules = [];
  prom.requests.length = 0;
});

const value = (v: string) => (res: ServerResponse) => {
  sendJson(res, 200, vectorBody(v));
};
const queries = () => prom.requests.map((r) => r.url.searchParams.get('query') ?? '');

interface Lookups {
  templates: string[];
  secrets: string[];
}

function deps(
  templates: MetricTemplate[] = [],
  secrets: Record<string, Record<string, string>> = {},
  over: Partial<MetricCheckDeps> = {},
): MetricCheckDeps & { lookups: Lookups } {
  const lookups: Lookups = { templates: [], secrets: [] };
  return {
    metricsServer: prom.url,
    meshProvider: 'istio',
    lookups,
    getMetricTemplate: (ns, name) => {
      lookups.templates.push(`${ns}/${name}`);
      return Promise.resolve(templates.find((t) => t.metadata.name === name && t.metadata.namespace === ns));
    },
    getSecretData: (ns, name) => {
      lookups.secrets.push(`${ns}/${name}`);
      return Promise.resolve(secrets[`${ns}/${name}`]);
    },
    ...over,
  };
}

const builtins = [
  { name: 'request-success-rate', thresholdRange: { min: 99 }, interval: '1m' },
  { name: 'request-duration', thresholdRange: { max: 500 }, interval: '30s' },
];

describe('runMetricChecks: builtin metrics', () => {
  it('runs the Istio queries and judges the values', async () => {
    rules = [
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
    rules = [['http_request_duration_seconds_bucket', value('0.2506')]];
    const out = await runMetricChecks(canary([builtins[1]!], { provider: 'kubernetes' }), deps());
    assert.equal(at(out, 0).value, 250);
    assert.match(at(out, 0).query ?? '', /kubernetes_pod_name=~"podinfo-/);
  });

  it('uses spec.metricsServer over the global server', async () => {
    const c = canary(builtins, { metricsServer: prom.url });
    const out = await runMetricChecks(c, deps([], {}, { metricsServer: `http://127.0.0.1:${deadPort}` }));
    assert.equal(allPassed(out), true);
  });

  it("stops at a no-data failure with Flagger's message", async () => {
    rules = [['istio_requests_total', value('NaN')]];
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
    rules = [['istio_request_duration', value('750')]];
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
      rules = [['istio', respond]];
      const o = at(await runMetricChecks(canary(builtins), deps()), 0);
      assert.equal(o.failureKind, kind);
      assert.equal(o.eventType, 'Error');
      assert.match(o.message, /^Prometheus query failed for request-success-rate: /);
      assert.match(o.message, text);
    });
  }

  it('says which failure it was: unreachable Prometheus', async () => {
    const [o] = await runMetricChecks(
      canary(builtins),
      deps([], {}, { metricsServer: `http://127.0.0.1:${deadPort}` }),
    );
    assert.equal(o.failureKind, 'unreachable');
    assert.match(o.message, /is unreachable: .*ECONNREFUSED/);
  });

  it('fails clearly for a provider without a builtin observer', async () => {
    const o = at(await runMetricChecks(canary(builtins, { provider: 'linkerd' }), deps()), 0);
    assert.equal(o.failureKind, 'config-error');
    assert.match(o.message, /builtin metrics for provider linkerd are not supported yet/);
    assert.equal(prom.requests.length, 0);
  });
});

describe('runMetricChecks: inline queries', () => {
  it('renders variables and applies the custom threshold', async () => {
    rules = [['my_errors', value('2')]];
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
    const [o] = await runMetricChecks(
      canary([{ name: 'errors', query: 'x{z="{{ variables.zone }}"}' }]),
      deps(),
    );
    assert.equal(o.failureKind, 'render-error');
    assert.match(o.message, /variables\.zone/);
    assert.equal(prom.requests.length, 0);
  });

  it("reports no data with Flagger's inline text", async () => {
    rules = [
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

describe('runMetricChecks: template metrics', () => {
  const tmpl = (ns: string, extra: Record<string, unknown> = {}) =>
    metricTemplate('error-rate', ns, {
      provider: { type: 'prometheus', address: prom.url, ...extra },
      query:
        'rate(errors{ns="{{ namespace }}",svc="{{ service }}",t="{{ variables.team }}"}[{{ interval }}])',
    });

  it('looks up the template and its secret, renders with interval 1m by default', async () => {
    rules = [['rate(errors', value('0.5')]];
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
    assert.equal(prom.requests[0]?.headers['authorization'], 'Bearer tkn');
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
      'an unsupported provider type',
      () => deps([metricTemplate('error-rate', 'test', { provider: { type: 'datadog' }, query: 'x' })]),
      /^Metric template error-rate\.test provider datadog error: metrics provider type datadog is not supported yet$/,
    ],
    [
      'a failing lookup',
      () => deps([], {}, { getMetricTemplate: () => Promise.reject(new Error('informer not synced')) }),
      /error: informer not synced$/,
    ],
  ];
  for (const [title, mk, text] of configCases) {
    it(`fails with a config error for ${title}`, async () => {
      const [o] = await runMetricChecks(
        canary([{ name: 'errors', templateRef: { name: 'error-rate' } }]),
        mk(),
      );
      assert.equal(o.passed, false);
      assert.equal(o.failureKind, 'config-error');
      assert.match(o.message, text);
    });
  }

  it("reports query failures with Flagger's template texts", async () => {
    rules = [
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
    rules = [['fail_me', value('10')]];
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
      queries().some((q) => q.includes('tmpl_q')),
      false,
    );
  });

  it('passes with no metrics', async () => {
    assert.deepEqual(await runMetricChecks(canary([]), deps()), []);
  });
});
