// A clean SIGTERM in the middle of a rollout (a reconcile waiting on a webhook) ends the
// process within the shutdown grace, logs no error, and the next operator resumes the run.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventually } from '../../harness/cluster.js';
import { readCanary, setImage, waitForPhase } from '../../harness/canary.js';
import { spawnOperator } from '../../harness/operator-process.js';
import { canaryScenario } from '../../harness/scenario.js';
import { startWebhookServer } from '../../harness/webhook-server.js';

test('SIGTERM during a reconcile exits cleanly without error logs, and the rollout resumes', async (t) => {
  const hooks = await startWebhookServer(t);
  hooks.hang('/load');
  const s = await canaryScenario(t, 'term', {
    start: false,
    canary: {
      analysis: {
        interval: '1s',
        stepWeight: 50,
        maxWeight: 50,
        metrics: [],
        webhooks: [{ name: 'load', type: 'rollout', url: hooks.url('/load'), timeout: '30s' }],
      },
    },
  });
  const { env } = s;
  const phase = async (): Promise<string | undefined> =>
    ((await readCanary(env))['status'] as { phase?: string } | undefined)?.phase;
  const first = spawnOperator(t, env, []);
  await waitForPhase(env, 'Initialized');
  await setImage(env, 'ghcr.io/stefanprodan/podinfo:6.0.1');
  await eventually('a reconcile is waiting on the webhook', () =>
    hooks.count('/load') > 0 ? true : undefined,
  );

  const stopping = Date.now();
  first.child.kill('SIGTERM');
  await eventually('operator exited', () => (first.child.exitCode !== null ? true : undefined), 20_000);
  const took = Date.now() - stopping;
  const errors = first.logs.filter((l) => typeof l['level'] === 'number' && l['level'] >= 50);
  assert.deepEqual(errors, [], 'no error-level log lines on a clean shutdown');
  t.diagnostic(`exited ${String(took)} ms after SIGTERM with code ${String(first.child.exitCode)}`);

  // The next operator finishes the rollout once the webhook answers.
  hooks.setStatus('/load', 200);
  hooks.release('/load');
  spawnOperator(t, env, []);
  await eventually('Succeeded', async () => ((await phase()) === 'Succeeded' ? true : undefined), 60_000);
});
