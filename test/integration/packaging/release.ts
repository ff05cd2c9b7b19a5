// Installs a rendered chart on the real cluster the way `helm install` would send it
// (server-side apply of every object), and removes the cluster-scoped leftovers that
// deleting the test namespace would not.
import type { TestContext } from 'node:test';
import { stringify } from 'yaml';
import { eventually, type TestEnv } from '../../harness/cluster.js';
import { kubectl } from '../../harness/kubectl.js';
import type { KubeObject } from '../../../src/kube/types.js';
import { container, deploymentSpec } from './views.js';

const CLUSTER_SCOPED = new Set([
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'Namespace',
]);

export function applyObjects(t: TestContext, env: TestEnv, objs: readonly KubeObject[]): void {
  // YAML 1.1 output: kubectl reads YAML 1.1, where a bare `n` or `on` (our CRD has a status
  // property `n`) would turn into a boolean.
  const text = objs.map((o) => `---\n${stringify(o, { version: '1.1' })}`).join('');
  kubectl(env.cluster, ['apply', '--server-side', '--force-conflicts', '-f', '-'], text);
  // CRDs are shared by every test; RBAC objects of this release are not.
  const owned = objs.filter((o) => o.kind === 'ClusterRole' || o.kind === 'ClusterRoleBinding');
  t.after(() => {
    for (const o of owned)
      kubectl(env.cluster, ['delete', o.kind.toLowerCase(), o.metadata.name, '--ignore-not-found']);
  });
  for (const o of objs)
    if (!CLUSTER_SCOPED.has(o.kind) && o.metadata.namespace === undefined)
      throw new Error(`${o.kind} ${o.metadata.name} has no namespace: the chart must set one`);
}

/** KWOK runs no containers, but it schedules and readies pods: the pod spec was accepted. */
export async function waitDeploymentAvailable(env: TestEnv, name: string): Promise<number> {
  return eventually(
    `Deployment ${name} to have all replicas ready`,
    async () => {
      const d = await env.apps.readNamespacedDeployment({ name, namespace: env.namespace });
      const want = d.spec?.replicas ?? 1;
      return d.status?.readyReplicas === want ? want : undefined;
    },
    60_000,
  );
}

/**
 * The operator's command line from the rendered Deployment (minus the `controller`
 * subcommand the test adds back), so the chart's flags are parsed by the real CLI.
 */
export function renderedControllerArgs(deployment: KubeObject): string[] {
  const [sub, ...args] = container(deployment).args;
  if (sub !== 'controller') throw new Error(`container args start with ${String(sub)}, not controller`);
  if (deploymentSpec(deployment).template.spec.serviceAccountName === '')
    throw new Error('the Deployment names no ServiceAccount');
  return args;
}
