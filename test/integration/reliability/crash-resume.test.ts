// SIGKILL at random points of many rollouts. Each good rollout must end Succeeded with the
// primary on the new image after exactly ONE primary rollout (the Deployment controller's
// revision counter moves by one per template change), each bad one Failed with the primary
// untouched, and nothing may be stuck. RELIABILITY_ROLLOUTS (default 6; 20 for the full
// campaign) and RELIABILITY_SEED make a run repeatable.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventually } from '../../harness/cluster.js';
import { deploymentImage, readCanary, setImage } from '../../harness/canary.js';
import { spawnOperator, type OperatorProcess } from '../../harness/operator-process.js';
import { canaryScenario } from '../../harness/scenario.js';
import { startWebhookServer } from '../../harness/webhook-server.js';

const ROLLOUTS = Number(process.env['RELIABILITY_ROLLOUTS'] ?? '6');
const SEED = Number(process.env['RELIABILITY_SEED'] ?? String(Date.now() % 100_000));

/** mulberry32: a small seeded PRNG, so a failing run can be replayed with its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test(`SIGKILL at random points of ${String(ROLLOUTS)} rollouts: exactly one primary rollout per promotion`, async (t) => {
  t.diagnostic(`seed ${String(SEED)}`);
  const random = prng(SEED);
  const hooks = await startWebhookServer(t);
  const s = await canaryScenario(t, 'crash', {
    start: false,
    canary: {
      analysis: {
        interval: '1s',
        threshold: 1,
        stepWeight: 25,
        maxWeight: 50,
        metrics: [],
        webhooks: [{ name: 'acceptance', type: 'rollout', url: hooks.url('/check'), timeout: '5s' }],
      },
    },
  });
  const { env } = s;
  let op: OperatorProcess = spawnOperator(t, env, []);
  const status = async (): Promise<{ phase?: string; lastAppliedSpec?: string }> =>
    (await readCanary(env))['status'] ?? {};
  const primaryRevision = async (): Promise<number> => {
    const d = await env.apps.readNamespacedDeployment({ name: 'podinfo-primary', namespace: env.namespace });
    return Number(d.metadata?.annotations?.['deployment.kubernetes.io/revision'] ?? '0');
  };
  await eventually(
    'Initialized',
    async () => ((await status()).phase === 'Initialized' ? true : undefined),
    60_000,
  );

  let kills = 0;
  let promoted = 'ghcr.io/stefanprodan/podinfo:6.0.0';
  for (let i = 1; i <= ROLLOUTS; i++) {
    const good = i % 3 !== 0;
    hooks.setStatus('/check', good ? 200 : 500);
    const image = `ghcr.io/stefanprodan/podinfo:6.1.${String(i)}`;
    const revisionBefore = await primaryRevision();
    const previousSpec = (await status()).lastAppliedSpec;
    await setImage(env, image);
    // One or two kills at random moments of the rollout (about 6 s of 1 s ticks).
    const killsThisRollout = 1 + Math.floor(random() * 2);
    for (let k = 0; k < killsThisRollout; k++) {
      await new Promise((r) => setTimeout(r, Math.floor(random() * 3000)));
      op.kill();
      kills++;
      await eventually('operator exited', () =>
        op.child.exitCode !== null || op.child.signalCode !== null ? true : undefined,
      );
      op = spawnOperator(t, env, []);
    }
    const want = good ? 'Succeeded' : 'Failed';
    const end = await eventually(
      `rollout ${String(i)} ${want}`,
      async () => {
        const st = await status();
        return st.lastAppliedSpec !== previousSpec && (st.phase === 'Succeeded' || st.phase === 'Failed')
          ? st.phase
          : undefined;
      },
      90_000,
    );
    assert.equal(end, want, `rollout ${String(i)} (${good ? 'good' : 'bad'}) ended ${end}`);
    if (good) promoted = image;
    assert.equal(
      await deploymentImage(env, 'podinfo-primary'),
      promoted,
      `primary image after rollout ${String(i)}`,
    );
    // Let a late duplicate promotion show up if there were one, then count template changes.
    await eventually('primary rolled out', async () => {
      const d = await env.apps.readNamespacedDeployment({
        name: 'podinfo-primary',
        namespace: env.namespace,
      });
      return d.status?.observedGeneration === d.metadata?.generation ? true : undefined;
    });
    assert.equal(
      (await primaryRevision()) - revisionBefore,
      good ? 1 : 0,
      `primary rollouts for rollout ${String(i)} (${good ? 'promoted' : 'rolled back'})`,
    );
  }
  t.diagnostic(`${String(ROLLOUTS)} rollouts, ${String(kills)} SIGKILLs`);
});
