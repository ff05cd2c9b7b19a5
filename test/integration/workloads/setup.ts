// Shared pieces of the workload integration tests: a namespace with the CRDs, a
// blue/green Canary on the `kubernetes` provider (no mesh, no metrics: these tests are
// about the workload objects), and small readers for what the operator wrote.
import type { TestContext } from 'node:test';
import { isRecord } from '../../../src/kube/json.js';
import type { KubeObject, ObjectRef } from '../../../src/kube/types.js';
import { eventually, testEnv, type TestEnv } from '../../harness/cluster.js';
import { setImage, waitForPhase, type CanaryStatusView } from '../../harness/canary.js';
import type { Operator } from '../../../src/controller/operator.js';
import { startTestOperator } from '../../harness/operator.js';
import { podinfoCanary } from '../../harness/fixtures.js';
import { FLAGGER_CRDS, installCrds } from '../../harness/kubectl.js';
import { applyThirdPartyCrds } from '../../harness/third-party-crds.js';
import { at } from '../../harness/json-path.js';

export { at };

export const IMAGE = 'ghcr.io/stefanprodan/podinfo';

export async function workloadEnv(t: TestContext, prefix: string, keda = false): Promise<TestEnv> {
  const env = await testEnv(t, prefix);
  installCrds(env.cluster, FLAGGER_CRDS);
  // KEDA's own ScaledObject CRD from its Go module (hack/crds/pins.txt), not a stand-in.
  if (keda) await applyThirdPartyCrds(env.cluster, 'keda');
  return env;
}

export interface BlueGreenOptions {
  readonly kind?: 'Deployment' | 'DaemonSet';
  readonly iterations?: number;
  readonly webhooks?: unknown[];
  readonly spec?: Record<string, unknown>;
}

/**
 * Blue/green with the kubernetes provider: `iterations` checks, then an all-at-once switch.
 * The harness canary's step weights and metrics are unset (undefined is not serialised).
 */
export function blueGreenCanary(namespace: string, o: BlueGreenOptions = {}): KubeObject {
  return podinfoCanary(namespace, {
    provider: 'kubernetes',
    analysis: {
      threshold: 1,
      iterations: o.iterations ?? 2,
      stepWeight: undefined,
      maxWeight: undefined,
      metrics: [],
      webhooks: o.webhooks ?? [],
    },
    spec: { targetRef: { apiVersion: 'apps/v1', kind: o.kind ?? 'Deployment', name: 'podinfo' }, ...o.spec },
  });
}

/** A podinfo workload of `kind` whose pod spec can be extended (config references). */
export function podinfoWorkload(
  namespace: string,
  kind: 'Deployment' | 'DaemonSet',
  podSpec: Record<string, unknown> = {},
  replicas = 1,
): KubeObject {
  const container = {
    name: 'podinfod',
    image: `${IMAGE}:6.0.0`,
    ports: [{ name: 'http', containerPort: 9898 }],
  };
  const containerExtra = isRecord(podSpec['container']) ? podSpec['container'] : {};
  const { container: _c, ...rest } = podSpec;
  return {
    apiVersion: 'apps/v1',
    kind,
    metadata: { name: 'podinfo', namespace, labels: { app: 'podinfo' } },
    spec: {
      ...(kind === 'Deployment' ? { replicas } : {}),
      selector: { matchLabels: { app: 'podinfo' } },
      template: {
        metadata: { labels: { app: 'podinfo' } },
        spec: { containers: [{ ...container, ...containerExtra }], ...rest },
      },
    },
  };
}

export const ref = (env: TestEnv, apiVersion: string, kind: string, name: string): ObjectRef => ({
  apiVersion,
  kind,
  name,
  namespace: env.namespace,
});

/** The object, which must exist. */
export async function read(env: TestEnv, r: ObjectRef): Promise<KubeObject> {
  const obj = await env.kube.get(r);
  if (obj === undefined) throw new Error(`${r.kind} ${r.name} not found`);
  return obj;
}

/** Waits until `r` exists and `check` accepts it; returns it. */
export function eventuallyObject(
  env: TestEnv,
  r: ObjectRef,
  what: string,
  check: (obj: KubeObject) => boolean = () => true,
  timeoutMs = 30_000,
): Promise<KubeObject> {
  return eventually(
    `${r.kind} ${r.name}: ${what}`,
    async () => {
      const obj = await env.kube.get(r);
      return obj !== undefined && check(obj) ? obj : undefined;
    },
    timeoutMs,
  );
}

/** The first container's image of a workload's pod template. */
export const imageOf = (w: KubeObject): unknown =>
  at(w, 'spec', 'template', 'spec', 'containers', 0, 'image');

/** Sets the first container's image of the podinfo workload. */
export function setWorkloadImage(
  env: TestEnv,
  kind: 'Deployment' | 'DaemonSet',
  image: string,
): Promise<void> {
  return setImage(env, image, 'podinfo', kind);
}

/** Creates the Canary, starts the operator for the namespace and waits for Initialized. */
export async function initialize(
  t: TestContext,
  env: TestEnv,
  canary: KubeObject,
): Promise<{ status: CanaryStatusView; operator: Operator }> {
  await env.kube.create(canary);
  const operator = await startTestOperator(t, env);
  return { status: await waitForPhase(env, 'Initialized', 45_000), operator };
}

/** The primary autoscaler's scaleTargetRef: the primary Deployment. */
export const PRIMARY_DEPLOYMENT_REF = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'podinfo-primary' };

/** A blue/green Canary whose target is scaled by the autoscaler `autoscalerRef` names. */
export function autoscaledCanary(
  namespace: string,
  autoscalerRef: Record<string, unknown>,
  iterations: number,
): KubeObject {
  return blueGreenCanary(namespace, { iterations, spec: { autoscalerRef } });
}
