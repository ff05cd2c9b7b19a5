import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatPath,
  formatValidationErrors,
  isKnownProvider,
  validateAlertProvider,
  validateCanary,
  validateMetricTemplate,
  type CanaryValidationOptions,
  type ValidationError,
} from '../../../src/api/validate.js';
import { podinfoRaw } from './fixtures.js';

const OPTS: CanaryValidationOptions = {
  noCrossNamespaceRefs: false,
  knownProviders: ['istio', 'kubernetes', 'knative', 'gatewayapi:v1', 'appmesh', 'smi:v1alpha3:*'],
};

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => v as Obj;

/** podinfo with `edit` applied to a fresh raw object. */
function canaryWith(edit: (spec: Obj, analysis: Obj) => void): Obj {
  const raw = podinfoRaw();
  const spec = obj(raw['spec']);
  edit(spec, obj(spec['analysis']));
  return raw;
}

function errorsOf(raw: unknown, opts: CanaryValidationOptions = OPTS): ValidationError[] {
  const r = validateCanary(raw, opts);
  if (r.ok) assert.fail('expected validation to fail');
  return r.errors;
}

function assertError(errors: readonly ValidationError[], field: string, text: RegExp): void {
  const hit = errors.find((e) => e.field === field);
  assert.ok(hit, `no error for ${field}; got ${formatValidationErrors(errors)}`);
  assert.match(hit.message, text);
  assert.ok(hit.message.startsWith(field), `message must name the field: ${hit.message}`);
}

describe('validateCanary: schema errors name fields', () => {
  it('accepts podinfo', () => {
    const r = validateCanary(podinfoRaw(), OPTS);
    assert.ok(r.ok, r.ok ? '' : formatValidationErrors(r.errors));
    assert.equal(r.canary.spec.analysis.stepWeight, 10);
  });

  it('reports type errors with their path', () => {
    const errors = errorsOf(
      canaryWith((spec, a) => {
        a['stepWeight'] = 'ten';
        obj(spec['targetRef'])['kind'] = 'StatefulSet';
        obj(obj(a['metrics'])['0'])['interval'] = 'soon';
      }),
    );
    assertError(errors, 'spec.analysis.stepWeight', /number/);
    assertError(errors, 'spec.targetRef.kind', /Deployment/);
    assertError(errors, 'spec.analysis.metrics[0].interval', /.+/);
  });

  it('reports missing required fields', () => {
    const errors = errorsOf(canaryWith((spec) => delete spec['service']));
    assertError(errors, 'spec.service', /required: every target except a Knative Service/);
    assert.deepEqual(
      errorsOf({ kind: 'Canary' })
        .map((e) => e.field)
        .sort(),
      ['apiVersion', 'metadata', 'spec'],
    );
  });

  it('a Knative Service target needs no spec.service (as in Flagger)', () => {
    const r = validateCanary(
      canaryWith((spec) => {
        delete spec['service'];
        delete spec['autoscalerRef'];
        spec['provider'] = 'knative';
        spec['targetRef'] = { apiVersion: 'serving.knative.dev/v1', kind: 'Service', name: 'podinfo' };
      }),
      OPTS,
    );
    assert.ok(r.ok, r.ok ? '' : formatValidationErrors(r.errors));
    assert.equal(r.canary.spec.service.port, 0);
  });

  it('formatPath renders array indexes', () => {
    assert.equal(formatPath(['spec', 'analysis', 'webhooks', 2, 'url']), 'spec.analysis.webhooks[2].url');
    assert.equal(formatPath([]), '(root)');
  });
});

