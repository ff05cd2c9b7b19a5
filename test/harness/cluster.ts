// Test harness for the real local control plane: starts it once (or reuses the
// one already up), gives each test its own namespace and typed clients, and
// cleans up after the test.
import * as k8s from '@kubernetes/client-node';
import { randomBytes } from 'node:crypto';
import type { TestContext } from 'node:test';
import { up } from '../../hack/cluster/up.js';
import type { ClusterState } from '../../hack/cluster/state.js';
import { createKubeClient, type KubeClient } from '../../src/kube/client.js';
import { isConflict } from '../../src/kube/errors.js';
import type { KubeObject, ObjectRef } from '../../src/kube/types.js';

export interface Clients {
  readonly kc: k8s.KubeConfig;
  readonly core: k8s.CoreV1Api;
  readonly apps: k8s.AppsV1Api;
  readonly custom: k8s.CustomObjectsApi;
  readonly apiext: k8s.ApiextensionsV1Api;
  readonly objects: k8s.KubernetesObjectApi;
  /** flagger-ts's own plain-JSON client, for any kind. */
  readonly kube: KubeClient;
}

let cluster: Promise<ClusterState> | undefined;

/** The cluster for this process; `up` returns at once when one is already healthy. */
export function localCluster(): Promise<ClusterState> {
  cluster ??= up();
  return cluster;
}

export function clientsFor(kubeconfig: string): Clients {
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(kubeconfig);
  return {
    kc,
    core: kc.makeApiClient(k8s.CoreV1Api),
    apps: kc.makeApiClient(k8s.AppsV1Api),
    custom: kc.makeApiClient(k8s.CustomObjectsApi),
    apiext: kc.makeApiClient(k8s.ApiextensionsV1Api),
    objects: k8s.KubernetesObjectApi.makeApiClient(kc),
    kube: createKubeClient(kc),
  };
}

export interface TestEnv extends Clients {
  readonly cluster: ClusterState;
  readonly namespace: string;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `fn` until it returns a value other than undefined; the error names `what`. */
export async function eventually<T>(
  what: string,
  fn: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const start = Date.now();
  let lastErr: unknown;
  while (Date.now() - start < timeoutMs) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (err) {
      lastErr = err;
    }
    await sleep(200);
  }
  const detail = lastErr instanceof Error ? `; last error: ${lastErr.message}` : '';
  throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}${detail}`);
}

/** A fresh namespace (with its default ServiceAccount ready) deleted when the test ends. */
export async function testEnv(t: TestContext, prefix = 't'): Promise<TestEnv> {
  const state = await localCluster();
  const clients = clientsFor(state.kubeconfig);
  const slug = prefix
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')
    .slice(0, 40);
  const namespace = `${slug}-${randomBytes(3).toString('hex')}`;
  await clients.core.createNamespace({ body: { metadata: { name: namespace } } });
  t.after(async () => {
    if (process.env['KEEP_NAMESPACES'] === 'true') return;
    await clients.core.deleteNamespace({ name: namespace }).catch(() => undefined);
  });
  await eventually(`default ServiceAccount in ${namespace}`, async () => {
    await clients.core.readNamespacedServiceAccount({ name: 'default', namespace });
    return true;
  });
  return { ...clients, cluster: state, namespace };
}

/**
 * Read, change in place and replace `ref` the way `kubectl edit` does. The operator (or a stand-in
 * controller) may write the same object at the same moment, so a 409 means read again and retry.
 */
export async function updateObject(
  kube: KubeClient,
  ref: ObjectRef,
  change: (live: KubeObject) => void,
  attempts = 8,
): Promise<KubeObject> {
  for (let attempt = 1; ; attempt++) {
    const live = await kube.get(ref);
    if (live === undefined) throw new Error(`${ref.kind} ${ref.name} not found`);
    try {
      change(live);
      return await kube.replace(live);
    } catch (err) {
      if (!isConflict(err) || attempt >= attempts) throw err;
      await sleep(50 * attempt);
    }
  }
}
