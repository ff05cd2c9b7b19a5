// One canary lifecycle per ingress router on the real control plane, against the router
// project's real CRDs: the operator initializes the canary (the routing objects it writes
// must be stored unchanged: a field the CRD schema does not know would be pruned), the
// weights move 10 → 20 → 30 and the new revision is promoted, then a revision whose rollout
// webhook fails is rolled back, leaving all traffic on the primary.
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { CanarySchema } from '../../../src/api/canary.js';
import type { OperatorConfig } from '../../../src/config/operator-config.js';
import { deepEqual } from '../../../src/kube/json.js';
import type { KubeObject, ObjectRef } from '../../../src/kube/types.js';
import type { Routes } from '../../../src/routers/router.js';
import { INITIAL_ROUTES } from '../../../src/routers/shared/routed-object.js';
import { withoutEmpty } from '../../../src/routers/shared/normalize.js';
import {
  deploymentImage,
  deploymentReplicas,
  readCanary,
  recordWhile,
  setImage,
  waitForPhase,
} from '../../harness/canary.js';
import { testEnv, type TestEnv } from '../../harness/cluster.js';
import { podinfoCanary, podinfoDeployment } from '../../harness/fixtures.js';
import { FLAGGER_CRDS, installCrds } from '../../harness/kubectl.js';
import { startTestOperator } from '../../harness/operator.js';
import { applyThirdPartyCrds, type ThirdPartyProject } from '../../harness/third-party-crds.js';
import { startWebhookServer } from '../../harness/webhook-server.js';
import { at } from '../../harness/json-path.js';

export { at };

export interface Weights {
  readonly primary: number;
  readonly canary: number;
}

export interface RouterCase {
  readonly provider: string;
  /** Operator flags beyond the mesh provider (-ingress-class ...). */
  readonly operator?: Partial<OperatorConfig>;
  readonly crds: readonly ThirdPartyProject[];
  /** Canary spec fields the router needs (ingressRef, gatewayRefs ...). */
  readonly spec?: (ns: string) => Record<string, unknown>;
  /** Objects the user creates before the Canary (apex Ingress, ApisixRoute ...). */
  readonly before?: (ns: string) => KubeObject[];
  /** The routing object whose stored form must equal what the router meant to write. */
  readonly routed: (ns: string) => ObjectRef;
  /** What the router meant to write at 100/0, from the live Canary and cluster. */
  readonly desired: (
    env: TestEnv,
    canary: ReturnType<typeof CanarySchema.parse>,
    routes: Routes,
  ) => Promise<KubeObject>;
  /** The weights in effect, read from the stored objects by the test's own reading of them. */
  readonly weights: (env: TestEnv) => Promise<Weights | undefined>;
}

const V2 = 'ghcr.io/stefanprodan/podinfo:6.0.1';
const V3 = 'ghcr.io/stefanprodan/podinfo:6.0.2';

export async function routerLifecycle(t: TestContext, c: RouterCase): Promise<void> {
  const env = await testEnv(t, `rt-${c.provider.replace(/[^a-z0-9]/g, '')}`);
  installCrds(env.cluster, FLAGGER_CRDS);
  for (const project of c.crds) await applyThirdPartyCrds(env.cluster, project);
  const hooks = await startWebhookServer(t);
  for (const obj of c.before?.(env.namespace) ?? []) await env.kube.create(obj);
  await env.kube.create(podinfoDeployment(env.namespace));
  const canaryObject = podinfoCanary(env.namespace, {
    provider: c.provider,
    analysis: {
      // Weights are sampled by polling the routing object: a 3 s step outlasts a slow poll
      // on a loaded machine (a 1 s step was missed with 4 integration files running).
      interval: '3s',
      stepWeight: 10,
      maxWeight: 30,
      threshold: 2,
      metrics: [],
      webhooks: [{ name: 'acceptance', type: 'rollout', url: hooks.url('/rollout') }],
    },
    spec: c.spec?.(env.namespace) ?? {},
  });
  await env.kube.create(canaryObject);
  await startTestOperator(t, env, { ...c.operator, meshProvider: c.provider });

  await waitForPhase(env, 'Initialized');
  assert.deepEqual(
    await c.weights(env),
    { primary: 100, canary: 0 },
    'all traffic on the primary after init',
  );
  const canary = CanarySchema.parse(await readCanary(env));
  const stored = await env.kube.get(c.routed(env.namespace));
  assert.ok(stored !== undefined, 'routing object stored');
  const meant = await c.desired(env, canary, INITIAL_ROUTES);
  assert.ok(
    deepEqual(withoutEmpty(stored['spec']), withoutEmpty(meant['spec'])),
    `stored spec equals the router's (nothing pruned by the CRD schema):\nstored ${JSON.stringify(stored['spec'])}\nmeant  ${JSON.stringify(meant['spec'])}`,
  );

  const promote = recordWhile(() => c.weights(env));
  await setImage(env, V2);
  await waitForPhase(env, 'Succeeded', 90_000);
  await promote.stop();
  const canaryWeights = promote.values.filter((w): w is Weights => w !== undefined).map((w) => w.canary);
  for (const w of [10, 20, 30])
    assert.ok(canaryWeights.includes(w), `canary weight ${w} seen: ${canaryWeights.join(',')}`);
  assert.deepEqual(
    await c.weights(env),
    { primary: 100, canary: 0 },
    'all traffic back on the primary after promotion',
  );
  assert.equal(await deploymentImage(env, 'podinfo-primary'), V2, 'primary promoted');

  hooks.setStatus('/rollout', 500);
  const rollback = recordWhile(() => c.weights(env));
  await setImage(env, V3);
  await waitForPhase(env, 'Failed', 90_000);
  await rollback.stop();
  assert.deepEqual(
    await c.weights(env),
    { primary: 100, canary: 0 },
    'all traffic on the primary after rollback',
  );
  assert.equal(await deploymentImage(env, 'podinfo-primary'), V2, 'primary kept the promoted revision');
  assert.equal(await deploymentReplicas(env, 'podinfo'), 0, 'canary scaled to zero');
}

export const list = (value: unknown): Record<string, unknown>[] =>
  Array.isArray(value)
    ? value.filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null)
    : [];

/** Reads `kind/name` in the test namespace, or undefined. */
export function readObject(
  env: TestEnv,
  apiVersion: string,
  kind: string,
  name: string,
): Promise<KubeObject | undefined> {
  return env.kube.get({ apiVersion, kind, name, namespace: env.namespace });
}

/** primary/canary weights from a list of `{<nameKey>: name, weight}` entries (absent weight = 0). */
export function weightsOf(entries: unknown, nameKey = 'name'): Weights {
  const items = list(entries);
  const weight = (name: string): number => Number(items.find((s) => s[nameKey] === name)?.['weight'] ?? 0);
  return { primary: weight('podinfo-primary'), canary: weight('podinfo-canary') };
}
