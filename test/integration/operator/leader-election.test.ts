// High availability: two operator processes share a Lease; the leader is SIGKILLed in
// the middle of a rollout and the standby takes over within the lease time and finishes
// it, without repeating the pre-rollout hook that had already passed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventually } from '../../harness/cluster.js';
import {
  canaryStatus,
  recordWhile,
  setImage,
  virtualServiceWeights,
  waitForPhase,
} from '../../harness/canary.js';
import { spawnOperator, type OperatorProcess } from '../../harness/operator-process.js';
import { canaryScenario } from '../../harness/scenario.js';
import { startWebhookServer } from '../../harness/webhook-server.js';

const LEASE_MS = 4000;

async function reconciles(op: OperatorProcess): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${String(await op.port())}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('flagger_ts_reconciles_total{result="success"}'));
  return line === undefined ? 0 : Number(line.split(' ').pop());
}

test('the standby takes over a rollout when the leader is killed', async (t) => {
  const hooks = await startWebhookServer(t);
  const s = await canaryScenario(t, 'ha', {
    start: false,
    canary: {
      analysis: {
        interval: '2s',
        stepWeight: 10,
        maxWeight: 50,
        webhooks: [
          { name: 'smoke', type: 'pre-rollout', url: hooks.url('/pre') },
          { name: 'load', type: 'rollout', url: hooks.url('/rollout') },
        ],
      },
    },
  });
  const { env } = s;
  const ns = env.namespace;
  const args = [
    '--enable-leader-election',
    '--leader-election-namespace',
    ns,
    '--leader-election-lease-duration',
    `${String(LEASE_MS)}ms`,
  ];
  const first = spawnOperator(t, env, args);
  await first.port();
  const second = spawnOperator(t, env, args);
  await second.port();
  const lease = async (): Promise<{ holder: string; transitions: number }> => {
    const l = await env.kube.get({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      namespace: ns,
      name: 'flagger-ts-leader-election',
    });
    const spec = (l?.['spec'] ?? {}) as { holderIdentity?: string; leaseTransitions?: number };
    return { holder: spec.holderIdentity ?? '', transitions: spec.leaseTransitions ?? 0 };
  };
  const holderPid = async (): Promise<number | undefined> => {
    const m = /-(\d+)$/.exec((await lease()).holder);
    return m ? Number(m[1]) : undefined;
  };

  await waitForPhase(env, 'Initialized');
  const leaderPid = await eventually('a leader', holderPid);
  const [leader, standby] = leaderPid === first.pid ? [first, second] : [second, first];
  assert.equal(leaderPid, leader.pid);
  assert.equal(await reconciles(standby), 0, 'the standby does not reconcile');

  const weights = recordWhile(async () => (await virtualServiceWeights(env))?.canary ?? -1, 100);
  await setImage(env, 'ghcr.io/stefanprodan/podinfo:6.0.1');
  await eventually(
    'weight 20',
    async () => ((await canaryStatus(env)).canaryWeight === 20 ? true : undefined),
    60_000,
  );
  assert.equal(hooks.count('/pre'), 1);

  const before = await lease();
  leader.kill();
  const killedAt = Date.now();
  await eventually(
    'the standby holds the lease',
    async () => ((await holderPid()) === standby.pid ? true : undefined),
    30_000,
  );
  const takeoverMs = Date.now() - killedAt;
  assert.ok(
    takeoverMs <= LEASE_MS + 3000,
    `took over in ${String(takeoverMs)} ms (lease ${String(LEASE_MS)} ms)`,
  );
  assert.equal((await lease()).transitions, before.transitions + 1);

  const done = await waitForPhase(env, 'Succeeded', 90_000);
  await weights.stop();
  assert.equal(done.failedChecks, 0);
  assert.equal(
    hooks.count('/pre'),
    1,
    'the pre-rollout hook that passed before the kill is not called again',
  );
  assert.ok((await reconciles(standby)) > 0, 'the standby reconciled after taking over');
  // The rollout continued where it was: canary weights only went up until promotion.
  const seen = weights.values.filter((w) => w > 0);
  const peak = seen.indexOf(Math.max(...seen));
  for (let i = 1; i <= peak; i++)
    assert.ok((seen[i] ?? 0) >= (seen[i - 1] ?? 0), `weights ${seen.join(',')}`);
  assert.equal(Math.max(...seen), 50);
  t.diagnostic(
    `takeover ${String(takeoverMs)} ms; weights ${seen.join(' → ')}; rollout hook calls ${String(hooks.count('/rollout'))}`,
  );
});
