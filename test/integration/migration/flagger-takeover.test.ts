// Taking canaries over from the REAL Flagger v1.44.0 (issue 10 item 4): Flagger brings
// canaries to Succeeded, leaves one Initialized and one mid-analysis, and is stopped;
// flagger-ts starts and analyses none of the unchanged ones again (no "New revision",
// targets stay at 0 replicas, phases stay), continues the one in flight from Flagger's
// iteration, and still analyses a real new revision afterwards.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canaryStatus, deploymentReplicas, setImage, waitForPhase } from '../../harness/canary.js';
import { eventually, testEnv, type TestEnv } from '../../harness/cluster.js';
import { podinfoCanary, podinfoDeployment } from '../../harness/fixtures.js';
import { startTestOperator } from '../../harness/operator.js';
import { applyThirdPartyCrds } from '../../harness/third-party-crds.js';
import { startFlagger } from './flagger-process.js';

const IMAGE = 'ghcr.io/stefanprodan/podinfo:6.0.0';

async function app(env: TestEnv, name: string, iterations: number): Promise<void> {
  await env.kube.create({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: env.namespace, labels: { app: name } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name }, annotations: { 'prometheus.io/scrape': 'true' } },
        spec: { containers: [{ name: 'app', image: IMAGE, ports: [{ name: 'http', containerPort: 9898 }] }] },
      },
    },
  });
  // Blue/green on plain Services: Flagger's `kubernetes` provider, no metrics.
  await env.kube.create({
    apiVersion: 'flagger.app/v1beta1',
    kind: 'Canary',
    metadata: { name, namespace: env.namespace },
    spec: {
      provider: 'kubernetes',
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
      progressDeadlineSeconds: 120,
      service: { port: 9898 },
      analysis: { interval: '2s', threshold: 3, iterations },
    },
  });
}

interface Seen {
  phase: string;
  iterations: number;
  lastAppliedSpec: string;
}

async function seen(env: TestEnv, name: string): Promise<Seen> {
  const s = await canaryStatus(env, name);
  return {
    phase: s.phase,
    iterations: s.iterations,
    lastAppliedSpec: typeof s.raw['lastAppliedSpec'] === 'string' ? s.raw['lastAppliedSpec'] : '',
  };
}

async function reasons(env: TestEnv, name: string): Promise<string[]> {
  const list = await env.core.listNamespacedEvent({ namespace: env.namespace });
  return list.items
    .filter((e) => e.involvedObject.kind === 'Canary' && e.involvedObject.name === name)
    .map((e) => `${e.reason ?? ''}: ${e.message ?? ''}`);
}

