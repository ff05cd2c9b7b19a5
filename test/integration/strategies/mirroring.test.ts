// Traffic mirroring on the real control plane with real Prometheus: Blue/Green with Istio
// shadowing (mirror block on the VirtualService during the analysis, removed after), the
// canary strategy's mirror step at weight 0, a rollback while mirroring, and a provider that
// cannot mirror rejected with a clear message.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventually } from '../../harness/cluster.js';
import {
  canaryStatus,
  deploymentImage,
  setImage,
  waitForPhase,
  watchObject,
  weightsOf,
} from '../../harness/canary.js';
import { canaryScenario } from '../../harness/scenario.js';
import { eventLines, httpRules, inlineIstioMetrics, weightOf, withPhase, record } from './helpers.js';

const V2 = 'ghcr.io/stefanprodan/podinfo:6.0.1';

/** What the first HTTP rule does: weights and mirror. */
async function firstRule(env: Parameters<typeof httpRules>[0]) {
  const rule = (await httpRules(env))?.[0];
  return {
    primary: weightOf(rule, 'podinfo-primary'),
    canary: weightOf(rule, 'podinfo-canary'),
    mirror: rule?.mirror?.host,
    percent: rule?.mirrorPercentage?.value,
  };
}

test('Blue/Green mirroring: mirror block during the iterations, switch, then removed', async (t) => {
  const s = await canaryScenario(t, 'mirror', {
    canary: {
      analysis: {
        stepWeight: undefined,
        maxWeight: undefined,
        iterations: 3,
        mirror: true,
        mirrorWeight: 50,
      },
    },
  });
  const { env } = s;
  await waitForPhase(env, 'Initialized');
  const timeline = record(
    t,
    withPhase(env, () => firstRule(env)),
    150,
  );
  await setImage(env, V2);
  await waitForPhase(env, 'Succeeded', 60_000);
  await timeline.stop();

  const states = timeline.values.map((v) => v.value);
  const mirrored = { primary: 100, canary: 0, mirror: 'podinfo-canary', percent: 50 };
  const switched = { primary: 0, canary: 100, mirror: undefined, percent: undefined };
  const back = { primary: 100, canary: 0, mirror: undefined, percent: undefined };
  const at = (x: object): number => states.findIndex((v) => JSON.stringify(v) === JSON.stringify(x));
  assert.ok(at(mirrored) >= 0, `mirrored state seen: ${JSON.stringify(states)}`);
  assert.ok(at(switched) > at(mirrored), 'then all traffic to the canary, unmirrored');
  assert.deepEqual(states.at(-1), back, 'mirror removed, all traffic on the primary');
  assert.ok(
    timeline.values.filter((v) => v.value.mirror !== undefined).every((v) => v.phase === 'Progressing'),
  );
  const lines = await eventLines(env);
  assert.ok(
    lines.some((l) => l.endsWith(': Start traffic mirroring')),
    lines.join('\n'),
  );
  assert.ok(lines.some((l) => l.endsWith(': Stop traffic mirroring and route all traffic to canary')));
  assert.equal(await deploymentImage(env, 'podinfo-primary'), V2);
});

test('canary strategy with mirror: mirrors at weight 0 first, then shifts weight unmirrored', async (t) => {
  const s = await canaryScenario(t, 'mirrorcan', {
    canary: { analysis: { stepWeight: 20, maxWeight: 40, mirror: true } },
  });
  const { env } = s;
  await waitForPhase(env, 'Initialized');
  // From a watch: the mirror step lasts one short interval, easily missed by polling.
  const timeline = await watchObject(
    t,
    env,
    `/apis/networking.istio.io/v1beta1/namespaces/${env.namespace}/virtualservices`,
    'podinfo',
    (vs) => {
      const w = weightsOf(vs, 'podinfo');
      return w === undefined ? undefined : `${w.primary}/${w.canary}${w.mirror ? ' mirrored' : ''}`;
    },
  );
  await setImage(env, V2);
  await waitForPhase(env, 'Succeeded', 60_000);
  // The route's last write precedes the Succeeded status, but arrives on another stream.
  await eventually('all traffic back on the primary', () =>
    timeline.values.at(-1) === '100/0' ? true : undefined,
  );
  timeline.stop();
  const states = timeline.values;
  const order = ['100/0 mirrored', '80/20', '60/40'].map((x) => states.indexOf(x));
  assert.ok(
    order.every((i, n) => i >= 0 && (n === 0 || i > (order[n - 1] ?? 0))),
    `mirror step, then 20, 40: ${states.join(' → ')}`,
  );
  assert.equal(states.at(-1), '100/0');
});

test('rollback while mirroring: Failed, mirror removed, primary untouched', async (t) => {
  const s = await canaryScenario(t, 'mirrorrb', {
    canary: { analysis: { stepWeight: undefined, maxWeight: undefined, iterations: 30, mirror: true } },
  });
  const { env } = s;
  await waitForPhase(env, 'Initialized');
  await setImage(env, V2);
  await eventually('mirror on the VirtualService', async () =>
    (await firstRule(env)).mirror === 'podinfo-canary' ? true : undefined,
  );
  s.exporter.set({ namespace: env.namespace, workload: 'podinfo', rps: 20, errorRatio: 0.5, latencyMs: 40 });
  await waitForPhase(env, 'Failed', 60_000);
  assert.deepEqual(await firstRule(env), { primary: 100, canary: 0, mirror: undefined, percent: undefined });
  assert.equal(await deploymentImage(env, 'podinfo-primary'), 'ghcr.io/stefanprodan/podinfo:6.0.0');
});

test('a provider that cannot mirror: Validated=False and a Warning naming analysis.mirror', async (t) => {
  const s = await canaryScenario(t, 'mirrorbad', {
    canary: { provider: 'kubernetes', analysis: { mirror: true, metrics: inlineIstioMetrics() } },
  });
  const { env } = s;
  const status = await eventually('Validated condition', async () => {
    const st = await canaryStatus(env);
    return st.conditions.find((c) => c.type === 'Validated') === undefined ? undefined : st;
  });
  const validated = status.conditions.find((c) => c.type === 'Validated');
  assert.equal(validated?.status, 'False');
  assert.equal(validated.reason, 'InvalidSpec');
  assert.match(validated.message, /^spec\.analysis\.mirror: provider kubernetes cannot mirror traffic/);
  const lines = await eventually('InvalidSpec event', async () => {
    const l = await eventLines(env);
    return l.some((x) => x.startsWith('InvalidSpec: spec.analysis.mirror')) ? l : undefined;
  });
  assert.ok(lines.length > 0);
});
