// A conflict storm: while rollouts progress, other writers patch the Canary (annotations, a
// harmless spec field, a condition of their own in the status), its target Deployment and the
// primary, by merge patch and by read-modify-write PUTs that 409 whenever the operator wrote
// in between (a correct co-writer: it retries from a fresh read). The operator must end each
// rollout in the right phase, never promote twice (one primary rollout per promoted revision),
// and never lose status: every Canary version the watch delivers is checked for regressions.
// RELIABILITY_STORM_WRITERS (default 1 of each kind; 2 for the full campaign) scales the storm.
import assert from 'node:assert/strict';
import { ApiException, Watch } from '@kubernetes/client-node';
import { test } from 'node:test';
import { isConflict } from '../../../src/kube/errors.js';
import type { KubeObject, ObjectRef } from '../../../src/kube/types.js';
import { sleep, type TestEnv } from '../../harness/cluster.js';
import { deploymentImage, waitForPhase } from '../../harness/canary.js';
import { spawnOperator } from '../../harness/operator-process.js';
import { canaryScenario } from '../../harness/scenario.js';
import { startWebhookServer } from '../../harness/webhook-server.js';
import {
  primaryRevision,
  rolloutDiagnosis,
  primarySettled,
  rolloutEnd,
  rolloutStatus,
  type RolloutStatus,
} from './rollout-checks.js';

const WRITERS = Number(process.env['RELIABILITY_STORM_WRITERS'] ?? '1');

interface Storm {
  readonly writes: Map<string, number>;
  readonly conflicts: Map<string, number>;
  stop(): Promise<void>;
}

type Write = (n: number) => Promise<unknown>;

/** Each writer loops with 30–150 ms pauses until stopped; a 409 is counted and the next turn reads again. */
function startStorm(env: TestEnv): Storm {
  const ns = env.namespace;
  const ref = (kind: string, name: string): ObjectRef => ({
    apiVersion: kind === 'Canary' ? 'flagger.app/v1beta1' : 'apps/v1',
    kind,
    namespace: ns,
    name,
  });
  const annotate = (r: ObjectRef, n: number): Promise<unknown> =>
    env.kube.mergePatch(r, { metadata: { annotations: { 'storm/patch': String(n) } } });
  const read = async (r: ObjectRef): Promise<KubeObject> => {
    const obj = await env.kube.get(r);
    if (obj === undefined) throw new Error(`${r.kind} ${r.name} is gone`);
    return obj;
  };
  const writers: Record<string, Write> = {
    'canary annotations (merge patch)': (n) => annotate(ref('Canary', 'podinfo'), n),
    'canary spec (read-modify-write)': async (n) => {
      const c = await read(ref('Canary', 'podinfo'));
      // A field the analysis does not read: the spec changes (new generation), the rollout must not.
      (c['spec'] as Record<string, unknown>)['progressDeadlineSeconds'] = 60 + (n % 2);
      c.metadata.annotations = { ...c.metadata.annotations, 'storm/put': String(n) };
      return env.kube.replace(c);
    },
    'canary status condition (read-modify-write)': async (n) => {
      // A second controller adding a condition of its own, through the status subresource.
      const c = await read(ref('Canary', 'podinfo'));
      const status = (c['status'] ?? {}) as { conditions?: { type: string }[] };
      const others = (status.conditions ?? []).filter((x) => x.type !== 'StormReviewed');
      const conditions = [...others, { type: 'StormReviewed', status: 'True', message: String(n) }];
      await env.custom.replaceNamespacedCustomObjectStatus({
        group: 'flagger.app',
        version: 'v1beta1',
        namespace: ns,
        plural: 'canaries',
        name: 'podinfo',
        body: { ...c, status: { ...status, conditions } },
      });
    },
    'target annotations (merge patch)': (n) => annotate(ref('Deployment', 'podinfo'), n),
    'target labels (read-modify-write)': async (n) => {
      const d = await read(ref('Deployment', 'podinfo'));
      d.metadata.labels = { ...d.metadata.labels, 'storm-put': String(n % 5) };
      return env.kube.replace(d);
    },
    'primary annotations (merge patch)': (n) => annotate(ref('Deployment', 'podinfo-primary'), n),
  };
  const writes = new Map<string, number>();
  const conflicts = new Map<string, number>();
  const state = { running: true };
  const loops = Object.entries(writers).flatMap(([name, write]) =>
    Array.from({ length: WRITERS }, async () => {
      for (let n = 0; state.running; n++) {
        try {
          await write(n);
          writes.set(name, (writes.get(name) ?? 0) + 1);
        } catch (err) {
          const code = err instanceof ApiException ? err.code : undefined;
          if (isConflict(err) || code === 409) conflicts.set(name, (conflicts.get(name) ?? 0) + 1);
          else throw err;
        }
        await sleep(30 + Math.floor(Math.random() * 120));
      }
    }),
  );
  const all = Promise.all(loops);
  return {
    writes,
    conflicts,
    stop: async () => {
      state.running = false;
      await all;
    },
  };
}

