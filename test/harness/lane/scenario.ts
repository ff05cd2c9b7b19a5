// One real-traffic scenario in the lane: a fresh namespace on the lane's cluster, the
// pod-server playing its pods (scraped by Prometheus), a podinfo Deployment whose env says
// how its pods answer, a Canary for the given provider gated step by step by the test, and
// the operator. Throws outside the lane (laneState), so it never runs on the host network.
import type { TestContext } from 'node:test';
import type { OperatorConfig } from '../../../src/config/operator-config.js';
import type { KubeObject } from '../../../src/kube/types.js';
import { isRecord } from '../../../src/kube/json.js';
import { eventually, testEnv, updateObject, type TestEnv } from '../cluster.js';
import { at } from '../json-path.js';
import { canaryStatus } from '../canary.js';
import { podinfoCanary, podinfoDeployment } from '../fixtures.js';
import { FLAGGER_CRDS, installCrds, kubectl } from '../kubectl.js';
import { startTestOperator } from '../operator.js';
import { addScrapeTarget } from '../prometheus.js';
import { startStepGate, type StepGate } from './gate.js';
import { TERMINATING_FOR, TERMINATING_FOR_ANNOTATION } from './pod-behaviour.js';
import { PodServer } from './pod-server.js';
import { laneState, type LaneState } from './state.js';

export interface LaneScenario {
  readonly env: TestEnv;
  readonly lane: LaneState;
  readonly pods: PodServer;
  readonly gate: StepGate;
  /** A new revision of the target: its pods answer as `podEnv` says (VERSION, ERROR_RATE, LATENCY_MS). */
  rollout(podEnv: Record<string, string>): Promise<void>;
  /** Waits until the canary reports `weight` while Progressing. */
  waitForWeight(weight: number, timeoutMs?: number): Promise<void>;
}

export interface LaneScenarioOptions {
  readonly provider: string;
  /** Merged into the Canary's spec (service, analysis ...). */
  readonly canary: (
    gate: StepGate,
    namespace: string,
  ) => { analysis?: Record<string, unknown>; spec?: Record<string, unknown> };
  /** Objects the user owns in front of the canary (IngressRoute ...), created before the Canary. */
  readonly userObjects?: (namespace: string) => KubeObject[];
  readonly operator?: Partial<OperatorConfig>;
  /** The first revision's pod env besides VERSION=v1 (e.g. a primary with LATENCY_MS). */
  readonly podEnv?: Record<string, string>;
  /** Labels on the test namespace before any pod exists (e.g. kuma.io/sidecar-injection). */
  readonly namespaceLabels?: Record<string, string>;
}

/**
 * The lane's podinfo: the pod env given, and pods that stay Terminating (holding their IP and
 * answering) for a while when deleted, as real pods drain. KWOK would otherwise hand the IP of a
 * pod deleted by a rollout to the next pod at once, and a router still holding the old endpoint
 * would send requests to another test's pod.
 */
function lanePodinfo(deployment: KubeObject, podEnv: Record<string, string>): KubeObject {
  const spec = deployment['spec'] as {
    template: {
      metadata?: { annotations?: Record<string, string> };
      spec: { containers: { env?: unknown[] }[] };
    };
  };
  const container = spec.template.spec.containers[0];
  if (container) container.env = Object.entries(podEnv).map(([name, value]) => ({ name, value }));
  const meta = (spec.template.metadata ??= {});
  meta.annotations = { ...meta.annotations, [TERMINATING_FOR_ANNOTATION]: TERMINATING_FOR };
  return deployment;
}

export async function laneScenario(
  t: TestContext,
  prefix: string,
  o: LaneScenarioOptions,
): Promise<LaneScenario> {
  const lane = laneState();
  const env = await testEnv(t, prefix);
  const labels = Object.entries(o.namespaceLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  if (labels.length > 0) kubectl(env.cluster, ['label', 'namespace', env.namespace, ...labels]);
  installCrds(env.cluster, FLAGGER_CRDS);
  const pods = new PodServer(env.kc, env.namespace);
  const metrics = await pods.start();
  t.after(() => pods.stop());
  addScrapeTarget(t, env.cluster, `pods-${env.namespace}`, metrics);
  const gate = await startStepGate(t);
  await env.kube.create(lanePodinfo(podinfoDeployment(env.namespace), { VERSION: 'v1', ...o.podEnv }));
  for (const obj of o.userObjects?.(env.namespace) ?? []) await env.kube.create(obj);
  await env.kube.create(
    podinfoCanary(env.namespace, { provider: o.provider, ...o.canary(gate, env.namespace) }),
  );
  await startTestOperator(t, env, { meshProvider: o.provider, ...o.operator });
  return {
    env,
    lane,
    pods,
    gate,
    async rollout(podEnv) {
      // The operator may scale the Deployment at the same moment: retried on 409.
      const ref = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'podinfo', namespace: env.namespace };
      await updateObject(env.kube, ref, (d) => {
        const c = at(d, 'spec', 'template', 'spec', 'containers', 0);
        if (!isRecord(c)) throw new Error('podinfo has no container');
        c['env'] = Object.entries(podEnv).map(([name, value]) => ({ name, value }));
      });
    },
    async waitForWeight(weight, timeoutMs = 60_000) {
      await eventually(
        `canary weight ${weight}`,
        async () => {
          const s = await canaryStatus(env);
          if (s.phase === 'Failed') throw new Error(`canary failed: ${JSON.stringify(s.conditions)}`);
          return s.phase === 'Progressing' && s.canaryWeight === weight ? true : undefined;
        },
        timeoutMs,
      );
    },
  };
}

/** Waits until the pod-server listens for every Running pod of the namespace. */
export async function waitServed(s: LaneScenario, count: number): Promise<void> {
  await eventually(`${count} pods served`, () => (s.pods.servedUids().length >= count ? true : undefined));
}
