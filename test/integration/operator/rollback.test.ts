// A rollback judged by real Prometheus: the exporter's error rate for the canary
// crosses the success-rate threshold, failed checks reach the threshold, traffic
// goes back to the primary and the canary is scaled to zero.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventually } from '../../harness/cluster.js';
import {
  canaryStatus,
  deploymentImage,
  deploymentReplicas,
  setImage,
  virtualServiceWeights,
  waitForPhase,
  watchCanaryWeights,
} from '../../harness/canary.js';
import { waitForErrorRate } from '../../harness/prometheus.js';
import { canaryScenario } from '../../harness/scenario.js';

test('rollback when the canary error rate crosses the success-rate threshold', async (t) => {
  const s = await canaryScenario(t, 'rollback');
  const { env } = s;
  await waitForPhase(env, 'Initialized');
  // Watched, not polled: with a 1 s interval weight 10 may last less than one poll on a loaded machine.
  const weights = await watchCanaryWeights(t, env);
  // The new version fails half of its requests, and Prometheus shows it before the analysis starts:
  // set after the first step, a short analysis could promote first on a loaded machine.
  s.exporter.set({ namespace: env.namespace, workload: 'podinfo', rps: 20, errorRatio: 0.5, latencyMs: 40 });
  await waitForErrorRate(env.cluster.prometheusUrl, env.namespace);
  await setImage(env, 'ghcr.io/stefanprodan/podinfo:6.0.1');
  await eventually('canary weight 10 on the VirtualService', () =>
    weights.values.includes(10) ? true : undefined,
  );

  const failed = await waitForPhase(env, 'Failed', 90_000);
  assert.equal(failed.canaryWeight, 0);
  assert.equal(failed.failedChecks, 0, 'Flagger zeroes failedChecks on rollback');
  assert.equal(failed.conditions.find((c) => c.type === 'Promoted')?.status, 'False');
  assert.deepEqual(await virtualServiceWeights(env), { primary: 100, canary: 0, mirror: false });
  assert.equal(await deploymentReplicas(env, 'podinfo'), 0, 'canary scaled to zero');
  assert.equal(
    await deploymentImage(env, 'podinfo-primary'),
    'ghcr.io/stefanprodan/podinfo:6.0.0',
    'primary untouched',
  );

  // Why it failed is visible in the status: the failing metric check with its value and threshold.
  const checks = (await canaryStatus(env)).raw['checks'] as {
    name: string;
    passed: boolean;
    value?: number;
    min?: number;
    query?: string;
  }[];
  const bad = checks.filter((c) => c.name === 'request-success-rate' && !c.passed);
  assert.ok(bad.length >= 1, `a failed success-rate check is recorded: ${JSON.stringify(checks)}`);
  assert.ok((bad[0]?.value ?? 100) < 99 && bad[0]?.min === 99, 'value and threshold recorded');
  assert.match(bad[0].query ?? '', /istio_requests_total/);

  const events = await env.core.listNamespacedEvent({ namespace: env.namespace });
  const messages = events.items.map((e) => `${e.reason ?? ''}: ${e.message ?? ''}`);
  assert.ok(
    messages.some(
      (m) =>
        m.startsWith('ThresholdReached: Rolling back podinfo.') &&
        m.includes('failed checks threshold reached 2'),
    ),
    messages.join('\n'),
  );
  assert.ok(
    messages.some((m) => m === `CanaryFailed: Canary failed! Scaling down podinfo.${env.namespace}`),
    messages.join('\n'),
  );
});
