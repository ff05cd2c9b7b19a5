// Runs the real operator in-process against the local cluster, scoped to the test's
// namespace (so tests cannot see each other's canaries), with a short interval floor.
import { KubeConfig } from '@kubernetes/client-node';
import type { TestContext } from 'node:test';
import { parseOperatorConfig, type OperatorConfig } from '../../src/config/operator-config.js';
import { startOperator, type Operator } from '../../src/controller/operator.js';
import { createLogger, silentLogger } from '../../src/telemetry/logger.js';
import { eventually, type TestEnv } from './cluster.js';

export async function startTestOperator(
  t: TestContext,
  env: TestEnv,
  overrides: Partial<OperatorConfig> = {},
): Promise<Operator> {
  const kc = new KubeConfig();
  kc.loadFromFile(env.cluster.kubeconfig);
  const config = parseOperatorConfig({
    meshProvider: 'istio',
    metricsServer: env.cluster.prometheusUrl,
    namespace: env.namespace,
    port: 0,
    listenAddress: '127.0.0.1',
    minAnalysisIntervalMs: 500,
    logLevel: 'debug',
    ...overrides,
  });
  const logger = process.env['OPERATOR_LOGS'] === 'true' ? createLogger('debug') : silentLogger();
  const op = await startOperator({ config, logger, kubeConfig: kc, webhookRetryBaseDelayMs: 50 });
  let stopped = false;
  t.after(async () => {
    if (!stopped) await op.stop();
  });
  return {
    ...op,
    stop: async () => {
      stopped = true;
      await op.stop();
    },
  };
}

/** Reconciles the operator has finished, whatever their result: evidence that it looked again. */
export async function reconcileCount(op: Operator): Promise<number> {
  return (await op.metrics.reconciles.get()).values.reduce((sum, v) => sum + v.value, 0);
}

/** Waits until the operator has finished `more` reconciles after this call. */
export async function moreReconciles(op: Operator, more: number, timeoutMs = 30_000): Promise<void> {
  const start = await reconcileCount(op);
  await eventually(
    `${more} more reconciles`,
    async () => ((await reconcileCount(op)) >= start + more ? true : undefined),
    timeoutMs,
  );
}
