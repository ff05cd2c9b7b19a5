// Prometheus killed, then frozen (SIGSTOP), in the middle of an analysis. The canary judged by it
// must fail its checks with a clear message in status.checks — a refused connection while it is
// dead, a timeout bounded by the 5 s query timeout while it is frozen — and never advance or hang
// on them; it resumes when Prometheus is back and promotes (the threshold is above the outage).
// A bystander canary judged by another, healthy Prometheus keeps its 2 s interval throughout.
// The Prometheus that is killed is this test's own; the bystander uses the shared one.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IstioExporter } from '../../../hack/demo/istio-exporter.js';
import { eventually, testEnv } from '../../harness/cluster.js';
import { deploymentImage, setImage, waitForPhase } from '../../harness/canary.js';
import { FLAGGER_CRDS, installCrds } from '../../harness/kubectl.js';
import { startTestOperator } from '../../harness/operator.js';
import { addScrapeTarget, waitForSeries } from '../../harness/prometheus.js';
import { applyThirdPartyCrds } from '../../harness/third-party-crds.js';
import { namedCanary, namedDeployment } from './named-workload.js';
import { startPrivatePrometheus } from './private-prometheus.js';
import { gapsOf, rolloutStatus, type RolloutStatus } from './rollout-checks.js';

const INTERVAL_S = 2;
const QUERY_TIMEOUT_S = 5;
const THRESHOLD = 15;
const IMAGE = 'ghcr.io/stefanprodan/podinfo:6.0.1';

