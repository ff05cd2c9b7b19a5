// Two operator replicas with leader election; the leader is SIGKILLed at a random moment of each
// of several rollouts and replaced by a fresh replica (as a Deployment would restart the pod), so
// two always run. Exactly one may act at a time: a standby never reconciles, and no replica
// starts leading before the previous leader is dead. The standby takes over within the lease
// duration, every rollout ends in the right phase, and each promoted revision rolls the primary
// out exactly once. RELIABILITY_FAILOVER_ROLLOUTS (default 3; 10 for the full campaign) and
// RELIABILITY_SEED make a run repeatable.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventually, sleep, type TestEnv } from '../../harness/cluster.js';
import { deploymentImage, setImage, waitForPhase } from '../../harness/canary.js';
import { spawnOperator, type OperatorProcess } from '../../harness/operator-process.js';
import { canaryScenario } from '../../harness/scenario.js';
import { startWebhookServer } from '../../harness/webhook-server.js';
import {
  primaryRevision,
  rolloutDiagnosis,
  primarySettled,
  rolloutEnd,
  rolloutStatus,
} from './rollout-checks.js';

const ROLLOUTS = Number(process.env['RELIABILITY_FAILOVER_ROLLOUTS'] ?? '3');
const SEED = Number(process.env['RELIABILITY_SEED'] ?? String(Date.now() % 100_000));
const LEASE_MS = 3000;

/** The same seeded PRNG as crash-resume, so a failing run replays with its seed. */
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

/** flagger_ts_reconciles_total of one replica, or undefined when it does not answer (dead, starting). */
async function reconciles(op: OperatorProcess): Promise<number | undefined> {
  try {
    const port = await op.port();
    const text = await (await fetch(`http://127.0.0.1:${String(port)}/metrics`)).text();
    return text
      .split('\n')
      .filter((l) => l.startsWith('flagger_ts_reconciles_total{'))
      .reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
  } catch {
    return undefined;
  }
}

const alive = (op: OperatorProcess): boolean => op.child.exitCode === null && op.child.signalCode === null;

/** When the replica logged that it became leader (ISO time, ms precision), if it did. */
function ledSince(op: OperatorProcess): number | undefined {
  const line = op.logs.find((l) => l['msg'] === 'became leader; starting to reconcile');
  return typeof line?.['time'] === 'string' ? Date.parse(line['time']) : undefined;
}

async function lease(env: TestEnv): Promise<{ pid?: number; acquired: number }> {
  const l = await env.kube.get({
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    namespace: env.namespace,
    name: 'flagger-ts-leader-election',
  });
  const spec = (l?.['spec'] ?? {}) as { holderIdentity?: string; acquireTime?: string };
  const m = /-(\d+)$/.exec(spec.holderIdentity ?? '');
  return { ...(m ? { pid: Number(m[1]) } : {}), acquired: Date.parse(spec.acquireTime ?? '') };
}

async function holderPid(env: TestEnv): Promise<number | undefined> {
  return (await lease(env)).pid;
}

