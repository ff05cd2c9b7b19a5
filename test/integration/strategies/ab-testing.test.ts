// A/B testing on the real control plane with real Prometheus: requests matching headers,
// a cookie or a query parameter go to the canary for `iterations` checks, then promotion;
// the match rules are on the VirtualService only while the canary takes traffic.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventually } from '../../harness/cluster.js';
import { deploymentImage, deploymentReplicas, setImage, waitForPhase } from '../../harness/canary.js';
import { canaryScenario } from '../../harness/scenario.js';
import { eventLines, httpRules, weightOf, withPhase, type HttpRule, record } from './helpers.js';

// Istio's StringMatch has no `suffix` (its real CRD prunes it), hence the regex, as in Flagger's tutorial.
const MATCH = [
  { headers: { 'x-canary': { exact: 'insider' }, 'user-agent': { regex: '.*Firefox.*' } } },
  { headers: { cookie: { regex: '^(.*?;)?(canary=always)(;.*)?$' } } },
  { queryParams: { variant: { prefix: 'beta' } } },
];

const abCanary = (iterations: number) => ({
  analysis: { stepWeight: undefined, maxWeight: undefined, iterations, match: MATCH },
  spec: { service: { port: 9898, match: [{ uri: { prefix: '/api' } }] } },
});

/** The A/B shape: the merged match rule at 0/100, then the primary-only rule. */
function isAbShape(http: HttpRule[] | undefined): boolean {
  const [ab, rest] = http ?? [];
  return (
    http?.length === 2 &&
    weightOf(ab, 'podinfo-canary') === 100 &&
    weightOf(ab, 'podinfo-primary') === 0 &&
    rest?.route.length === 1 &&
    rest.route[0]?.destination.host === 'podinfo-primary'
  );
}

test('A/B: matching requests go to the canary for N iterations, then promotion; match rules removed', async (t) => {
  const s = await canaryScenario(t, 'ab', { canary: abCanary(4) });
  const { env } = s;
  await waitForPhase(env, 'Initialized');
  const timeline = record(
    t,
    withPhase(env, () => httpRules(env)),
    150,
  );
  await setImage(env, 'ghcr.io/stefanprodan/podinfo:6.0.1');
  await waitForPhase(env, 'Succeeded', 60_000);
  await timeline.stop();

  const during = timeline.values.filter((v) => v.phase === 'Progressing' && isAbShape(v.value));
  assert.ok(during.length > 0, `A/B rules observed: ${JSON.stringify(timeline.values.map((v) => v.phase))}`);
  assert.deepEqual(during[0]?.value?.[0]?.match, [
    {
      uri: { prefix: '/api' },
      headers: { 'x-canary': { exact: 'insider' }, 'user-agent': { regex: '.*Firefox.*' } },
    },
    { uri: { prefix: '/api' }, headers: { cookie: { regex: '^(.*?;)?(canary=always)(;.*)?$' } } },
    { uri: { prefix: '/api' }, queryParams: { variant: { prefix: 'beta' } } },
  ]);
  assert.deepEqual(during[0].value[1]?.match, [{ uri: { prefix: '/api' } }]);

  const final = await httpRules(env);
  assert.deepEqual(final, [
    {
      match: [{ uri: { prefix: '/api' } }],
      route: [
        { destination: { host: 'podinfo-primary' }, weight: 100 },
        { destination: { host: 'podinfo-canary' } },
      ],
    },
  ]);
  const lines = await eventLines(env);
  for (let i = 1; i <= 4; i++) {
    assert.ok(
      lines.includes(`IterationAdvanced: Advance podinfo.${env.namespace} canary iteration ${i}/4`),
      `iteration ${i}/4 in ${lines.join('\n')}`,
    );
  }
  assert.equal(await deploymentImage(env, 'podinfo-primary'), 'ghcr.io/stefanprodan/podinfo:6.0.1');
  assert.equal(await deploymentReplicas(env, 'podinfo'), 0);
});

test('A/B rollback: errors during the iterations fail the run and remove the match rules', async (t) => {
  const s = await canaryScenario(t, 'abrb', { canary: abCanary(30) });
  const { env } = s;
  await waitForPhase(env, 'Initialized');
  await setImage(env, 'ghcr.io/stefanprodan/podinfo:6.0.1');
  await eventually('A/B rules on the VirtualService', async () =>
    isAbShape(await httpRules(env)) ? true : undefined,
  );
  s.exporter.set({ namespace: env.namespace, workload: 'podinfo', rps: 20, errorRatio: 0.5, latencyMs: 40 });
  const failed = await waitForPhase(env, 'Failed', 60_000);
  assert.equal(failed.iterations, 0);
  assert.deepEqual(await httpRules(env), [
    {
      match: [{ uri: { prefix: '/api' } }],
      route: [
        { destination: { host: 'podinfo-primary' }, weight: 100 },
        { destination: { host: 'podinfo-canary' } },
      ],
    },
  ]);
  assert.equal(await deploymentImage(env, 'podinfo-primary'), 'ghcr.io/stefanprodan/podinfo:6.0.0');
  assert.equal(await deploymentReplicas(env, 'podinfo'), 0);
});