describe('validateCanary: semantic checks', () => {
  it('rejects an unknown provider instead of falling back to Istio', () => {
    const errors = errorsOf(canaryWith((spec) => (spec['provider'] = 'gatewayapi')));
    assertError(errors, 'spec.provider', /unknown provider "gatewayapi"/);
  });

  it('accepts prefix providers', () => {
    assert.ok(isKnownProvider('smi:v1alpha3:istio', OPTS.knownProviders));
    assert.ok(!isKnownProvider('smi:v1alpha2:istio', OPTS.knownProviders));
    const ok = validateCanary(
      canaryWith((spec) => (spec['provider'] = 'smi:v1alpha3:linkerd')),
      OPTS,
    );
    assert.ok(ok.ok);
  });

  it('rejects equal session affinity cookie names', () => {
    const errors = errorsOf(
      canaryWith((_s, a) => (a['sessionAffinity'] = { cookieName: 'c', primaryCookieName: 'c' })),
    );
    assertError(errors, 'spec.analysis.sessionAffinity.primaryCookieName', /can't be the same as cookieName/);
  });

  it('enforces the Knative pairing both ways', () => {
    const knativeTarget = { apiVersion: 'serving.knative.dev/v1', kind: 'Service', name: 'podinfo' };
    assertError(
      errorsOf(canaryWith((spec) => (spec['targetRef'] = knativeTarget))),
      'spec.provider',
      /requires provider "knative"/,
    );
    assertError(errorsOf(canaryWith((spec) => (spec['provider'] = 'knative'))), 'spec.targetRef', /knative/);
    const withScaler = errorsOf(
      canaryWith((spec) => {
        spec['targetRef'] = knativeTarget;
        spec['provider'] = 'knative';
      }),
    );
    assertError(withScaler, 'spec.autoscalerRef', /not supported/);
  });

  it('rejects cross-namespace refs only when asked to', () => {
    const raw = podinfoRaw();
    assert.ok(validateCanary(raw, OPTS).ok);
    const errors = errorsOf(raw, { ...OPTS, noCrossNamespaceRefs: true });
    assertError(errors, 'spec.analysis.metrics[2].templateRef.namespace', /cross-namespace/);
    assertError(errors, 'spec.analysis.alerts[0].providerRef.namespace', /cross-namespace/);
  });

  it('rejects delegation with hosts or gateways', () => {
    const errors = errorsOf(canaryWith((spec) => (obj(spec['service'])['delegation'] = true)));
    assertError(errors, 'spec.service.delegation', /hosts or gateways/);
  });

  it('rejects a webhook url that is not a URL, and a bad timeout', () => {
    const errors = errorsOf(
      canaryWith((_s, a) => {
        const hook = obj(obj(a['webhooks'])['1']);
        hook['url'] = 'flagger-loadtester';
        hook['timeout'] = '5sec';
      }),
    );
    assertError(errors, 'spec.analysis.webhooks[1].url', /must be an absolute URL/);
    assertError(errors, 'spec.analysis.webhooks[1].timeout', /must be a duration/);
  });

  it('rejects a metric with no template, no query and a non-builtin name', () => {
    const errors = errorsOf(canaryWith((_s, a) => (a['metrics'] = [{ name: 'latency' }])));
    assertError(errors, 'spec.analysis.metrics[0]', /needs a templateRef, a query, or a builtin name/);
    const inline = canaryWith((_s, a) => (a['metrics'] = [{ name: 'latency', query: 'up' }]));
    assert.ok(validateCanary(inline, OPTS).ok);
  });

  it('rejects duplicate metric and webhook names', () => {
    const errors = errorsOf(
      canaryWith((_s, a) => {
        a['metrics'] = [{ name: 'request-duration' }, { name: 'request-duration' }];
        a['webhooks'] = [
          { name: 'gate', url: 'http://a/' },
          { name: 'gate', url: 'http://b/' },
        ];
      }),
    );
    assertError(errors, 'spec.analysis.metrics[1].name', /duplicate name "request-duration"/);
    assertError(errors, 'spec.analysis.webhooks[1].name', /duplicate name "gate"/);
  });

  it('requires gatewayRefs for Gateway API and meshName for App Mesh', () => {
    assertError(
      errorsOf(canaryWith((spec) => (spec['provider'] = 'gatewayapi:v1'))),
      'spec.service.gatewayRefs',
      /gatewayRef/,
    );
    assertError(
      errorsOf(canaryWith((spec) => (spec['provider'] = 'appmesh'))),
      'spec.service.meshName',
      /mesh/,
    );
  });
});

describe('validateMetricTemplate', () => {
  const template = (provider: Obj, query: unknown = 'sum(up)'): Obj => ({
    apiVersion: 'flagger.app/v1beta1',
    kind: 'MetricTemplate',
    metadata: { name: 'error-rate', namespace: 'test' },
    spec: { provider, query },
  });

  it('accepts a Prometheus template with headers', () => {
    const r = validateMetricTemplate(
      template({
        type: 'prometheus',
        address: 'http://prometheus:9090',
        headers: { 'X-Scope-OrgID': ['t1'] },
      }),
    );
    assert.ok(r.ok);
    assert.deepEqual(r.template.spec.provider.headers, { 'X-Scope-OrgID': ['t1'] });
  });

  it('names the field of each problem', () => {
    const r = validateMetricTemplate(template({ type: 'graphana' }, ''));
    assert.ok(!r.ok);
    assert.deepEqual(r.errors.map((e) => e.field).sort(), ['spec.provider.type', 'spec.query']);
    const bad = validateMetricTemplate(template({ type: 'prometheus', address: 'prometheus:9090' }));
    assert.ok(!bad.ok);
    assert.equal(bad.errors[0]?.field, 'spec.provider.address');
  });
});

describe('validateAlertProvider', () => {
  const provider = (spec: Obj): Obj => ({
    apiVersion: 'flagger.app/v1beta1',
    kind: 'AlertProvider',
    metadata: { name: 'on-call', namespace: 'flagger' },
    spec,
  });

  it('accepts slack with a secretRef and the webhook extension', () => {
    assert.ok(validateAlertProvider(provider({ type: 'slack', secretRef: { name: 's' } })).ok);
    const r = validateAlertProvider(
      provider({
        type: 'webhook',
        address: 'https://hooks.example.com/x',
        messageTemplate: '{{ .Message }}',
      }),
    );
    assert.ok(r.ok);
  });

  it('requires address or secretRef, and a known type', () => {
    const r = validateAlertProvider(provider({ type: 'slack' }));
    assert.ok(!r.ok);
    assert.equal(r.errors[0]?.field, 'spec.address');
    const t = validateAlertProvider(provider({ type: 'pagerduty', address: 'https://x/' }));
    assert.ok(!t.ok);
    assert.equal(t.errors[0]?.field, 'spec.type');
  });

  it('checks address and proxy URLs', () => {
    const r = validateAlertProvider(provider({ type: 'msteams', address: 'nope', proxy: 'also nope' }));
    assert.ok(!r.ok);
    assert.deepEqual(
      r.errors.map((e) => e.field),
      ['spec.address', 'spec.proxy'],
    );
  });
});
