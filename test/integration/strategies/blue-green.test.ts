// Blue/Green with the `kubernetes` provider on the real control plane with real Prometheus:
// plain Services, no traffic to the canary during the analysis (the apex Service keeps
// selecting the primary's pods), then the all-at-once switch when the primary is promoted.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventually } from '../../harness/cluster.js';
import {
  canaryStatus,
  deploymentImage,
  deploymentReplicas,
  setImage,
  waitForPhase,
} from '../../harness/canary.js';
import { canaryScenario } from '../../harness/scenario.js';
import { startWebhookServer } from '../../harness/webhook-server.js';
import { eventLines, inlineIstioMetrics, selectedImages, withPhase, record } from './helpers.js';

const V1 = 'ghcr.io/stefanprodan/podinfo:6.0.0';
const V2 = 'ghcr.io/stefanprodan/podinfo:6.0.1';

test('kubernetes provider: 10 iterations by default, confirm-promotion holds, then the apex switches at once', async (t) => {
  const hooks = await startWebhookServer(t);
  hooks.setStatus('/promote', 403);
  const s = await canaryScenario(t, 'bg', {
    canary: {
      provider: 'kubernetes',
      // stepWeight is ignored: the kubernetes provider cannot shift traffic progressively.
      analysis: {
        metrics: inlineIstioMetrics(),
        webhooks: [{ name: 'approve', type: 'confirm-promotion', url: hooks.url('/promote') }],
      },
    },
  });
  const { env } = s;
  await waitForPhase(env, 'Initialized');
  const apex = await env.core.readNamespacedService({ name: 'podinfo', namespace: env.namespace });
  assert.deepEqual(apex.spec?.selector, { app: 'podinfo-primary' });
  const canarySvc = await env.core.readNamespacedService({
    name: 'podinfo-canary',
    namespace: env.namespace,
  });
  assert.deepEqual(canarySvc.spec?.selector, { app: 'podinfo' });
  const vs: unknown = await env.custom
    .getNamespacedCustomObject({
      group: 'networking.istio.io',
      version: 'v1beta1',
      namespace: env.namespace,
      plural: 'virtualservices',
      name: 'podinfo',
    })
    .catch(() => undefined);
  assert.equal(vs, undefined, 'no mesh object with the kubernetes provider');

  const timeline = record(
    t,
    withPhase(env, async () => ({
      selector: (await env.core.readNamespacedService({ name: 'podinfo', namespace: env.namespace })).spec
        ?.selector,
      images: await selectedImages(env, 'podinfo'),
    })),
    200,
  );
  await setImage(env, V2);
  const waiting = await waitForPhase(env, 'WaitingPromotion', 60_000);
  assert.equal(waiting.iterations, 9, 'iterations pinned at N-1 while waiting');
  // Asked again while closed: the operator kept deciding to hold.
  const asked = hooks.count('/promote');
  await eventually(
    'the gate asked again',
    () => (hooks.count('/promote') >= asked + 2 ? true : undefined),
    30_000,
  );
  assert.equal((await canaryStatus(env)).phase, 'WaitingPromotion', 'held while the gate is closed');
  assert.equal(await deploymentImage(env, 'podinfo-primary'), V1, 'primary untouched while waiting');
  assert.deepEqual(await selectedImages(env, 'podinfo'), [V1], 'apex still on the old version');
  hooks.setStatus('/promote', 200);
  await waitForPhase(env, 'Succeeded', 60_000);
  await timeline.stop();

  const analysing = timeline.values.filter((v) => ['Progressing', 'WaitingPromotion'].includes(v.phase));
  assert.ok(analysing.length > 0);
  for (const v of analysing) {
    assert.deepEqual(v.value.selector, { app: 'podinfo-primary' });
    assert.ok(
      !v.value.images.includes(V2),
      `no canary pod behind the apex during analysis: ${v.value.images.join(',')}`,
    );
  }
  assert.deepEqual(timeline.values.at(-1)?.value.selector, { app: 'podinfo-primary' });
  assert.deepEqual(await selectedImages(env, 'podinfo'), [V2], 'the apex selects only new-version pods');
  assert.equal(await deploymentImage(env, 'podinfo-primary'), V2);
  assert.equal(await deploymentReplicas(env, 'podinfo'), 0, 'canary scaled down');

  const lines = await eventLines(env);
  const ns = env.namespace;
  for (const m of [
    'Progressive traffic is not supported when using the kubernetes provider',
    'Setting canaryAnalysis.iterations: 10',
    `Advance podinfo.${ns} canary iteration 10/10`,
  ]) {
    assert.ok(
      lines.some((l) => l.endsWith(`: ${m}`)),
      `${m} in\n${lines.join('\n')}`,
    );
  }
  assert.ok(hooks.count('/promote') >= 2, 'the gate was asked until it opened');
});

test('kubernetes provider rollback: failing checks scale the canary down, the apex never moved', async (t) => {
  const s = await canaryScenario(t, 'bgrb', {
    canary: {
      provider: 'kubernetes',
      analysis: {
        stepWeight: undefined,
        maxWeight: undefined,
        iterations: 30,
        metrics: inlineIstioMetrics(),
      },
    },
  });
  const { env } = s;
  await waitForPhase(env, 'Initialized');
  await setImage(env, V2);
  await waitForPhase(env, 'Progressing');
  s.exporter.set({ namespace: env.namespace, workload: 'podinfo', rps: 20, errorRatio: 0.5, latencyMs: 40 });
  const failed = await waitForPhase(env, 'Failed', 60_000);
  assert.equal(failed.iterations, 0);
  assert.equal(await deploymentReplicas(env, 'podinfo'), 0);
  assert.equal(await deploymentImage(env, 'podinfo-primary'), V1);
  const apex = await env.core.readNamespacedService({ name: 'podinfo', namespace: env.namespace });
  assert.deepEqual(apex.spec?.selector, { app: 'podinfo-primary' });
  const checks = (await canaryStatus(env)).raw['checks'] as { name: string; passed: boolean }[];
  assert.ok(
    checks.some((c) => c.name === 'error-rate' && !c.passed),
    JSON.stringify(checks),
  );
});
