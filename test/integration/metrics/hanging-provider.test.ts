// A provider that accepts the connection and never answers is bounded by its timeout:
// each check fails with "did not answer within 5000ms" and the canary rolls back after
// `threshold` failed checks instead of waiting forever.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canaryStatus, setImage, waitForPhase } from '../../harness/canary.js';
import { canaryScenario } from '../../harness/scenario.js';
import { hang, selfSignedCert, startStub } from '../../unit/metrics/stub-server.js';

test('a hanging metrics provider fails its checks after the timeout and the canary rolls back', async (t) => {
  const hung = await startStub(hang, selfSignedCert());
  t.after(() => hung.close());
  const s = await canaryScenario(t, 'hang', {
    start: false,
    canary: {
      analysis: {
        threshold: 2,
        metrics: [{ name: 'dd', templateRef: { name: 'dd' }, interval: '1m', thresholdRange: { max: 1 } }],
      },
    },
  });
  const { env } = s;
  await env.kube.create({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'dd', namespace: env.namespace },
    stringData: { datadog_api_key: 'a', datadog_application_key: 'b' },
  });
  await env.kube.create({
    apiVersion: 'flagger.app/v1beta1',
    kind: 'MetricTemplate',
    metadata: { name: 'dd', namespace: env.namespace },
    spec: {
      provider: { type: 'datadog', address: hung.url, insecureSkipVerify: true, secretRef: { name: 'dd' } },
      query: 'sum:errors{*}',
    },
  });
  await s.startOperator();
  await waitForPhase(env, 'Initialized', 60_000);
  const started = Date.now();
  await setImage(env, 'ghcr.io/stefanprodan/podinfo:6.0.1');
  await waitForPhase(env, 'Failed', 90_000);
  const elapsed = Date.now() - started;
  const checks = ((await canaryStatus(env)).raw['checks'] ?? []) as {
    name: string;
    passed: boolean;
    message?: string;
  }[];
  const failed = checks.filter((c) => c.name === 'dd' && !c.passed);
  assert.ok(failed.length >= 2, JSON.stringify(checks));
  for (const c of failed) assert.match(c.message ?? '', /did not answer within 5000ms/);
  // Two 5 s timeouts plus a few 1 s intervals; far from "forever".
  assert.ok(elapsed < 60_000, `rollback took ${elapsed} ms`);
});