test('canaries Flagger left Succeeded, Initialized or mid-analysis are taken over without a new analysis', async (t) => {
  const env = await testEnv(t, 'takeover');
  await app(env, 'app-a', 2);
  await app(env, 'app-b', 2);
  await app(env, 'app-c', 2);
  await app(env, 'app-mid', 10_000);

  // 1. The real Flagger: everything Initialized, then a and b promoted, mid left analysing.
  const flagger = await startFlagger(t, env, 'kubernetes');
  for (const n of ['app-a', 'app-b', 'app-c', 'app-mid']) await waitForPhase(env, 'Initialized', 120_000, n);
  await setImage(env, 'ghcr.io/stefanprodan/podinfo:6.0.1', 'app-a');
  await setImage(env, 'ghcr.io/stefanprodan/podinfo:6.0.2', 'app-b');
  await setImage(env, 'ghcr.io/stefanprodan/podinfo:6.0.1', 'app-mid');
  for (const n of ['app-a', 'app-b']) await waitForPhase(env, 'Succeeded', 180_000, n);
  await eventually(
    'app-mid mid-analysis under Flagger',
    async () => {
      const s = await seen(env, 'app-mid');
      return s.phase === 'Progressing' && s.iterations >= 2 ? s : undefined;
    },
    120_000,
  );
  await flagger.stop();
  const before = new Map<string, Seen>();
  for (const n of ['app-a', 'app-b', 'app-c', 'app-mid']) before.set(n, await seen(env, n));
  // Flagger's hash shape (takeover.ts relies on it): 8-10 of [456789bcdf].
  for (const [n, s] of before)
    assert.match(s.lastAppliedSpec, /^[456789bcdf]{8,10}$/, `${n}: ${s.lastAppliedSpec}`);

  // 2. flagger-ts takes over.
  await startTestOperator(t, env, { meshProvider: 'kubernetes' });
  // Evidence that flagger-ts has acted, not a fixed wait: each canary adopted (an Event says so)
  // and app-mid two iterations further on, i.e. analysis intervals later, when an unwanted
  // analysis of the others would already show.
  for (const n of ['app-a', 'app-b', 'app-c', 'app-mid']) {
    await eventually(
      `${n} adopted`,
      async () => ((await reasons(env, n)).some((r) => r.startsWith('FlaggerTakeover')) ? true : undefined),
      60_000,
    );
  }
  const midBefore = before.get('app-mid')?.iterations ?? 0;
  await eventually(
    'app-mid two iterations on under flagger-ts',
    async () => ((await seen(env, 'app-mid')).iterations >= midBefore + 2 ? true : undefined),
    60_000,
  );
  for (const n of ['app-a', 'app-b', 'app-c']) {
    const now = await seen(env, n);
    assert.equal(now.phase, before.get(n)?.phase, `${n} phase`);
    assert.notEqual(now.lastAppliedSpec, before.get(n)?.lastAppliedSpec, `${n} hash adopted`);
    assert.equal(await deploymentReplicas(env, n), 0, `${n} target scaled up again`);
    const r = await reasons(env, n);
    // flagger-ts's own reason; Flagger's events of step 1 all have reason Synced.
    assert.ok(!r.some((x) => x.startsWith('NewRevision')), `${n}: ${r.join(' | ')}`);
  }
  // The one in flight continues from Flagger's iteration instead of starting over.
  const mid = await seen(env, 'app-mid');
  assert.equal(mid.phase, 'Progressing');
  assert.ok(mid.iterations > (before.get('app-mid')?.iterations ?? 0), `iterations ${mid.iterations}`);
  assert.ok(
    !(await reasons(env, 'app-mid')).some((x) => x.startsWith('NewRevision')),
    'app-mid restarted as a new revision',
  );

  // 3. A real new revision is still analysed (the takeover did not just freeze everything).
  await setImage(env, 'ghcr.io/stefanprodan/podinfo:6.0.3', 'app-a');
  await waitForPhase(env, 'Progressing', 60_000, 'app-a');
  await waitForPhase(env, 'Succeeded', 120_000, 'app-a');
});

test('a canary Flagger left at a traffic weight on Istio continues from that weight', async (t) => {
  const env = await testEnv(t, 'takeover-istio');
  await applyThirdPartyCrds(env.cluster, 'istio');
  await env.kube.create(podinfoDeployment(env.namespace));
  // No metrics: each 3 s tick adds 10 points; stopped on the way to 90.
  await env.kube.create(
    podinfoCanary(env.namespace, {
      analysis: { interval: '3s', threshold: 5, stepWeight: 10, maxWeight: 90, metrics: [] },
    }),
  );
  const flagger = await startFlagger(t, env, 'istio');
  await waitForPhase(env, 'Initialized', 120_000);
  await setImage(env, 'ghcr.io/stefanprodan/podinfo:6.0.1');
  const left = await eventually(
    'Flagger at weight 20+',
    async () => {
      const s = await canaryStatus(env);
      return s.phase === 'Progressing' && s.canaryWeight >= 20 ? s : undefined;
    },
    120_000,
  );
  await flagger.stop();
  const at = (await canaryStatus(env)).canaryWeight;
  assert.ok(at >= left.canaryWeight);

  await startTestOperator(t, env, { meshProvider: 'istio' });
  // Every weight seen from now until promotion: a restart would show 0 or 10 again.
  const weights: number[] = [];
  const end = await eventually(
    'promotion after the takeover',
    async () => {
      const s = await canaryStatus(env);
      if (s.phase === 'Progressing') weights.push(s.canaryWeight);
      return s.phase === 'Succeeded' ? s : undefined;
    },
    120_000,
  );
  assert.equal(end.phase, 'Succeeded');
  assert.ok(
    weights.length > 0 && Math.min(...weights) >= at,
    `weights after takeover at ${at}: ${weights.join(',')}`,
  );
  assert.ok(weights.includes(90) || weights.some((w) => w > at), `never advanced: ${weights.join(',')}`);
  const r = await reasons(env, 'podinfo');
  assert.ok(
    r.some((x) => x.startsWith('FlaggerTakeover')),
    r.join(' | '),
  );
  assert.ok(!r.some((x) => x.startsWith('NewRevision')), r.join(' | '));
});
