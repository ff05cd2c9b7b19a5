// Which MetricTemplates make a Canary InvalidSpec before analysis (a template that can
// never work without looking at any Secret), and which are left to the checks.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  canaryTemplateProblem,
  staticTemplateProblem,
} from '../../../src/controller/metric-template-status.js';
import type { KubeObject } from '../../../src/kube/types.js';
import { canary } from './fixtures.js';

const tmpl = (name: string, provider: Record<string, unknown>): KubeObject => ({
  apiVersion: 'flagger.app/v1beta1',
  kind: 'MetricTemplate',
  metadata: { name, namespace: 'test' },
  spec: { provider, query: 'q' },
});

describe('static MetricTemplate problems', () => {
  it('flags an unknown type (stored under a CRD without the enum), missing address or region', () => {
    assert.match(
      staticTemplateProblem(tmpl('a', { type: 'opentsdb', address: 'http://x' })) ?? '',
      /opentsdb|type/,
    );
    assert.equal(staticTemplateProblem(tmpl('b', { type: 'cloudwatch' })), 'region not specified');
    assert.equal(staticTemplateProblem(tmpl('c', { type: 'dynatrace' })), 'dynatrace endpoint is not set');
    assert.equal(staticTemplateProblem(tmpl('d', { type: 'prometheus' })), 'prometheus address is not set');
  });

  it('leaves templates whose credentials come from a Secret, and valid ones, alone', () => {
    assert.equal(staticTemplateProblem(tmpl('e', { type: 'datadog', secretRef: { name: 's' } })), undefined);
    assert.equal(staticTemplateProblem(tmpl('f', { type: 'graphite', address: 'http://g' })), undefined);
    assert.equal(staticTemplateProblem(tmpl('g', { type: 'cloudwatch', region: 'eu-west-1' })), undefined);
  });

  it('names the canary field of the first unusable template; a missing template is not a spec error', () => {
    const store = new Map([['test/bad', tmpl('bad', { type: 'cloudwatch' })]]);
    const lookup = (ns: string, n: string): KubeObject | undefined => store.get(`${ns}/${n}`);
    const c = canary([
      { name: 'ok', templateRef: { name: 'missing' } },
      { name: 'x', templateRef: { name: 'bad' } },
    ]);
    assert.equal(
      canaryTemplateProblem(c, lookup),
      'spec.analysis.metrics[1].templateRef: MetricTemplate test/bad is invalid: region not specified',
    );
    assert.equal(
      canaryTemplateProblem(canary([{ name: 'ok', templateRef: { name: 'missing' } }]), lookup),
      undefined,
    );
  });
});
