// The baseline cohort (analysis.baseline, docs/judge.md): the weight rule, the objects, and the
// lifecycle converging on the phase — created with the analysis, routed once ready, the share
// handed back to the primary and everything deleted when the analysis ends or on a restart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { V1Deployment } from '@kubernetes/client-node';
import type { CanaryPhase } from '../../../src/api/status.js';
import { FakeKubeClient } from '../../../src/kube/fake-client.js';
import type { KubeObject } from '../../../src/kube/types.js';
import { createTraefikRouter } from '../../../src/routers/traefik.js';
import { baselineReady, desiredBaseline, desiredBaselineService } from '../../../src/targets/baseline.js';
import {
  baselineWeight,
  foldBaseline,
  routesSettled,
  splitThreeWay,
} from '../../../src/targets/baseline-routes.js';
import { routesWithBaseline, syncBaseline, type BaselineDeps } from '../../../src/targets/baseline-sync.js';
import { inputs, podinfo } from '../routers/fixtures.js';

const canary = podinfo({ analysis: { baseline: { enabled: true } } });

test('weight rule: baseline = min(canary, 100 − canary); primary keeps the rest', () => {
  assert.deepEqual([0, 10, 25, 50, 60, 100].map(baselineWeight), [0, 10, 25, 50, 40, 0]);
  assert.deepEqual(splitThreeWay({ primary: 80, canary: 20, mirrored: false }), {
    primary: 60,
    canary: 20,
    mirrored: false,
    baseline: 20,
  });
  assert.deepEqual(splitThreeWay({ primary: 100, canary: 0, mirrored: true }), {
    primary: 100,
    canary: 0,
    mirrored: true,
  });
  const three = { primary: 60, canary: 20, mirrored: false, baseline: 20 };
  assert.deepEqual(foldBaseline(three), { primary: 80, canary: 20, mirrored: false });
  assert.deepEqual(splitThreeWay(three), three, 'idempotent');
  assert.ok(routesSettled(three, true) && !routesSettled(three, false));
});

function deployment(name: string, app: string, replicas: number, ready: boolean): V1Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default', generation: 1 },
    spec: {
      replicas,
      selector: { matchLabels: { app } },
      template: {
        metadata: { labels: { app }, annotations: { 'flagger-id': 'x' } },
        spec: { containers: [{ name: 'podinfod', image: `podinfo:${app}` }] },
      },
    },
    status: ready
      ? { observedGeneration: 1, replicas, updatedReplicas: replicas, readyReplicas: replicas }
      : { observedGeneration: 1, replicas },
  };
}

test('the baseline runs the primary template relabelled, with the canary replicas; its Service selects it', () => {
  const primary = deployment('podinfo-primary', 'podinfo-primary', 4, true);
  const target = deployment('podinfo', 'podinfo', 2, true);
  const b = desiredBaseline(canary, primary, target, {
    label: 'app',
    value: 'podinfo',
  }) as unknown as Required<V1Deployment>;
  assert.equal(b.metadata.name, 'podinfo-baseline');
  assert.equal(b.spec.replicas, 2);
  assert.deepEqual(b.spec.selector.matchLabels, { app: 'podinfo-baseline' });
  assert.equal(b.spec.template.metadata?.labels?.['app'], 'podinfo-baseline');
  assert.equal(b.spec.template.spec?.containers[0]?.image, 'podinfo:podinfo-primary');
  assert.equal(b.metadata.ownerReferences?.[0]?.uid, 'uid-canary-podinfo');
  assert.equal(primary.spec?.template.metadata?.labels?.['app'], 'podinfo-primary', 'primary untouched');
  const svc = desiredBaselineService(canary, inputs());
  assert.equal(svc.metadata.name, 'podinfo-baseline');
  assert.deepEqual((svc['spec'] as { selector: unknown }).selector, { app: 'podinfo-baseline' });
  assert.ok(baselineReady(deployment('b', 'b', 2, true)) && !baselineReady(deployment('b', 'b', 2, false)));
});

/** A cluster where the Deployment "controller" is this test: `ready` decides the baseline's status. */
function world(ready: boolean) {
  const kube = new FakeKubeClient();
  kube.seed(
    deployment('podinfo', 'podinfo', 2, true) as unknown as KubeObject,
    deployment('podinfo-primary', 'podinfo-primary', 3, true) as unknown as KubeObject,
  );
  const router = createTraefikRouter();
  const deps: BaselineDeps = {
    client: kube,
    deployment: (ns, name) => {
      const o = kube.peek({ apiVersion: 'apps/v1', kind: 'Deployment', name, namespace: ns });
      if (o === undefined || name !== 'podinfo-baseline') return o;
      const replicas = (o['spec'] as { replicas: number }).replicas;
      const observedGeneration = o.metadata.generation;
      const up = { replicas, updatedReplicas: replicas, readyReplicas: replicas };
      return { ...o, status: ready ? { observedGeneration, ...up } : { observedGeneration } };
    },
    router,
    routerContext: { client: kube },
    inputs: inputs(),
  };
  const exists = (kind: string, name: string): boolean =>
    kube.peek({ apiVersion: kind === 'Service' ? 'v1' : 'apps/v1', kind, name, namespace: 'default' }) !==
    undefined;
  return { kube, router, deps, exists };
}

