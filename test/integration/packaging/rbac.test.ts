// The chart's RBAC is sufficient and least-privilege, proven on the real control plane:
// the rendered manifests (CRDs, ServiceAccount, RBAC, Deployment, PDB ...) are applied,
// then the compiled CLI runs with the chart's own arguments and a kubeconfig holding only
// the ServiceAccount's token, and drives a canary; SelfSubjectAccessReviews asked as that
// ServiceAccount show what it must not do. KWOK pods run no containers, so the operator
// runs as a local process with the pod's identity instead of inside the pod.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { eventually } from '../../harness/cluster.js';
import { setImage, waitForPhase } from '../../harness/canary.js';
import { canaryScenario, type Scenario } from '../../harness/scenario.js';
import { forbiddenLines, startCli, type CliProcess } from './cli-process.js';
import { expectAccess, serviceAccountKubeconfig, type Access } from './identity.js';
import { applyObjects, renderedControllerArgs, waitDeploymentAvailable } from './release.js';
import { findObject, helmTemplate } from './tools.js';

/** Local-process overrides: the SA's kubeconfig, a free loopback port, a short interval floor. */
const localArgs = (kubeconfig: string): string[] => [
  `--kubeconfig=${kubeconfig}`,
  '--port=0',
  '--listen-address=127.0.0.1',
  '--min-analysis-interval=500ms',
  '--log-level=debug',
];

