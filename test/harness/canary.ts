// Observing a canary on the real cluster: its status, the VirtualService weights
// the operator wrote, and a log of every distinct (phase, weight) it went through.
import { Watch } from '@kubernetes/client-node';
import type { TestContext } from 'node:test';
import type { KubeObject } from '../../src/kube/types.js';
import { isRecord } from '../../src/kube/json.js';
import { eventually, sleep, updateObject, type TestEnv } from './cluster.js';
import { at } from './json-path.js';

export interface CanaryStatusView {
  phase: string;
  canaryWeight: number;
  failedChecks: number;
  iterations: number;
  conditions: { type: string; status: string; reason: string; message: string }[];
  raw: Record<string, unknown>;
}

export async function readCanary(env: TestEnv, name = 'podinfo'): Promise<KubeObject> {
  return (await env.custom.getNamespacedCustomObject({
    group: 'flagger.app',
    version: 'v1beta1',
    namespace: env.namespace,
    plural: 'canaries',
    name,
  })) as KubeObject;
}

export async function canaryStatus(env: TestEnv, name = 'podinfo'): Promise<CanaryStatusView> {
  const c = await readCanary(env, name);
  const s = (c['status'] ?? {}) as Record<string, unknown>;
  return {
    phase: typeof s['phase'] === 'string' ? s['phase'] : '',
    canaryWeight: typeof s['canaryWeight'] === 'number' ? s['canaryWeight'] : 0,
    failedChecks: typeof s['failedChecks'] === 'number' ? s['failedChecks'] : 0,
    iterations: typeof s['iterations'] === 'number' ? s['iterations'] : 0,
    conditions: Array.isArray(s['conditions']) ? (s['conditions'] as CanaryStatusView['conditions']) : [],
    raw: s,
  };
}

export async function waitForPhase(
  env: TestEnv,
  phase: string,
  timeoutMs = 60_000,
  name = 'podinfo',
): Promise<CanaryStatusView> {
  try {
    return await eventually(
      `canary ${name} phase ${phase}`,
      async () => {
        const s = await canaryStatus(env, name);
        return s.phase === phase ? s : undefined;
      },
      timeoutMs,
    );
  } catch (err) {
    throw new Error(`${(err as Error).message}\n${await explainCanary(env, name)}`);
  }
}

/** Where the canary stands and what the operator last said about it, for a failed wait's message. */
export async function explainCanary(env: TestEnv, name = 'podinfo'): Promise<string> {
  const lines: string[] = [];
  try {
    const s = await canaryStatus(env, name);
    const { phase, canaryWeight, failedChecks, iterations, conditions } = s;
    lines.push(`status: ${JSON.stringify({ phase, canaryWeight, failedChecks, iterations, conditions })}`);
    lines.push(`checks: ${JSON.stringify(s.raw['checks'] ?? [])}`);
  } catch (err) {
    lines.push(`status unreadable: ${(err as Error).message}`);
  }
  try {
    const events = await env.core.listNamespacedEvent({ namespace: env.namespace });
    const recent = events.items
      .map((e) => ({ at: String(e.lastTimestamp ?? e.eventTime ?? ''), e }))
      .sort((a, b) => a.at.localeCompare(b.at))
      .slice(-15);
    for (const { at, e } of recent)
      lines.push(
        `event ${at} ${e.involvedObject.kind ?? ''}/${e.involvedObject.name ?? ''} ${e.reason ?? ''} ×${e.count ?? 1}: ${e.message ?? ''}`,
      );
  } catch (err) {
    lines.push(`events unreadable: ${(err as Error).message}`);
  }
  return lines.join('\n');
}

/** The VirtualService `name` as stored, or undefined when it does not exist (yet). */
export async function readVirtualService(env: TestEnv, name = 'podinfo'): Promise<unknown> {
  return env.custom
    .getNamespacedCustomObject({
      group: 'networking.istio.io',
      version: 'v1beta1',
      namespace: env.namespace,
      plural: 'virtualservices',
      name,
    })
    .catch(() => undefined);
}