test('lifecycle: created with the analysis, routed once ready, share returned and deleted after', async () => {
  const w = world(true);
  await w.router.reconcile(canary, { client: w.kube });
  await w.router.setRoutes(canary, { primary: 80, canary: 20, mirrored: false }, { client: w.kube });
  await syncBaseline(w.deps, canary, 'Progressing');
  assert.ok(w.exists('Deployment', 'podinfo-baseline') && w.exists('Service', 'podinfo-baseline'));
  assert.deepEqual(await w.router.getRoutes(canary, { client: w.kube }), {
    primary: 60,
    canary: 20,
    mirrored: false,
    baseline: 20,
  });
  // The next step's setRoutes goes out three-way at once.
  const next = routesWithBaseline(
    w.deps,
    canary,
    { primary: 70, canary: 30, mirrored: false },
    'Progressing',
  );
  assert.deepEqual(next, { primary: 40, canary: 30, mirrored: false, baseline: 30 });
  w.kube.requests.reset();
  await syncBaseline(w.deps, canary, 'Progressing');
  assert.equal(w.kube.requests.count('replace') + w.kube.requests.count('create'), 0, 'converged: no writes');
  for (const phase of ['Promoting', 'Failed', 'Succeeded'] as CanaryPhase[]) {
    await syncBaseline(w.deps, canary, 'Progressing');
    await syncBaseline(w.deps, canary, phase);
    assert.deepEqual(await w.router.getRoutes(canary, { client: w.kube }), {
      primary: 80,
      canary: 20,
      mirrored: false,
    });
    assert.ok(!w.exists('Deployment', 'podinfo-baseline') && !w.exists('Service', 'podinfo-baseline'), phase);
  }
});

test('an unready baseline takes no traffic; a canary without baseline makes no request', async () => {
  const w = world(false);
  await w.router.reconcile(canary, { client: w.kube });
  await w.router.setRoutes(canary, { primary: 80, canary: 20, mirrored: false }, { client: w.kube });
  await syncBaseline(w.deps, canary, 'Progressing');
  assert.ok(w.exists('Deployment', 'podinfo-baseline'));
  assert.deepEqual(await w.router.getRoutes(canary, { client: w.kube }), {
    primary: 80,
    canary: 20,
    mirrored: false,
  });
  // Disabling the baseline mid-run removes it.
  await syncBaseline(w.deps, podinfo(), 'Progressing');
  assert.ok(!w.exists('Deployment', 'podinfo-baseline'));
  const fresh = world(true);
  await syncBaseline(fresh.deps, podinfo(), 'Progressing');
  assert.equal(fresh.kube.requests.total, 0);
});

test('without RBAC to delete, a finished baseline is scaled to zero once, with a warning, and revived by the next analysis', async () => {
  const w = world(true);
  const warnings: string[] = [];
  const deps: BaselineDeps = {
    ...w.deps,
    warn: (m) => {
      warnings.push(m);
      return Promise.resolve();
    },
  };
  await w.router.reconcile(canary, { client: w.kube });
  await w.router.setRoutes(canary, { primary: 80, canary: 20, mirrored: false }, { client: w.kube });
  await syncBaseline(deps, canary, 'Progressing');
  const forbidden = { code: 403, reason: 'Forbidden', message: 'cannot delete' };
  w.kube.fail({ verb: 'delete', status: forbidden, times: 10 });
  await syncBaseline(deps, canary, 'Succeeded');
  const ref = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'podinfo-baseline', namespace: 'default' };
  const spec = (o: KubeObject | undefined): { replicas?: number } => o?.['spec'] ?? {};
  assert.equal(spec(w.kube.peek(ref)).replicas, 0);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0] ?? '', /rbac\.baselineCohort=true/);
  assert.deepEqual(await w.router.getRoutes(canary, { client: w.kube }), {
    primary: 80,
    canary: 20,
    mirrored: false,
  });
  w.kube.requests.reset();
  await syncBaseline(deps, canary, 'Succeeded');
  assert.equal(w.kube.requests.total, 0, 'retired: nothing retried');
  await syncBaseline(deps, canary, 'Progressing');
  assert.equal(spec(w.kube.peek(ref)).replicas, 2, 'the next analysis scales it up again');
});

test('a <target>-baseline the canary does not own is neither taken over nor deleted', async () => {
  const w = world(true);
  const foreign = deployment('podinfo-baseline', 'mine', 1, true) as unknown as KubeObject;
  w.kube.seed(foreign);
  await assert.rejects(syncBaseline(w.deps, canary, 'Progressing'), /not owned by canary podinfo/);
  await syncBaseline(w.deps, canary, 'Failed');
  assert.ok(w.exists('Deployment', 'podinfo-baseline'), 'left alone');
});
