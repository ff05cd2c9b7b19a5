// Flagger's plain-Service canary (spec §9.3) on the real control plane: the target is a
// Service, flagger-ts copies it to podinfo-canary / podinfo-primary, routes with Kuma's
// TrafficRoute, and promotion makes the primary Service select what the target selects.
// As in Flagger, a Service target appends ":service" to the metrics provider, so `kuma`
// falls back to the Istio queries: the Istio-shaped exporter feeds them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IstioExporter } from '../../../hack/demo/istio-exporter.js';
import { modifyObject } from '../../../src/kube/ensure.js';
import type { KubeObject } from '../../../src/kube/types.js';
import { testEnv } from '../../harness/cluster.js';
import { waitForPhase, watchObject } from '../../harness/canary.js';
import { podinfoCanary } from '../../harness/fixtures.js';
import { FLAGGER_CRDS, installCrds } from '../../harness/kubectl.js';
import { startTestOperator } from '../../harness/operator.js';
import { addScrapeTarget, waitForSeries } from '../../harness/prometheus.js';
import { applyMeshCrds } from './crds.js';

test('Service target: copies, weights 25→50 on the TrafficRoute, promotion copies the selector', async (t) => {
  const env = await testEnv(t, 'svc-target');
  installCrds(env.cluster, FLAGGER_CRDS);
  await applyMeshCrds(env.cluster, 'kuma');
  const name = `podinfo-${env.namespace}`;
  const trRef = { apiVersion: 'kuma.io/v1alpha1', kind: 'TrafficRoute', name };
  t.after(() => env.kube.delete(trRef));
  const exporter = new IstioExporter();
  exporter.set({ namespace: env.namespace, workload: name, rps: 20, errorRatio: 0, latencyMs: 40 });
  addScrapeTarget(t, env.cluster, `svc-${env.namespace}`, await exporter.listen());
  t.after(() => exporter.close());
  await waitForSeries(
    env.cluster.prometheusUrl,
    `rate(istio_requests_total{destination_workload_namespace="${env.namespace}"}[10s])`,
  );

  const svcRef = (n: string): { apiVersion: string; kind: string; namespace: string; name: string } => ({
    apiVersion: 'v1',
    kind: 'Service',
    namespace: env.namespace,
    name: n,
  });
  const target: KubeObject = {
    ...svcRef(name),
    metadata: { name, namespace: env.namespace },
    spec: { selector: { app: 'podinfo-v1' }, ports: [{ name: 'http', port: 9898, targetPort: 9898 }] },
  };
  await env.kube.create(target);
  const canary = podinfoCanary(env.namespace, {
    provider: 'kuma',
    analysis: { stepWeight: 25, maxWeight: 50 },
    spec: { targetRef: { apiVersion: 'v1', kind: 'Service', name } },
  });
  await env.kube.create(canary);
  await startTestOperator(t, env, { meshProvider: 'kuma' });
  await waitForPhase(env, 'Initialized', 60_000);
  const selectorOf = async (n: string): Promise<unknown> =>
    ((await env.kube.get(svcRef(n)))?.['spec'] as { selector?: unknown } | undefined)?.selector;
  assert.deepEqual(await selectorOf(`${name}-canary`), { app: 'podinfo-v1' });
  assert.deepEqual(await selectorOf(`${name}-primary`), { app: 'podinfo-v1' });

  // From a watch: a 1 s step is easily missed by polling on a loaded machine.
  const weights = await watchObject(t, env, '/apis/kuma.io/v1alpha1/trafficroutes', name, (tr) => {
    const split = ((tr as { spec?: { conf?: { split?: { weight: number }[] } } }).spec ?? {}).conf?.split;
    return split?.[1]?.weight;
  });
  await modifyObject(env.kube, svcRef(name), (o) => ({
    ...o,
    spec: { ...(o['spec'] as object), selector: { app: 'podinfo-v2' } },
  }));
  await waitForPhase(env, 'Succeeded', 90_000);
  for (const w of [25, 50])
    assert.ok(weights.values.includes(w), `canary weight ${w}; saw ${weights.values.join(',')}`);
  assert.deepEqual(await selectorOf(`${name}-primary`), { app: 'podinfo-v2' }, 'primary promoted');
  assert.deepEqual(await selectorOf(`${name}-canary`), { app: 'podinfo-v2' });
  const tr = await env.kube.get(trRef);
  assert.equal(
    ((tr?.['spec'] ?? {}) as { conf: { split: { weight: number }[] } }).conf.split[0]?.weight,
    100,
  );
});