/** Every status the watch delivers, in order. */
async function watchStatuses(env: TestEnv): Promise<{ seen: RolloutStatus[]; stop: () => void }> {
  const seen: RolloutStatus[] = [];
  const ctl = await new Watch(env.kc).watch(
    `/apis/flagger.app/v1beta1/namespaces/${env.namespace}/canaries`,
    { fieldSelector: 'metadata.name=podinfo' },
    (_type: string, obj: { status?: RolloutStatus }) => {
      if (obj.status !== undefined) seen.push(obj.status);
    },
    () => undefined,
  );
  return {
    seen,
    stop: () => {
      ctl.abort();
    },
  };
}

const ORDER: Record<string, number> = {
  Progressing: 1,
  Promoting: 2,
  Finalising: 3,
  Succeeded: 4,
  Failed: 4,
};

/** Within one revision (lastAppliedSpec), nothing the operator recorded may go backwards. */
function regressions(seen: readonly RolloutStatus[]): string[] {
  const found: string[] = [];
  const done = new Set<string>();
  for (let i = 1; i < seen.length; i++) {
    const [a, b] = [seen[i - 1], seen[i]];
    if (a === undefined || b === undefined) continue;
    if (a.phase !== undefined && b.phase === undefined) found.push(`#${String(i)}: phase lost`);
    if (a.lastAppliedSpec !== undefined && b.lastAppliedSpec === undefined)
      found.push(`#${String(i)}: lastAppliedSpec lost`);
    if (a.lastAppliedSpec !== b.lastAppliedSpec) {
      if (b.lastAppliedSpec !== undefined && done.has(b.lastAppliedSpec))
        found.push(`#${String(i)}: went back to a finished revision`);
      if (a.lastAppliedSpec !== undefined && (a.phase === 'Succeeded' || a.phase === 'Failed'))
        done.add(a.lastAppliedSpec);
      continue;
    }
    const [pa, pb] = [ORDER[a.phase ?? ''] ?? 0, ORDER[b.phase ?? ''] ?? 0];
    if (pa > 0 && pb > 0 && pb < pa) found.push(`#${String(i)}: phase ${a.phase ?? ''} → ${b.phase ?? ''}`);
    // A rollback or promotion resets the counters (as Flagger does); an analysis never does.
    if (
      a.phase === 'Progressing' &&
      b.phase === 'Progressing' &&
      (b.failedChecks ?? 0) < (a.failedChecks ?? 0)
    )
      found.push(`#${String(i)}: failedChecks went down (${brief(a)} → ${brief(b)})`);
    if (
      a.phase === 'Progressing' &&
      b.phase === 'Progressing' &&
      (b.canaryWeight ?? 0) < (a.canaryWeight ?? 0)
    )
      found.push(
        `#${String(i)}: weight ${String(a.canaryWeight)} → ${String(b.canaryWeight)} while Progressing`,
      );
    if (pa === 4 && pb !== 4)
      found.push(`#${String(i)}: a finished rollout started again (${b.phase ?? ''})`);
  }
  return found;
}

/**
 * `kubectl set image` as kubectl sends it: a patch without resourceVersion, so the storm's
 * read-modify-writes cannot starve it (the harness's setImage is a PUT and gives up after 5 409s).
 */