test(`leader SIGKILLed in each of ${String(ROLLOUTS)} rollouts: one actor at a time, takeover within the lease`, async (t) => {
  t.diagnostic(`seed ${String(SEED)}`);
  const random = prng(SEED);
  const hooks = await startWebhookServer(t);
  const s = await canaryScenario(t, 'failover', {
    start: false,
    canary: {
      analysis: {
        interval: '1s',
        threshold: 1,
        stepWeight: 25,
        maxWeight: 50,
        webhooks: [{ name: 'acceptance', type: 'rollout', url: hooks.url('/check'), timeout: '5s' }],
      },
    },
  });
  const { env } = s;
  const args = [
    '--enable-leader-election',
    '--leader-election-namespace',
    env.namespace,
    '--leader-election-lease-duration',
    `${String(LEASE_MS)}ms`,
  ];
  const replicas: OperatorProcess[] = [spawnOperator(t, env, args), spawnOperator(t, env, args)];
  const spawnedAt = new Map<number, number>(replicas.map((op) => [op.pid, Date.now()]));

  // Watches the invariant the whole time: among live replicas, only the Lease holder has reconciled.
  const violations: string[] = [];
  const watching = { on: true };
  const watcher = (async () => {
    while (watching.on) {
      const holder = await holderPid(env).catch(() => undefined);
      for (const op of replicas.filter(alive)) {
        const n = await reconciles(op);
        // A leader that lost its lease exits; until it has, its count stays what it was.
        if (
          n !== undefined &&
          n > 0 &&
          holder !== undefined &&
          op.pid !== holder &&
          ledSince(op) === undefined
        )
          violations.push(`replica ${String(op.pid)} reconciled ${String(n)} times without leading`);
      }
      await sleep(250);
    }
  })();
  t.after(async () => {
    watching.on = false;
    await watcher;
  });

  await waitForPhase(env, 'Initialized');
  const takeovers: number[] = [];
  const details: string[] = [];
  for (let i = 1; i <= ROLLOUTS; i++) {
    const good = i % 3 !== 0;
    hooks.setStatus('/check', good ? 200 : 500);
    const image = `ghcr.io/stefanprodan/podinfo:6.4.${String(i)}`;
    const revisionBefore = await primaryRevision(env);
    const imageBefore = await deploymentImage(env, 'podinfo-primary');
    const previousSpec = (await rolloutStatus(env)).lastAppliedSpec;
    await setImage(env, image);
    await sleep(Math.floor(random() * 3000)); // a random moment of the ~5 s rollout

    const leaderPid = await eventually('a lease holder', () => holderPid(env));
    const leader = replicas.find((op) => op.pid === leaderPid && alive(op));
    assert.ok(leader, `the lease holder ${String(leaderPid)} is one of the live replicas`);
    leader.kill();
    const killedAt = Date.now();
    await eventually('leader exited', () => (alive(leader) ? undefined : true));
    const replacement = spawnOperator(t, env, args);
    replicas.push(replacement);
    spawnedAt.set(replacement.pid, Date.now());
    const next = await eventually(
      'another replica holds the lease',
      async () => {
        const pid = await holderPid(env);
        return pid !== undefined && pid !== leader.pid ? pid : undefined;
      },
      LEASE_MS * 5,
    );
    // From the kill to the successor's acquireTime: when it took over, not when this test looked.
    takeovers.push((await lease(env)).acquired - killedAt);
    const sAge = killedAt - (spawnedAt.get(next) ?? killedAt);
    const warns = replicas
      .find((op) => op.pid === next)
      ?.logs.filter((l) => l['msg'] === 'leader election')
      .map((l) => String(l['err']));
    details.push(
      `kill ${String(i)}: successor ${String(next)} aged ${String(sAge)} ms; election warnings ${JSON.stringify(warns)}`,
    );
    const successor = replicas.find((op) => op.pid === next);
    assert.ok(successor, `the new holder ${String(next)} is one of ours`);
    // No overlap: the successor started leading only after the old leader was dead.
    const since = await eventually('successor logged its leadership', () => ledSince(successor));
    assert.ok(
      since >= killedAt - 50,
      `replica ${String(next)} led from ${String(since)}, the old leader died at ${String(killedAt)}`,
    );

    const end = await rolloutEnd(env, previousSpec, 90_000).catch(async (err: unknown) => {
      throw new Error(`rollout ${String(i)}: ${String(err)}; ${await rolloutDiagnosis(env)}`);
    });
    assert.equal(end, good ? 'Succeeded' : 'Failed', `rollout ${String(i)}`);
    assert.equal(await deploymentImage(env, 'podinfo-primary'), good ? image : imageBefore);
    await primarySettled(env);
    assert.equal(
      (await primaryRevision(env)) - revisionBefore,
      good ? 1 : 0,
      `primary rollouts for rollout ${String(i)}`,
    );
  }
  watching.on = false;
  await watcher;
  assert.deepEqual(violations, [], 'a standby reconciled');
  // Takeover within the lease: the standby sees the record unchanged for LEASE_MS, then acquires
  // at its next retry (LEASE_MS / 6), so ≈ LEASE_MS + 1 s. Alone this measured 2.7–3.6 s; with
  // the suite's files running 4 at a time one takeover took 7.1 s (API and event-loop latency on
  // 2 busy cores), and a cold CI run beside other builds (load 15) saw 10.0 s once. So: the
  // typical (median) takeover within the lease + 1.5 s; a single slow one only has to happen at
  // all (bounded by the wait above), since its length measures the machine, not the election.
  const sorted = [...takeovers].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  const why = `takeovers ${takeovers.join(', ')} ms (lease ${String(LEASE_MS)} ms); ${details.join('; ')}`;
  assert.ok(median <= LEASE_MS + 1500, `median takeover ${String(median)} ms; ${why}`);
  const leaders = replicas.filter((op) => ledSince(op) !== undefined).length;
  // One leadership per kill plus the first; a renewal missed on a loaded machine may add one.
  assert.ok(leaders >= ROLLOUTS + 1 && leaders <= ROLLOUTS + 2, `${String(leaders)} replicas led`);
  t.diagnostic(
    `takeovers ${takeovers.join(', ')} ms; ${String(replicas.length)} replicas started, ${String(leaders)} led`,
  );
});
