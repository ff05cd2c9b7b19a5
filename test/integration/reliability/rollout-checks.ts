// What every reliability case checks about a rollout: how it ended, and that the primary was
// rolled out exactly once per promotion (the Deployment controller's revision counter moves by
// one per template change, so a second promotion of the same revision would show).
import { eventually, type TestEnv } from '../../harness/cluster.js';
import { readCanary } from '../../harness/canary.js';

export interface RolloutStatus {
  phase?: string;
  canaryWeight?: number;
  failedChecks?: number;
  iterations?: number;
  lastAppliedSpec?: string;
  lastAnalysisTime?: string;
  checks?: { metric?: string; passed?: boolean; message?: string; time?: string }[];
}

export async function rolloutStatus(env: TestEnv, name = 'podinfo'): Promise<RolloutStatus> {
  const status: unknown = (await readCanary(env, name))['status'];
  // Written by the operator against the CRD's status schema; the test reads it as such.
  return typeof status === 'object' && status !== null ? status : {};
}

export async function primaryRevision(env: TestEnv, name = 'podinfo'): Promise<number> {
  const d = await env.apps.readNamespacedDeployment({ name: `${name}-primary`, namespace: env.namespace });
  return Number(d.metadata?.annotations?.['deployment.kubernetes.io/revision'] ?? '0');
}

/** Waits until the Deployment controller has seen the primary's last change, so its revision is final. */
export async function primarySettled(env: TestEnv, name = 'podinfo'): Promise<void> {
  await eventually(
    `${name}-primary observed`,
    async () => {
      const d = await env.apps.readNamespacedDeployment({
        name: `${name}-primary`,
        namespace: env.namespace,
      });
      return d.status?.observedGeneration === d.metadata?.generation ? true : undefined;
    },
    90_000,
  ); // the Deployment controller lags under a storm on a loaded machine (30 s was not enough)
}

/** The phase a rollout ended in: the first Succeeded/Failed after lastAppliedSpec left `previousSpec`. */
export async function rolloutEnd(
  env: TestEnv,
  previousSpec: string | undefined,
  timeoutMs: number,
  name = 'podinfo',
): Promise<string> {
  return eventually(
    `${name} rollout ended`,
    async () => {
      const st = await rolloutStatus(env, name);
      return st.lastAppliedSpec !== previousSpec && (st.phase === 'Succeeded' || st.phase === 'Failed')
        ? st.phase
        : undefined;
    },
    timeoutMs,
  );
}

/** Second-precision analysis stamps → gaps in seconds, sorted. */
export function gapsOf(stamps: Iterable<string>): number[] {
  const times = [...stamps].map((s) => Date.parse(s)).sort((a, b) => a - b);
  return times.slice(1).map((x, i) => (x - (times[i] ?? x)) / 1000);
}

/** For a failure message: the canary's status and last checks, and its recent Warning events. */
export async function rolloutDiagnosis(env: TestEnv, name = 'podinfo'): Promise<string> {
  const st = await rolloutStatus(env, name).catch(() => undefined);
  const events = await env.core
    .listNamespacedEvent({ namespace: env.namespace, fieldSelector: `involvedObject.name=${name}` })
    .then((l) =>
      l.items.filter((e) => e.type === 'Warning').map((e) => `${e.reason ?? ''}: ${e.message ?? ''}`),
    )
    .catch(() => []);
  const checks = (st?.checks ?? [])
    .slice(-3)
    .map((c) => `${c.passed === true ? 'ok' : 'FAILED'} ${c.message ?? ''}`);
  return `phase ${st?.phase ?? '?'} weight ${String(st?.canaryWeight)} failedChecks ${String(st?.failedChecks)}; checks [${checks.join(' | ')}]; warnings [${events.slice(-5).join(' | ')}]`;
}
