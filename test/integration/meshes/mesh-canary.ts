// One canary through a mesh router on the real control plane, with the mesh's real CRDs and
// the mesh's telemetry in the real Prometheus: initialise, promote a good revision (weights
// read back through the router from the objects the API server stored), then roll back a
// bad one. Used by the per-provider test files.
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { CanarySchema, type Canary } from '../../../src/api/canary.js';
import { collapseWhitespace, renderQuery } from '../../../src/metrics/render.js';
import { observerFor } from '../../../src/metrics/observers/registry.js';
import { routerFor } from '../../../src/routers/registry.js';
import type { Routes } from '../../../src/routers/router.js';
import { testEnv, type TestEnv } from '../../harness/cluster.js';
import { deploymentImage, readCanary, recordWhile, setImage, waitForPhase } from '../../harness/canary.js';
import { podinfoCanary, podinfoDeployment } from '../../harness/fixtures.js';
import { FLAGGER_CRDS, installCrds } from '../../harness/kubectl.js';
import { startTestOperator } from '../../harness/operator.js';
import { addScrapeTarget, waitForSeries } from '../../harness/prometheus.js';
import { applyMeshCrds } from './crds.js';
import { MeshExporter, type Mesh } from './mesh-exporter.js';

export interface MeshCanaryOptions {
  readonly provider: string;
  /** The operator's -mesh-provider (default: `provider`); a linkerd mesh forces linkerd queries. */
  readonly meshProvider?: string;
  /** Whose builtin queries judge the canary (default: `provider`). */
  readonly metricsProvider?: string;
  readonly mesh: Mesh;
  /** hack/crds/pins.txt project(s) whose CRDs the router's objects must pass. */
  readonly crds: readonly string[];
  readonly service?: Record<string, unknown>;
  readonly annotations?: Record<string, string>;
}

export interface MeshCanaryRun {
  readonly env: TestEnv;
  readonly canary: Canary;
  /** Distinct canary weights the router objects carried during the promotion. */
  readonly weightsSeen: readonly number[];
}

const IMAGE = 'ghcr.io/stefanprodan/podinfo';

async function liveCanary(env: TestEnv): Promise<Canary> {
  return CanarySchema.parse(await readCanary(env));
}

async function routesOf(env: TestEnv, provider: string): Promise<Routes | undefined> {
  return routerFor(provider).getRoutes(await liveCanary(env), { client: env.kube });
}

export async function runMeshCanary(t: TestContext, o: MeshCanaryOptions): Promise<MeshCanaryRun> {
  const env = await testEnv(t, `mesh-${o.mesh}`);
  installCrds(env.cluster, FLAGGER_CRDS);
  for (const project of o.crds) await applyMeshCrds(env.cluster, project);

  const exporter = new MeshExporter(o.mesh);
  const traffic = { namespace: env.namespace, rps: 20, latencyMs: 40 };
  exporter.set({ ...traffic, name: 'podinfo', errorRatio: 0 });
  exporter.set({ ...traffic, name: 'podinfo-primary', errorRatio: 0 });
  addScrapeTarget(t, env.cluster, `mesh-${env.namespace}`, await exporter.listen());
  t.after(() => exporter.close());

  await env.kube.create(podinfoDeployment(env.namespace));
  const canaryObj = podinfoCanary(env.namespace, {
    provider: o.provider,
    // Weights are sampled by polling: a 3 s step outlasts a slow poll on a loaded machine.
    analysis: { interval: '3s', stepWeight: 25, maxWeight: 50 },
    spec: { service: { port: 9898, ...o.service } },
  });
  if (o.annotations) canaryObj.metadata.annotations = { ...o.annotations };
  await env.kube.create(canaryObj);
  // The builtin success-rate query of this mesh must see the canary's traffic first.
  const model = {
    name: 'podinfo',
    namespace: env.namespace,
    target: 'podinfo',
    service: 'podinfo',
    ingress: 'podinfo',
    route: 'podinfo',
    interval: '10s',
    variables: {},
  };
  const successRate = collapseWhitespace(
    renderQuery(observerFor(o.metricsProvider ?? o.provider).requestSuccessRate, model),
  );
  await waitForSeries(env.cluster.prometheusUrl, successRate);
  await startTestOperator(t, env, { meshProvider: o.meshProvider ?? o.provider });

  await waitForPhase(env, 'Initialized', 60_000);
  assert.deepEqual(await routesOf(env, o.provider), { primary: 100, canary: 0, mirrored: false });

  const weights = recordWhile(async () => (await routesOf(env, o.provider))?.canary);
  await setImage(env, `${IMAGE}:6.0.1`);
  await waitForPhase(env, 'Succeeded', 90_000);
  await weights.stop();
  const weightsSeen = [...new Set(weights.values.filter((w): w is number => w !== undefined))];
  for (const w of [25, 50])
    assert.ok(weightsSeen.includes(w), `weight ${w} seen; saw ${weightsSeen.join(',')}`);
  assert.equal(await deploymentImage(env, 'podinfo-primary'), `${IMAGE}:6.0.1`, 'primary promoted');
  assert.deepEqual(await routesOf(env, o.provider), { primary: 100, canary: 0, mirrored: false });

  // A bad revision: half of the canary's requests fail, as the mesh reports them.
  exporter.set({ ...traffic, name: 'podinfo', errorRatio: 0.5 });
  await setImage(env, `${IMAGE}:6.0.2`);
  const failed = await waitForPhase(env, 'Failed', 90_000);
  assert.equal(failed.canaryWeight, 0);
  assert.deepEqual(await routesOf(env, o.provider), { primary: 100, canary: 0, mirrored: false });
  assert.equal(await deploymentImage(env, 'podinfo-primary'), `${IMAGE}:6.0.1`, 'primary untouched');
  const checks = (failed.raw['checks'] ?? []) as { name: string; passed: boolean; query?: string }[];
  const bad = checks.find((c) => c.name === 'request-success-rate' && !c.passed);
  assert.ok(bad, `a failed success-rate check is recorded: ${JSON.stringify(checks)}`);
  assert.equal(bad.query, successRate, 'the mesh query judged the canary');
  return { env, canary: await liveCanary(env), weightsSeen };
}