test('Prometheus killed and frozen mid-analysis: bounded failed checks, a healthy bystander, then resume', async (t) => {
  const env = await testEnv(t, 'promfault');
  installCrds(env.cluster, FLAGGER_CRDS);
  await applyThirdPartyCrds(env.cluster, 'istio');
  const ns = env.namespace;
  const prom = await startPrivatePrometheus(t);
  const exporter = new IstioExporter();
  for (const workload of ['victim', 'bystander'])
    exporter.set({ namespace: ns, workload, rps: 20, errorRatio: 0, latencyMs: 40 });
  const target = await exporter.listen();
  t.after(() => exporter.close());
  addScrapeTarget(t, env.cluster, `promfault-${ns}`, target);
  prom.addTarget('exporter', target);
  const rate = (w: string): string =>
    `rate(istio_requests_total{destination_workload_namespace="${ns}",destination_workload="${w}"}[10s])`;
  await waitForSeries(prom.url, rate('victim'));
  await waitForSeries(env.cluster.prometheusUrl, rate('bystander'));

  const analysis = {
    interval: `${String(INTERVAL_S)}s`,
    threshold: THRESHOLD,
    stepWeight: 20,
    maxWeight: 80,
  };
  await env.kube.create(namedDeployment(ns, 'victim'));
  await env.kube.create(namedCanary(ns, 'victim', { analysis }));
  await env.kube.create(namedDeployment(ns, 'bystander'));
  await env.kube.create(
    namedCanary(ns, 'bystander', {
      analysis: { ...analysis, maxWeight: 60 },
      spec: { metricsServer: env.cluster.prometheusUrl },
    }),
  );
  // The operator's --metrics-server is the Prometheus this test kills.
  await startTestOperator(t, env, { metricsServer: prom.url });
  const victim = (): Promise<RolloutStatus> => rolloutStatus(env, 'victim');
  for (const name of ['victim', 'bystander']) await waitForPhase(env, 'Initialized', 60_000, name);

  await setImage(env, IMAGE, 'victim');
  await eventually(
    'victim analysing at weight 20',
    async () => ((await victim()).canaryWeight === 20 ? true : undefined),
    60_000,
  );

  // 1. Killed: connections refused.
  const killed = await victim();
  prom.signal('SIGKILL');
  const down = await eventually(
    'two failed checks while Prometheus is down',
    async () => {
      const st = await victim();
      return (st.failedChecks ?? 0) >= (killed.failedChecks ?? 0) + 2 ? st : undefined;
    },
    30_000,
  );
  assert.equal(down.phase, 'Progressing');
  assert.equal(down.canaryWeight, killed.canaryWeight, 'no step while the metrics cannot be read');
  const refused = lastFailure(down);
  assert.match(refused, /ECONNREFUSED|connect|unreachable/i, `a clear failure: ${refused}`);

  await prom.restart();
  await eventually(
    'analysis resumed after the restart',
    async () => (((await victim()).canaryWeight ?? 0) > (killed.canaryWeight ?? 0) ? true : undefined),
    60_000,
  );

  // 2. Frozen: connections accepted, never answered. The bystander rolls out meanwhile.
  const frozen = await victim();
  prom.signal('SIGSTOP');
  const frozenAt = Date.now();
  const victimStamps = new Set<string>();
  const bystanderStamps = new Set<string>();
  const failures = new Set<string>();
  let last = frozen;
  await setImage(env, IMAGE, 'bystander');
  await eventually(
    'bystander Succeeded and the victim failed checks while Prometheus is frozen',
    async () => {
      last = await victim();
      if (last.lastAnalysisTime !== undefined) victimStamps.add(last.lastAnalysisTime);
      for (const c of last.checks ?? []) if (c.passed === false) failures.add(c.message ?? '');
      const by = await rolloutStatus(env, 'bystander');
      if (by.lastAnalysisTime !== undefined) bystanderStamps.add(by.lastAnalysisTime);
      return by.phase === 'Succeeded' && (last.failedChecks ?? 0) >= (frozen.failedChecks ?? 0) + 2
        ? true
        : undefined;
    },
    90_000,
  );
  const frozenFor = (Date.now() - frozenAt) / 1000;
  assert.equal(last.phase, 'Progressing');
  assert.equal(last.canaryWeight, frozen.canaryWeight, 'no step while Prometheus is frozen');
  assert.ok(
    [...failures].some((m) => /timed out after 5000ms|did not answer/i.test(m)),
    `a timeout named in status.checks: ${[...failures].join(' | ')}`,
  );
  // Each analysis while frozen ends within interval + query timeout (second-precision stamps: +2 s).
  const victimGaps = gapsOf(victimStamps);
  for (const gap of victimGaps)
    assert.ok(
      gap <= INTERVAL_S + QUERY_TIMEOUT_S + 2,
      `a frozen-Prometheus analysis gap of ${String(gap)} s`,
    );
  const bystanderGaps = gapsOf(bystanderStamps);
  assert.ok(bystanderGaps.length >= 3, `bystander analysis steps seen: ${String(bystanderGaps.length)}`);
  for (const gap of bystanderGaps)
    assert.ok(gap <= INTERVAL_S + 2, `a bystander analysis gap of ${String(gap)} s`);

  prom.signal('SIGCONT');
  const end = await eventually(
    'victim Succeeded after Prometheus thawed',
    async () => {
      const st = await victim();
      return st.phase === 'Succeeded' || st.phase === 'Failed' ? st : undefined;
    },
    90_000,
  );
  assert.equal(
    end.phase,
    'Succeeded',
    `victim ended ${end.phase ?? ''} with ${String(end.failedChecks)} failed checks`,
  );
  assert.equal(await deploymentImage(env, 'victim-primary'), IMAGE);
  t.diagnostic(
    `victim: ${String(down.failedChecks)} failed checks after the kill ("${refused}"); frozen ${frozenFor.toFixed(1)} s, ` +
      `analysis gaps ${victimGaps.join(', ')} s; bystander gaps ${bystanderGaps.join(', ')} s`,
  );
});

/** The message of the newest failed check in status.checks. */
function lastFailure(st: RolloutStatus): string {
  const failed = (st.checks ?? []).filter((c) => c.passed === false);
  return failed.at(-1)?.message ?? '(no failed check recorded)';
}
