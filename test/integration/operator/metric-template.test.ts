// A MetricTemplate with the Prometheus provider, rendered with Flagger's template
// variables and run against the real Prometheus, gates the rollout.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canaryStatus, setImage, waitForPhase } from '../../harness/canary.js';
import { canaryScenario } from '../../harness/scenario.js';

const errorRateQuery = `100 - sum(rate(istio_requests_total{destination_workload_namespace="{{ namespace }}",destination_workload=~"{{ target }}",response_code!~"{{ variables.failing }}"}[{{ interval }}]))
  / sum(rate(istio_requests_total{destination_workload_namespace="{{ namespace }}",destination_workload=~"{{ target }}"}[{{ interval }}])) * 100`;

test('a MetricTemplate query with template variables gates the rollout on real Prometheus', async (t) => {
  const s = await canaryScenario(t, 'template', {
    start: false,
    canary: {
      analysis: {
        metrics: [
          {
            name: 'error-rate',
            templateRef: { name: 'error-rate' },
            templateVariables: { failing: '5.*' },
            interval: '10s',
            thresholdRange: { max: 1 },
          },
        ],
      },
    },
  });
  const { env } = s;
  await env.kube.create({
    apiVersion: 'flagger.app/v1beta1',
    kind: 'MetricTemplate',
    metadata: { name: 'error-rate', namespace: env.namespace },
    spec: { provider: { type: 'prometheus', address: env.cluster.prometheusUrl }, query: errorRateQuery },
  });
  await s.startOperator();
  await waitForPhase(env, 'Initialized');
  await setImage(env, 'ghcr.io/stefanprodan/podinfo:6.0.1');
  await waitForPhase(env, 'Succeeded', 90_000);

  const checks = (await canaryStatus(env)).raw['checks'] as {
    name: string;
    passed: boolean;
    value?: number;
    query?: string;
  }[];
  const last = checks.filter((c) => c.name === 'error-rate').at(-1);
  assert.ok(last?.passed);
  assert.equal(last.value, 0);
  assert.ok(last.query?.includes(`destination_workload_namespace="${env.namespace}"`), 'namespace rendered');
  assert.ok(last.query?.includes('destination_workload=~"podinfo"'), 'target rendered');
  assert.ok(last.query?.includes('response_code!~"5.*"'), 'template variable rendered');
  assert.ok(last.query?.includes('[10s]'), 'interval rendered');
});
