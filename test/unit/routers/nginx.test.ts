import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeKubeClient } from '../../../src/kube/fake-client.js';
import { createNginxRouter } from '../../../src/routers/nginx.js';
import { TOOLKIT_ANNOTATIONS } from '../../../src/routers/shared/metadata.js';
import { canaryIngressRef } from '../../../src/routers/shared/ingress-copy.js';
import { must, podinfo, specOf } from './fixtures.js';
import { apexIngress, backend } from './ingress-fixtures.js';

const router = createNginxRouter();
const P = 'nginx.ingress.kubernetes.io';
const canary = (analysis: Record<string, unknown> = {}): ReturnType<typeof podinfo> => {
  const c = podinfo({ analysis });
  c.spec.ingressRef = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'podinfo' };
  return c;
};

test('reconcile: canary Ingress pointing at podinfo-canary, canary "true", weight "0", apex canary annotations dropped', async () => {
  const kube = new FakeKubeClient();
  kube.seed(
    apexIngress({
      [`${P}/rewrite-target`]: '/',
      [`${P}/canary-weight`]: '30',
      'kubectl.kubernetes.io/last-applied-configuration': '{}',
    }),
  );
  const c = canary();
  await router.reconcile(c, { client: kube });
  const ing = must(kube.peek(canaryIngressRef(c)));
  assert.deepEqual(ing.metadata.annotations, {
    [`${P}/rewrite-target`]: '/',
    ...TOOLKIT_ANNOTATIONS,
    [`${P}/canary`]: 'true',
    [`${P}/canary-weight`]: '0',
  });
  const paths = (specOf(ing) as { rules: { http: { paths: unknown[] } }[] }).rules[0]?.http.paths;
  assert.deepEqual(paths, [backend('podinfo-canary'), backend('other', '/other')]);
  assert.deepEqual(await router.getRoutes(c, { client: kube }), { primary: 100, canary: 0, mirrored: false });
});

test('weights: canary-weight "50" then back to "0"; reconcile keeps them', async () => {
  const kube = new FakeKubeClient();
  kube.seed(apexIngress());
  const c = canary();
  await router.reconcile(c, { client: kube });
  await router.setRoutes(c, { primary: 50, canary: 50, mirrored: false }, { client: kube });
  await router.reconcile(c, { client: kube });
  assert.equal(kube.peek(canaryIngressRef(c))?.metadata.annotations?.[`${P}/canary-weight`], '50');
  assert.deepEqual(await router.getRoutes(c, { client: kube }), { primary: 50, canary: 50, mirrored: false });
  await router.setRoutes(c, { primary: 100, canary: 0, mirrored: false }, { client: kube });
  assert.equal(kube.peek(canaryIngressRef(c))?.metadata.annotations?.[`${P}/canary-weight`], '0');
});

test('A/B: header exact, header regex and cookie set their annotations; weight 0 removes them', async () => {
  const cases = [
    [
      { 'x-user': { exact: 'test' } },
      { [`${P}/canary-by-header`]: 'x-user', [`${P}/canary-by-header-value`]: 'test' },
    ],
    [
      { 'x-user': { regex: 'test' } },
      { [`${P}/canary-by-header`]: 'x-user', [`${P}/canary-by-header-pattern`]: 'test' },
    ],
    [{ cookie: { exact: 'test' } }, { [`${P}/canary-by-cookie`]: 'test' }],
  ] as const;
  for (const [headers, want] of cases) {
    const kube = new FakeKubeClient();
    kube.seed(apexIngress());
    const c = canary({ iterations: 10, match: [{ headers }] });
    await router.reconcile(c, { client: kube });
    await router.setRoutes(c, { primary: 0, canary: 100, mirrored: false }, { client: kube });
    await router.reconcile(c, { client: kube });
    const annotations = kube.peek(canaryIngressRef(c))?.metadata.annotations ?? {};
    for (const [k, v] of Object.entries(want)) assert.equal(annotations[k], v);
    assert.deepEqual(await router.getRoutes(c, { client: kube }), {
      primary: 0,
      canary: 100,
      mirrored: false,
    });
    await router.setRoutes(c, { primary: 100, canary: 0, mirrored: false }, { client: kube });
    const after = kube.peek(canaryIngressRef(c))?.metadata.annotations ?? {};
    assert.deepEqual(
      Object.keys(after).filter((k) => k.startsWith(`${P}/canary-by`)),
      [],
    );
    assert.deepEqual(await router.getRoutes(c, { client: kube }), {
      primary: 100,
      canary: 0,
      mirrored: false,
    });
  }
});

test('-ingress-annotations-prefix and errors', async () => {
  const kube = new FakeKubeClient();
  kube.seed(apexIngress());
  const c = canary();
  const ctx = { client: kube, ingressAnnotationsPrefix: 'custom.ingress.kubernetes.io' };
  await router.reconcile(c, ctx);
  await router.setRoutes(c, { primary: 80, canary: 20, mirrored: false }, ctx);
  assert.equal(
    kube.peek(canaryIngressRef(c))?.metadata.annotations?.['custom.ingress.kubernetes.io/canary-weight'],
    '20',
  );
  assert.deepEqual(await router.getRoutes(c, ctx), { primary: 80, canary: 20, mirrored: false });
  await assert.rejects(router.reconcile(podinfo(), { client: kube }), {
    message: 'ingress selector is empty',
  });
  const live = must(kube.peek(canaryIngressRef(c)));
  await kube.replace({
    ...live,
    metadata: { ...live.metadata, annotations: { [`${P}/canary-weight`]: 'x' } },
  });
  await assert.rejects(router.getRoutes(c, { client: kube }), { message: 'failed to convert x to int' });
});
