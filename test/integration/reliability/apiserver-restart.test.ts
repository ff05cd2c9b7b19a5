// kube-apiserver restarted in the middle of rollouts, on a cluster of this file's own (the shared
// one serves other tests): once killed hard (SIGKILL: every connection reset) and once stopped
// cleanly (SIGTERM: watches closed by the server). The operator — a separate process, as in a
// pod — must stay up (no crash loop), re-establish its watches, finish each rollout with exactly
// one primary rollout, and still notice a new revision from the watch after the last restart.
// RELIABILITY_APISERVER_RESTARTS (default 2; 6 for the full campaign) and RELIABILITY_APISERVER_DOWN_MS
// (default 3000) set how many rollouts get a restart and how long the API server stays down. Keep
// the whole outage under KWOK's 40 s node lease: beyond it the nodes go NotReady, the canary's
// pods are unavailable, and its progress deadline legitimately rolls it back (seen at 15 s down
// + 30 s drain on the loaded machine).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventually } from '../../harness/cluster.js';
import { deploymentImage, setImage, waitForPhase } from '../../harness/canary.js';
import { spawnOperator } from '../../harness/operator-process.js';
import { canaryScenario } from '../../harness/scenario.js';
import { startWebhookServer } from '../../harness/webhook-server.js';
import { apiserverBack, privateCluster, restartComponent } from './private-cluster.js';
import {
  primaryRevision,
  rolloutDiagnosis,
  primarySettled,
  rolloutEnd,
  rolloutStatus,
} from './rollout-checks.js';

const DOWN_MS = Number(process.env['RELIABILITY_APISERVER_DOWN_MS'] ?? '3000');
/** Rollouts, each with one restart, alternating SIGKILL and SIGTERM. */
const RESTARTS = Number(process.env['RELIABILITY_APISERVER_RESTARTS'] ?? '2');
/** How long a SIGTERMed API server may drain before it is killed (the kubelet's grace period). */
const GRACE_MS = Number(process.env['RELIABILITY_APISERVER_GRACE_MS'] ?? '10000');
/**
 * The analysis must resume soon after the API server is back: when an informer's watch opens
 * again, reconciles waiting out a failure back-off run at once (WorkQueue.retryFailedNow). The
 * bound is generous for the loaded CI machine (a restarted API server itself may take seconds
 * to serve watches); before that fix one resume took 13.4 s.
 */
const RESUME_BOUND_MS = 20_000;

test('kube-apiserver restarted mid-rollout: the operator recovers and promotes exactly once', async (t) => {
  const cluster = await privateCluster(t, 'reliability-apiserver');
  const hooks = await startWebhookServer(t);
  const s = await canaryScenario(t, 'apiserver', {
    start: false,
    canary: {
      // Flagger's default deadline, not the fixture's 60 s: after a restart KWOK and the Deployment
      // controller on the loaded machine took over a minute to report the pods available again,
      // and the canary was (rightly) rolled back for it; pod readiness is not what this tests.
      spec: { progressDeadlineSeconds: 600 },
      analysis: {
        interval: '2s',
        threshold: 5,
        stepWeight: 20,
        maxWeight: 60,
        webhooks: [{ name: 'acceptance', type: 'rollout', url: hooks.url('/check'), timeout: '5s' }],
      },
    },
  });
  const { env } = s;
  const op = spawnOperator(t, env, []);
  await waitForPhase(env, 'Initialized');

  const restarts: {
    signal: NodeJS.Signals;
    atWeight: number;
    exitedBySignal: boolean;
    readyAfterMs: number;
    resumedMs: number;
  }[] = [];
  const signals = Array.from({ length: RESTARTS }, (_, i): NodeJS.Signals =>
    i % 2 === 0 ? 'SIGKILL' : 'SIGTERM',
  );
  for (const [i, signal] of signals.entries()) {
    const image = `ghcr.io/stefanprodan/podinfo:6.2.${String(i)}`;
    const revisionBefore = await primaryRevision(env);
    const previousSpec = (await rolloutStatus(env)).lastAppliedSpec;
    await setImage(env, image);
    // Mid-rollout: traffic already shifted, promotion still ahead.
    const atWeight = await eventually(
      'canary weight 20',
      async () => {
        const w = (await rolloutStatus(env)).canaryWeight ?? 0;
        return w >= 20 ? w : undefined;
      },
      60_000,
    );
    const stopped = Date.now();
    const { exitedBySignal } = await restartComponent(cluster, 'kube-apiserver', {
      signal,
      downMs: DOWN_MS,
      graceMs: GRACE_MS,
    });
    await apiserverBack(cluster);
    const back = Date.now();
    // Resumed: an analysis step stamped after the API server came back (second precision).
    await eventually(
      'an analysis step after the restart',
      async () =>
        Date.parse((await rolloutStatus(env)).lastAnalysisTime ?? '') >= back - 1000 ? true : undefined,
      60_000,
    );
    const resumedMs = Date.now() - back;
    restarts.push({ signal, atWeight, exitedBySignal, readyAfterMs: back - stopped, resumedMs });
    assert.ok(
      resumedMs <= RESUME_BOUND_MS,
      `analysis resumed ${String(resumedMs)} ms after the API server was back`,
    );

    const end = await rolloutEnd(env, previousSpec, 120_000).catch(async (err: unknown) => {
      throw new Error(`rollout ${String(i)}: ${String(err)}; ${await rolloutDiagnosis(env)}`);
    });
    assert.equal(end, 'Succeeded', `rollout ${String(i)}: ${await rolloutDiagnosis(env)}`);
    assert.equal(await deploymentImage(env, 'podinfo-primary'), image);
    await primarySettled(env);
    assert.equal((await primaryRevision(env)) - revisionBefore, 1, `one primary rollout for ${image}`);
  }

  // The Deployment watch is back: an idle canary is only woken by it (no polling).
  const woken = Date.now();
  await setImage(env, 'ghcr.io/stefanprodan/podinfo:6.2.9');
  await eventually(
    'the new revision noticed from the watch',
    async () => ((await rolloutStatus(env)).phase === 'Progressing' ? true : undefined),
    30_000,
  );
  const noticedMs = Date.now() - woken;

  assert.equal(op.child.exitCode, null, 'the operator never exited');
  assert.equal(op.child.signalCode, null);
  const interrupted = op.logs.filter((l) => l['msg'] === 'watch interrupted; re-establishing').length;
  assert.ok(interrupted > 0, 'the operator saw its watches break');
  const fatal = op.logs.filter((l) => typeof l['level'] === 'number' && l['level'] >= 60);
  assert.deepEqual(fatal, [], 'no fatal log lines');
  t.diagnostic(
    `restarts ${restarts.map((r) => `${r.signal} at weight ${String(r.atWeight)} (${r.exitedBySignal ? 'exited' : 'killed after the grace'}), back after ${String(r.readyAfterMs)} ms, resumed ${String(r.resumedMs)} ms later`).join('; ')}; ` +
      `${String(interrupted)} watch interruptions logged; new revision noticed in ${String(noticedMs)} ms`,
  );
});