async function probe(port: number, path: string): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`);
  await res.arrayBuffer();
  return res.status;
}

/** waitForPhase, but a timeout names the requests the API server refused, if any. */
async function phase(s: Scenario, want: string, timeoutMs: number, ...procs: CliProcess[]): Promise<void> {
  try {
    await waitForPhase(s.env, want, timeoutMs);
  } catch (err) {
    const refused = procs.flatMap(forbiddenLines).slice(0, 3);
    throw refused.length > 0 ? new Error(`${String(err)}; refused: ${refused.join('\n')}`) : err;
  }
}

function assertNoForbidden(...procs: CliProcess[]): void {
  const refused = procs.flatMap(forbiddenLines);
  assert.deepEqual(refused, [], 'the operator was refused an API request');
}

test('cluster-wide chart RBAC: the operator promotes a canary as the chart ServiceAccount', async (t) => {
  const s = await canaryScenario(t, 'pkg-rbac', { start: false });
  const ns = s.env.namespace;
  const release = `ft-${randomBytes(3).toString('hex')}`;
  const objs = helmTemplate('flagger-ts', {
    release,
    namespace: ns,
    includeCrds: true,
    values: { meshProvider: 'istio', metricsServer: s.env.cluster.prometheusUrl },
  });
  applyObjects(t, s.env, objs);
  const deployment = findObject(objs, 'Deployment');
  assert.equal(await waitDeploymentAvailable(s.env, deployment.metadata.name), 1);

  const sa = findObject(objs, 'ServiceAccount').metadata.name;
  const id = await serviceAccountKubeconfig(t, s.env, ns, sa);
  // Cluster-wide RBAC, but the process watches only this test's namespace so that it
  // leaves the canaries of other tests alone.
  const op = startCli(t, [
    'controller',
    ...renderedControllerArgs(deployment),
    ...localArgs(id.kubeconfigPath),
    `--namespace=${ns}`,
  ]);
  const port = await op.port();
  assert.equal(await probe(port, '/healthz'), 200, 'liveness path of the chart');
  await eventually('readiness (informers synced)', async () =>
    (await probe(port, '/readyz')) === 200 ? true : undefined,
  );

  await phase(s, 'Initialized', 90_000, op);
  await setImage(s.env, 'ghcr.io/stefanprodan/podinfo:6.0.1');
  await phase(s, 'Succeeded', 120_000, op);
  assertNoForbidden(op);
  const events = await s.env.core.listNamespacedEvent({ namespace: ns });
  assert.ok(
    events.items.some(
      (e) => e.source?.component === 'flagger-ts' && /Promotion completed/.test(e.message ?? ''),
    ),
    'the operator wrote its Events',
  );

  const problems = await expectAccess(
    id,
    [
      { verb: 'watch', group: 'flagger.app', resource: 'canaries' },
      { verb: 'patch', group: 'flagger.app', resource: 'canaries', subresource: 'status', namespace: ns },
      { verb: 'get', resource: 'secrets', namespace: ns },
      { verb: 'create', group: 'apps', resource: 'deployments', namespace: ns },
      // Metric providers that read through the Kubernetes API (externalmetrics, keptn).
      { verb: 'get', group: 'external.metrics.k8s.io', resource: 'job-success-rate', namespace: ns },
      { verb: 'get', group: 'metrics.keptn.sh', resource: 'keptnmetrics', namespace: ns },
      { verb: 'create', group: 'metrics.keptn.sh', resource: 'analyses', namespace: ns },
      { verb: 'delete', group: 'metrics.keptn.sh', resource: 'analyses', namespace: ns },
    ],
    [
      { verb: 'delete', resource: 'namespaces', name: ns },
      { verb: 'delete', resource: 'secrets', namespace: ns },
      { verb: 'patch', resource: 'secrets', namespace: ns },
      { verb: 'delete', resource: 'configmaps', namespace: ns },
      { verb: 'create', resource: 'serviceaccounts', subresource: 'token', namespace: ns },
      { verb: 'delete', group: 'apps', resource: 'deployments', namespace: ns },
      { verb: 'delete', group: 'flagger.app', resource: 'canaries', namespace: ns },
      { verb: 'update', group: 'flagger.app', resource: 'canaries', subresource: 'status', namespace: ns },
      { verb: 'create', resource: 'pods', namespace: ns },
      { verb: 'create', resource: 'pods', subresource: 'exec', namespace: ns },
      { verb: 'get', resource: 'nodes' },
      { verb: 'create', group: 'rbac.authorization.k8s.io', resource: 'clusterroles' },
      { verb: 'create', group: 'coordination.k8s.io', resource: 'leases', namespace: ns },
      { verb: 'delete', group: 'metrics.keptn.sh', resource: 'keptnmetrics', namespace: ns },
    ] satisfies Access[],
  );
  assert.deepEqual(problems, []);
});

test('namespace-scoped chart with leader election (2 replicas) and a PDB', async (t) => {
  const s = await canaryScenario(t, 'pkg-ns', { start: false });
  const ns = s.env.namespace;
  const objs = helmTemplate('flagger-ts', {
    release: 'flagger-ts',
    namespace: ns,
    includeCrds: true,
    values: {
      namespace: ns,
      meshProvider: 'istio',
      metricsServer: s.env.cluster.prometheusUrl,
      leaderElection: { enabled: true, replicaCount: 2 },
      podDisruptionBudget: { enabled: true, minAvailable: 1 },
    },
  });
  assert.ok(!objs.some((o) => o.kind === 'ClusterRole' || o.kind === 'ClusterRoleBinding'));
  applyObjects(t, s.env, objs);
  const deployment = findObject(objs, 'Deployment');
  assert.equal(await waitDeploymentAvailable(s.env, deployment.metadata.name), 2);
  // The disruption controller evaluates the chart's PDB against the two pods.
  const pdb = await eventually('PDB status', async () => {
    const p = await s.env.kube.get({
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      namespace: ns,
      name: findObject(objs, 'PodDisruptionBudget').metadata.name,
    });
    const st = (p as { status?: { expectedPods?: number; disruptionsAllowed?: number } }).status;
    return st?.expectedPods === 2 ? st : undefined;
  });
  assert.equal(pdb.disruptionsAllowed, 1);

  const id = await serviceAccountKubeconfig(t, s.env, ns, findObject(objs, 'ServiceAccount').metadata.name);
  const args = ['controller', ...renderedControllerArgs(deployment), ...localArgs(id.kubeconfigPath)];
  assert.ok(args.includes(`--namespace=${ns}`) && args.includes('--enable-leader-election'));
  const replicas = [startCli(t, args), startCli(t, args)];
  await Promise.all(replicas.map((r) => r.port()));
  const becameLeader = (r: CliProcess): boolean =>
    r.logs().some((l) => l.msg === 'became leader; starting to reconcile');
  const leader = await eventually('one replica to lead', () => replicas.find(becameLeader), 60_000);
  await phase(s, 'Initialized', 90_000, ...replicas);
  assert.equal(replicas.filter(becameLeader).length, 1, 'exactly one leader');
  const lease = await s.env.kube.get({
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    namespace: ns,
    name: 'flagger-ts-leader-election',
  });
  assert.ok((lease as { spec?: { holderIdentity?: string } }).spec?.holderIdentity);

  // The leader goes away; the other replica takes the Lease over and promotes.
  await leader.stop();
  const follower = replicas.find((r) => r !== leader);
  assert.ok(follower);
  await eventually(
    'the other replica to take over',
    () => (becameLeader(follower) ? true : undefined),
    60_000,
  );
  await setImage(s.env, 'ghcr.io/stefanprodan/podinfo:6.0.1');
  await phase(s, 'Succeeded', 120_000, ...replicas);
  assertNoForbidden(...replicas);

  const other = 'kube-system';
  const problems = await expectAccess(
    id,
    [
      { verb: 'list', group: 'flagger.app', resource: 'canaries', namespace: ns },
      { verb: 'update', group: 'coordination.k8s.io', resource: 'leases', namespace: ns },
    ],
    [
      { verb: 'list', group: 'flagger.app', resource: 'canaries' },
      { verb: 'list', group: 'flagger.app', resource: 'canaries', namespace: other },
      { verb: 'get', group: 'apps', resource: 'deployments', namespace: other },
      { verb: 'create', resource: 'services', namespace: other },
      { verb: 'get', resource: 'secrets', namespace: other },
      { verb: 'update', group: 'coordination.k8s.io', resource: 'leases', namespace: other },
      { verb: 'delete', resource: 'namespaces', name: ns },
      { verb: 'delete', resource: 'services', namespace: ns },
    ] satisfies Access[],
  );
  assert.deepEqual(problems, []);
});
