import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeKubeClient } from '../../../src/kube/fake-client.js';
import { RouterError } from '../../../src/routers/router.js';
import { canaryIngressRef } from '../../../src/routers/shared/ingress-copy.js';
import {
  BACKEND_WEIGHTS,
  SKIPPER_PREDICATE,
  createSkipperRouter,
  insertPredicate,
} from '../../../src/routers/skipper.js';
import { must, podinfo, specOf } from './fixtures.js';
import { apexIngress, backend } from './ingress-fixtures.js';

const router = createSkipperRouter();
const canary = (): ReturnType<typeof podinfo> => {
  const c = podinfo();
  c.spec.ingressRef = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'podinfo' };
  return c;
};

test('reconcile: canary Ingress with paths flipped to primary plus a canary copy, weights 100/0', async () => {
  const kube = new FakeKubeClient();
  kube.seed(apexIngress({ [SKIPPER_PREDICATE]: 'Host("x")' }));
  const c = canary();
  await router.reconcile(c, { client: kube });
  const ing = must(kube.peek(canaryIngressRef(c)));
  assert.equal(ing.metadata.name, 'podinfo-canary');
  assert.deepEqual(ing.metadata.labels, { app: 'podinfo' });
  assert.equal(ing.metadata.annotations?.[BACKEND_WEIGHTS], '{"podinfo-primary":100,"podinfo-canary":0}');
  assert.equal(must(ing.metadata.annotations)[SKIPPER_PREDICATE], 'False() && Host("x")');
  const paths = (specOf(ing) as { rules: { http: { paths: unknown[] } }[] }).rules[0]?.http.paths;
  assert.deepEqual(paths, [
    backend('podinfo-primary'),
    backend('podinfo-canary'),
    backend('other', '/other'),
  ]);
  assert.deepEqual(await router.getRoutes(c, { client: kube }), { primary: 100, canary: 0, mirrored: false });
});

test('routes round-trip; a canary weight > 0 puts Weight(100) first so the copy wins', async () => {
  const kube = new FakeKubeClient();
  kube.seed(apexIngress());
  const c = canary();
  await router.reconcile(c, { client: kube });
  for (const [p, w] of [
    [90, 10],
    [50, 50],
    [100, 0],
  ] as const) {
    await router.setRoutes(c, { primary: p, canary: w, mirrored: false }, { client: kube });
    await router.reconcile(c, { client: kube });
    assert.deepEqual(await router.getRoutes(c, { client: kube }), { primary: p, canary: w, mirrored: false });
    const predicate = kube.peek(canaryIngressRef(c))?.metadata.annotations?.[SKIPPER_PREDICATE];
    assert.equal(predicate, w > 0 ? 'Weight(100)' : 'False()');
  }
});

test('insertPredicate: first place, conflicting predicates dropped, && joined', () => {
  assert.equal(insertPredicate(undefined, 'Weight(100)'), 'Weight(100)');
  assert.equal(
    insertPredicate('False() && Path("/a") &&  Method("GET")', 'Weight(100)'),
    'Weight(100) && Path("/a") && Method("GET")',
  );
  assert.equal(insertPredicate('Weight(100)', 'False()'), 'False()');
});

test('errors: no ingressRef, no apex backend, missing apex Ingress; finalize switches the copy off', async () => {
  const kube = new FakeKubeClient();
  await assert.rejects(router.reconcile(podinfo(), { client: kube }), {
    message: 'ingress selector is empty',
  });
  await assert.rejects(
    router.reconcile(canary(), { client: kube }),
    (err: unknown) => err instanceof RouterError && err.reason === 'NotFound',
  );
  const other = apexIngress();
  (specOf(other) as { rules: unknown[] }).rules = [];
  kube.seed(other);
  await assert.rejects(router.reconcile(canary(), { client: kube }), {
    message: 'backend podinfo not found in ingress podinfo',
  });
  kube.seed(apexIngress());
  await router.reconcile(canary(), { client: kube });
  await router.setRoutes(canary(), { primary: 40, canary: 60, mirrored: false }, { client: kube });
  await router.finalize(canary(), { client: kube });
  const off = must(kube.peek(canaryIngressRef(canary())));
  assert.equal(must(off.metadata.annotations)[SKIPPER_PREDICATE], 'False()');
  assert.deepEqual(await router.getRoutes(canary(), { client: kube }), {
    primary: 100,
    canary: 0,
    mirrored: false,
  });
});