export async function virtualServiceWeights(
  env: TestEnv,
  name = 'podinfo',
): Promise<{ primary: number; canary: number; mirror: boolean } | undefined> {
  return weightsOf(await readVirtualService(env, name), name);
}

/** The weights a VirtualService object carries. */
export function weightsOf(
  obj: unknown,
  name: string,
): { primary: number; canary: number; mirror: boolean } | undefined {
  const vs = obj as
    | {
        spec?: {
          http?: { route?: { destination: { host: string }; weight?: number }[]; mirror?: unknown }[];
        };
      }
    | undefined;
  const route = vs?.spec?.http?.[0];
  if (!route?.route) return undefined;
  const weight = (host: string): number => route.route?.find((r) => r.destination.host === host)?.weight ?? 0;
  return {
    primary: weight(`${name}-primary`),
    canary: weight(`${name}-canary`),
    mirror: route.mirror !== undefined,
  };
}

/**
 * Every distinct value `extract` gives for one object, in order, from a watch of `path` (a
 * collection URL): unlike polling, no short-lived state is missed on a loaded machine.
 * Stops at `stop()` or when the test ends.
 */
export async function watchObject<T>(
  t: TestContext,
  env: TestEnv,
  path: string,
  name: string,
  extract: (obj: unknown) => T | undefined,
): Promise<{ values: T[]; stop: () => void }> {
  const values: T[] = [];
  const controller = await new Watch(env.kc).watch(
    path,
    { fieldSelector: `metadata.name=${name}` },
    (_phase: string, obj: unknown) => {
      const v = extract(obj);
      if (v !== undefined && JSON.stringify(values.at(-1)) !== JSON.stringify(v)) values.push(v);
    },
    () => undefined,
  );
  const stop = (): void => {
    controller.abort();
  };
  t.after(stop);
  return { values, stop };
}

/** Every canary weight the VirtualService carries, in order, from a watch (see watchObject). */
export function watchCanaryWeights(
  t: TestContext,
  env: TestEnv,
  name = 'podinfo',
): Promise<{ values: number[]; stop: () => void }> {
  return watchObject(
    t,
    env,
    `/apis/networking.istio.io/v1beta1/namespaces/${env.namespace}/virtualservices`,
    name,
    (obj) => weightsOf(obj, name)?.canary,
  );
}

/** Records each distinct value `probe` returns until `stop` resolves. */
export function recordWhile<T>(
  probe: () => Promise<T>,
  intervalMs = 100,
): { values: T[]; stop: () => Promise<void> } {
  const values: T[] = [];
  const state = { running: true };
  const loop = (async () => {
    while (state.running) {
      try {
        const v = await probe();
        if (values.length === 0 || JSON.stringify(values[values.length - 1]) !== JSON.stringify(v))
          values.push(v);
      } catch {
        /* transient read errors are not values */
      }
      await sleep(intervalMs);
    }
  })();
  return {
    values,
    stop: async () => {
      state.running = false;
      await loop;
    },
  };
}

/** Like `kubectl set image`; the operator may scale the workload at the same moment, so a 409 is retried. */
export async function setImage(
  env: TestEnv,
  image: string,
  name = 'podinfo',
  kind: 'Deployment' | 'DaemonSet' = 'Deployment',
): Promise<void> {
  const ref = { apiVersion: 'apps/v1', kind, name, namespace: env.namespace };
  await updateObject(env.kube, ref, (d) => {
    const c = at(d, 'spec', 'template', 'spec', 'containers', 0);
    if (!isRecord(c)) throw new Error(`${kind} ${name} has no container`);
    c['image'] = image;
  });
}

export async function deploymentImage(env: TestEnv, name: string): Promise<string | undefined> {
  const d = await env.apps.readNamespacedDeployment({ name, namespace: env.namespace });
  return d.spec?.template.spec?.containers[0]?.image;
}

export async function deploymentReplicas(env: TestEnv, name: string): Promise<number | undefined> {
  const d = await env.apps.readNamespacedDeployment({ name, namespace: env.namespace });
  return d.spec?.replicas;
}
