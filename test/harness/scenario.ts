// A ready-to-run canary scenario on the real cluster: CRDs installed, an Istio-shaped
// exporter scraped by Prometheus, the podinfo Deployment and a Canary, and the operator.
import type { TestContext } from 'node:test';
import { IstioExporter } from '../../hack/demo/istio-exporter.js';
import type { OperatorConfig } from '../../src/config/operator-config.js';
import type { Operator } from '../../src/controller/operator.js';
import { testEnv, type TestEnv } from './cluster.js';
import { podinfoCanary, podinfoDeployment, type CanaryOptions } from './fixtures.js';
import { FLAGGER_CRDS, installCrds } from './kubectl.js';
import { startTestOperator } from './operator.js';
import { addScrapeTarget, waitForSeries } from './prometheus.js';
import { applyThirdPartyCrds } from './third-party-crds.js';

export interface Scenario {
  readonly env: TestEnv;
  readonly exporter: IstioExporter;
  operator: Operator | undefined;
  /** (Re)starts the operator for this namespace. */
  startOperator(overrides?: Partial<OperatorConfig>): Promise<Operator>;
}

export interface ScenarioOptions {
  readonly canary?: CanaryOptions;
  /** Start the operator right away (default true). */
  readonly start?: boolean;
  readonly errorRatio?: number;
  readonly operator?: Partial<OperatorConfig>;
}

export async function canaryScenario(
  t: TestContext,
  prefix: string,
  o: ScenarioOptions = {},
): Promise<Scenario> {
  const env = await testEnv(t, prefix);
  installCrds(env.cluster, FLAGGER_CRDS);
  await applyThirdPartyCrds(env.cluster, 'istio');
  const exporter = new IstioExporter();
  exporter.set({
    namespace: env.namespace,
    workload: 'podinfo',
    rps: 20,
    errorRatio: o.errorRatio ?? 0,
    latencyMs: 40,
  });
  addScrapeTarget(t, env.cluster, `${prefix}-${env.namespace}`, await exporter.listen());
  t.after(() => exporter.close());
  await env.kube.create(podinfoDeployment(env.namespace));
  await env.kube.create(podinfoCanary(env.namespace, o.canary));
  // The canary's traffic must be visible as a rate before analysis can judge it.
  await waitForSeries(
    env.cluster.prometheusUrl,
    `rate(istio_requests_total{destination_workload_namespace="${env.namespace}"}[10s])`,
  );
  const scenario: Scenario = {
    env,
    exporter,
    operator: undefined,
    async startOperator(overrides = {}) {
      scenario.operator = await startTestOperator(t, env, { ...o.operator, ...overrides });
      return scenario.operator;
    },
  };
  if (o.start !== false) await scenario.startOperator();
  return scenario;
}
