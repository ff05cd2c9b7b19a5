// `externalmetrics` provider through the real aggregation layer of the local kube-apiserver:
// an APIService for external.metrics.k8s.io/v1beta1 points at the test's adapter
// (external-metrics-adapter.ts); the operator queries the API server, which authenticates and
// authorises it and proxies to the adapter. A real canary promotes on a good value and rolls
// back on a bad one; a Secret's bearer token is subject to RBAC like any client.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { testEnv } from '../../harness/cluster.js';
import { createExternalMetrics } from '../../../src/metrics/providers/externalmetrics.js';
import { startExternalMetricsAdapter, type ExternalMetricsAdapter } from './external-metrics-adapter.js';
import { promoteThenRollBack } from './provider-canary.js';

const METRIC = 'job-success-rate';

test('externalmetrics: through an APIService, a canary promotes on a good value and rolls back on a bad one', async (t) => {
  const adapterEnv = await testEnv(t, 'xm-adapter');
  const adapter: ExternalMetricsAdapter = await startExternalMetricsAdapter(
    adapterEnv.kube,
    adapterEnv.namespace,
  );
  t.after(() => adapter.close());
  const s = await promoteThenRollBack(t, {
    prefix: 'externalmetrics',
    // No address: the operator's own kubeconfig and identity, Flagger's default.
    provider: { type: 'externalmetrics' },
    query: `{{ namespace }}/${METRIC}?labelSelector=app%3D{{ target }}`,
    thresholdRange: { min: 99 },
    good: () => {
      adapter.values.set(METRIC, '99500m');
    },
    bad: () => {
      adapter.values.set(METRIC, '90');
    },
  });
  const ours = adapter.calls.filter((c) => c.namespace === s.env.namespace && c.metric === METRIC);
  assert.ok(ours.length >= 2, `the adapter answered the canary's checks: ${JSON.stringify(adapter.calls)}`);
  assert.ok(
    ours.every((c) => c.labelSelector === 'app=podinfo' && c.user !== ''),
    `label selector decoded and the caller's identity passed by the API server: ${JSON.stringify(ours)}`,
  );
  assert.deepEqual(adapter.refused, [], 'every request came through the API server front proxy');
});

test("externalmetrics: a Secret's bearer token is authorised by RBAC before the adapter is reached", async (t) => {
  const env = await testEnv(t, 'xm-rbac');
  const adapter = await startExternalMetricsAdapter(env.kube, env.namespace);
  t.after(() => adapter.close());
  adapter.values.set(METRIC, '42');
  await env.kube.create({
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: 'metrics-reader', namespace: env.namespace },
  });
  const token = (
    await env.core.createNamespacedServiceAccountToken({
      name: 'metrics-reader',
      namespace: env.namespace,
      body: { spec: { audiences: [], expirationSeconds: 600 } },
    })
  ).status?.token;
  assert.ok(token);
  const provider = createExternalMetrics({
    provider: { type: 'externalmetrics' },
    credentials: { token },
    kube: { client: env.kube, kubeConfig: env.kc },
    timeoutMs: 5_000,
  });
  const query = `${env.namespace}/${METRIC}`;
  await assert.rejects(provider.runQuery(query), /HTTP 403/, 'no RBAC grant: forbidden by the API server');
  const before = adapter.calls.length;

  const role = `xm-reader-${env.namespace}`;
  await env.kube.create({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: role },
    rules: [{ apiGroups: ['external.metrics.k8s.io'], resources: ['*'], verbs: ['get', 'list', 'watch'] }],
  });
  t.after(async () => {
    await env.kube.delete({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', name: role });
  });
  await env.kube.create({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: 'metrics-reader', namespace: env.namespace },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
    subjects: [{ kind: 'ServiceAccount', name: 'metrics-reader', namespace: env.namespace }],
  });
  // RBAC changes reach the authorizer through its informer: poll, don't sleep.
  const start = Date.now();
  let value: number | undefined;
  while (value === undefined && Date.now() - start < 30_000) {
    value = await provider.runQuery(query).catch(() => undefined);
    if (value === undefined) await new Promise((r) => setTimeout(r, 300));
  }
  assert.equal(value, 42);
  const granted = adapter.calls.slice(before);
  assert.equal(granted.at(-1)?.user, `system:serviceaccount:${env.namespace}:metrics-reader`);
});
