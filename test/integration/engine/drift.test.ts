// Drift of generated objects between analysis ticks: seen from the watch and put right at once,
// not at the next tick (the interval here is 1m), and the waiting step reads nothing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setImage, virtualServiceWeights, waitForPhase } from '../../harness/canary.js';
import { canaryScenario } from '../../harness/scenario.js';

/** Polls `probe` until it returns true; fails with `what` after `ms`. */
async function eventually(what: string, probe: () => Promise<boolean>, ms = 10_000): Promise<number> {
  const start = Date.now();
  for (;;) {
    if (await probe()) return Date.now() - start;
    if (Date.now() - start > ms) assert.fail(`${what} not within ${String(ms)} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('drift of a Service, the VirtualService and a DestinationRule is corrected between ticks', async (t) => {
  const s = await canaryScenario(t, 'drift', {
    canary: { analysis: { interval: '1m', metrics: [] } },
  });
  const { env } = s;
  await waitForPhase(env, 'Initialized');
  await setImage(env, 'ghcr.io/stefanprodan/podinfo:6.0.1');
  await waitForPhase(env, 'Progressing');
  // The first step comes one interval after Progressing; the repairs below must come long before
  // the next one, so each is timed.
  await eventually(
    'first weight step',
    async () => (await virtualServiceWeights(env))?.canary === 10,
    90_000,
  );
  const client = s.operator?.deps.client;
  assert.ok(client !== undefined);
  const before = client.requests.snapshot();

  // Someone points the apex Service at the target's pods (as Flux would revert it).
  const ns = env.namespace;
  await env.core.patchNamespacedService({
    name: 'podinfo',
    namespace: ns,
    body: [{ op: 'replace', path: '/spec/selector', value: { app: 'podinfo' } }],
  });
  const selectorMs = await eventually('apex selector restored', async () => {
    const svc = await env.core.readNamespacedService({ name: 'podinfo', namespace: ns });
    return svc.spec?.selector?.['app'] === 'podinfo-primary';
  });

  // Someone deletes the canary Service and the primary DestinationRule.
  await env.core.deleteNamespacedService({ name: 'podinfo-canary', namespace: ns });
  await env.custom.deleteNamespacedCustomObject({
    group: 'networking.istio.io',
    version: 'v1beta1',
    namespace: ns,
    plural: 'destinationrules',
    name: 'podinfo-primary',
  });
  const deletedMs = await eventually('canary Service recreated', async () =>
    env.core
      .readNamespacedService({ name: 'podinfo-canary', namespace: ns })
      .then(() => true)
      .catch(() => false),
  );
  await eventually('DestinationRule recreated', async () =>
    env.custom
      .getNamespacedCustomObject({
        group: 'networking.istio.io',
        version: 'v1beta1',
        namespace: ns,
        plural: 'destinationrules',
        name: 'podinfo-primary',
      })
      .then(() => true)
      .catch(() => false),
  );

  // Someone edits the VirtualService's hosts: restored, weights kept.
  await env.custom.patchNamespacedCustomObject({
    group: 'networking.istio.io',
    version: 'v1beta1',
    namespace: ns,
    plural: 'virtualservices',
    name: 'podinfo',
    body: [{ op: 'replace', path: '/spec/hosts', value: ['elsewhere'] }],
  });
  const hostsMs = await eventually('VirtualService hosts restored', async () => {
    const vs = (await env.custom.getNamespacedCustomObject({
      group: 'networking.istio.io',
      version: 'v1beta1',
      namespace: ns,
      plural: 'virtualservices',
      name: 'podinfo',
    })) as { spec?: { hosts?: string[] } };
    return vs.spec?.hosts?.includes('podinfo') === true;
  });
  assert.equal((await virtualServiceWeights(env))?.canary, 10, 'the weights in effect are kept');
  const status = (await waitForPhase(env, 'Progressing')).raw;
  assert.equal(status['canaryWeight'], 10, 'the analysis did not advance');

  // Every repair was a write: no object was read from the API server to find the drift.
  const after = client.requests.snapshot();
  assert.equal(after.get - before.get, 0, `GETs during repairs: ${String(after.get - before.get)}`);
  t.diagnostic(
    `restored after: apex selector ${String(selectorMs)} ms, deleted Service ${String(deletedMs)} ms, VirtualService ${String(hostsMs)} ms`,
  );
});
