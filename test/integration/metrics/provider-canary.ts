// One real canary judged by one MetricTemplate of a non-Prometheus provider: it must
// promote while the backend reports a good value and roll back once it reports a bad
// one. The backend (real or a vendor-API fake) is the test's; this drives the rollout.
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { canaryStatus, setImage, waitForPhase } from '../../harness/canary.js';
import { canaryScenario, type Scenario } from '../../harness/scenario.js';

export interface ProviderCanary {
  readonly prefix: string;
  /** MetricTemplate spec.provider (the Secret, when given, is referenced automatically). */
  readonly provider: Record<string, unknown>;
  readonly query: string;
  readonly secret?: Record<string, string> | undefined;
  /** Metric interval: the windowed providers look back 10 of these. */
  readonly interval?: string;
  readonly thresholdRange: { readonly min?: number; readonly max?: number };
  /** Makes the backend report a passing (then a failing) value. */
  good(): Promise<void> | void;
  bad(): Promise<void> | void;
}

interface Check {
  readonly name: string;
  readonly passed: boolean;
  readonly value?: number;
  readonly message?: string;
}

async function checks(s: Scenario): Promise<Check[]> {
  return ((await canaryStatus(s.env)).raw['checks'] ?? []) as Check[];
}

/** Runs promote-then-rollback; returns the scenario for extra assertions. */
export async function promoteThenRollBack(t: TestContext, o: ProviderCanary): Promise<Scenario> {
  const s = await canaryScenario(t, o.prefix, {
    start: false,
    canary: {
      analysis: {
        threshold: 2,
        metrics: [
          {
            name: 'vendor-metric',
            templateRef: { name: 'vendor' },
            interval: o.interval ?? '30s',
            thresholdRange: o.thresholdRange,
          },
        ],
      },
    },
  });
  const { env } = s;
  if (o.secret !== undefined) {
    await env.kube.create({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'vendor-creds', namespace: env.namespace },
      stringData: o.secret,
    });
  }
  await env.kube.create({
    apiVersion: 'flagger.app/v1beta1',
    kind: 'MetricTemplate',
    metadata: { name: 'vendor', namespace: env.namespace },
    spec: {
      provider: { ...o.provider, ...(o.secret === undefined ? {} : { secretRef: { name: 'vendor-creds' } }) },
      query: o.query,
    },
  });
  await o.good();
  await s.startOperator();
  await waitForPhase(env, 'Initialized');
  await setImage(env, 'ghcr.io/stefanprodan/podinfo:6.0.1');
  await waitForPhase(env, 'Succeeded', 90_000);
  const passed = (await checks(s)).filter((c) => c.name === 'vendor-metric');
  assert.ok(passed.length > 0 && passed.every((c) => c.passed), JSON.stringify(passed));

  await o.bad();
  await setImage(env, 'ghcr.io/stefanprodan/podinfo:6.0.2');
  await waitForPhase(env, 'Failed', 90_000);
  const last = (await checks(s)).filter((c) => c.name === 'vendor-metric').at(-1);
  assert.equal(last?.passed, false, JSON.stringify(last));
  return s;
}