async function setImageByPatch(env: TestEnv, image: string): Promise<void> {
  const d = await env.kube.get({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    namespace: env.namespace,
    name: 'podinfo',
  });
  const spec = d?.['spec'] as { template: { spec: { containers: Record<string, unknown>[] } } } | undefined;
  const containers = (spec?.template.spec.containers ?? []).map((c, i) => (i === 0 ? { ...c, image } : c));
  await env.kube.mergePatch(
    { apiVersion: 'apps/v1', kind: 'Deployment', namespace: env.namespace, name: 'podinfo' },
    { spec: { template: { spec: { containers } } } },
  );
}

const brief = (s: RolloutStatus): string =>
  `${s.phase ?? ''} w${String(s.canaryWeight)} f${String(s.failedChecks)} i${String(s.iterations)} ${s.lastAppliedSpec ?? ''}`;

test('a conflict storm on the Canary and its Deployment: right phases, one promotion, no status lost', async (t) => {
  const hooks = await startWebhookServer(t);
  const s = await canaryScenario(t, 'storm', {
    start: false,
    canary: {
      analysis: {
        interval: '1s',
        threshold: 2,
        stepWeight: 25,
        maxWeight: 50,
        webhooks: [{ name: 'acceptance', type: 'rollout', url: hooks.url('/check'), timeout: '5s' }],
      },
    },
  });
  const { env } = s;
  const op = spawnOperator(t, env, []);
  await waitForPhase(env, 'Initialized');
  const statuses = await watchStatuses(env);
  t.after(statuses.stop);
  const storm = startStorm(env);
  t.after(() => storm.stop());

  const results: string[] = [];
  for (const [i, good] of [true, false, true].entries()) {
    hooks.setStatus('/check', good ? 200 : 500);
    const image = `ghcr.io/stefanprodan/podinfo:6.3.${String(i)}`;
    const revisionBefore = await primaryRevision(env);
    const imageBefore = await deploymentImage(env, 'podinfo-primary');
    const previousSpec = (await rolloutStatus(env)).lastAppliedSpec;
    await setImageByPatch(env, image);
    const end = await rolloutEnd(env, previousSpec, 120_000).catch(async (err: unknown) => {
      throw new Error(`rollout ${String(i)}: ${String(err)}; ${await rolloutDiagnosis(env)}`);
    });
    const why = `${JSON.stringify((await rolloutStatus(env)).checks?.slice(-2))}; statuses ${statuses.seen
      .slice(-12)
      .map(brief)
      .join(' | ')}`;
    assert.equal(end, good ? 'Succeeded' : 'Failed', `rollout ${String(i)}; last checks ${why}`);
    assert.equal(await deploymentImage(env, 'podinfo-primary'), good ? image : imageBefore);
    await primarySettled(env);
    assert.equal(
      (await primaryRevision(env)) - revisionBefore,
      good ? 1 : 0,
      `primary rollouts for rollout ${String(i)}`,
    );
    results.push(end);
  }
  await storm.stop();
  statuses.stop();

  const found = regressions(statuses.seen);
  assert.deepEqual(found, [], `status regressions in ${String(statuses.seen.length)} Canary versions`);
  const conflicts = [...storm.conflicts.values()].reduce((a, b) => a + b, 0);
  const writes = [...storm.writes.values()].reduce((a, b) => a + b, 0);
  assert.ok(conflicts > 0, 'the storm met conflicts (it raced the operator)');
  assert.equal(op.child.exitCode, null, 'the operator kept running');
  const errors = op.logs.filter((l) => typeof l['level'] === 'number' && l['level'] >= 50);
  const conflictErrors = errors.filter((l) => /409|conflict/i.test(JSON.stringify(l))).length;
  t.diagnostic(
    `rollouts ${results.join(', ')}; storm ${String(writes)} writes, ${String(conflicts)} conflicts ` +
      `(${[...storm.conflicts].map(([k, v]) => `${k}: ${String(v)}`).join('; ')}); ` +
      `${String(statuses.seen.length)} Canary versions checked; operator error lines ${String(errors.length)} (${String(conflictErrors)} on 409)`,
  );
});
