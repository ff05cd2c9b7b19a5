// Provider `kuma` with real traffic: kuma-cp 1.8.1 (built from its Go module) runs in Kubernetes
// mode on the lane's cluster; its webhook injects the test namespace's pods and its pod
// controller writes their Dataplanes; it turns the operator's TrafficRoute into xDS for the
// lane's client data plane (kuma-dp + Envoy 1.40), whose Envoy splits the requests the test
// sends to the apex Service's ClusterIP between the primary and canary pods. Prometheus scrapes
// that data plane through kuma-prometheus-sd for the builtin checks. What the lane substitutes
// for a real meshed pod is in test/harness/lane/routers/kuma.ts and docs/providers/kuma.md.
// A weight counts as applied once Envoy's apex route has it and no replaced listener (which
// keeps the old routes for its open connections) is draining.
// TrafficRoutes are cluster-scoped and named after the Service, so the tests (which node:test
// runs one after the other within this file) each remove theirs at the end.
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { eventually } from '../../harness/cluster.js';
import {
  drainingListeners,
  kumaAppliedPercents,
  kumaCanaryPercents,
} from '../../harness/lane/routers/kuma-envoy.js';
import { laneScenario } from '../../harness/lane/scenario.js';
import { laneState } from '../../harness/lane/state.js';
import {
  DURATION,
  SUCCESS_RATE,
  appliedPercent,
  assertAllOnPrimary,
  checkPromotion,
  expectRollback,
  laneAnalysis,
  type CaseFactory,
} from './flows.js';

const HTTP = { annotations: { '9898.service.kuma.io/protocol': 'http' } };

function kumaRouter(): { adminUrl: string } {
  const r = laneState().routers['kuma'];
  if (r?.adminUrl === undefined)
    throw new Error(`kuma is not running in the lane: ${r?.error ?? 'not started'}`);
  return { adminUrl: r.adminUrl };
}

const kumaCase: CaseFactory = async (t: TestContext, prefix, analysis) => {
  const router = kumaRouter();
  const s = await laneScenario(t, `kuma-${prefix}`, {
    provider: 'kuma',
    // As Flagger's Kuma tutorial: an injected namespace and HTTP services.
    namespaceLabels: { 'kuma.io/sidecar-injection': 'enabled' },
    canary: (gate) => ({
      // The canary's series lag its first requests: new canary pods reach the client's Envoy as
      // endpoints only after Kuma's pod controller wrote their Dataplanes, a new weight through
      // kuma-cp's 1 s resource cache and configuration refresh, a cluster's series exist only
      // from its first answer on, and Envoy publishes histograms at its 5 s stats flush. Measured:
      // the first 4 checks after weight 10 found no success-rate data and up to 9 no duration
      // data, which the shared threshold of 3 turns into a rollback of a healthy canary. 15
      // tolerates that warm-up; a failing canary still fails within 15 checks.
      analysis: { ...analysis(gate.url), threshold: 15 },
      spec: { service: { port: 9898, targetPort: 9898, apex: HTTP, primary: HTTP, canary: HTTP } },
    }),
  });
  const ns = s.env.namespace;
  t.after(() => s.env.kube.delete({ apiVersion: 'kuma.io/v1alpha1', kind: 'TrafficRoute', name: 'podinfo' }));
  // Requests go to the apex Service's ClusterIP, which the client's Envoy intercepts.
  const clusterIp = await eventually(
    'apex Service podinfo with a ClusterIP',
    async () => {
      const svc = await s.env.core.readNamespacedService({ name: 'podinfo', namespace: ns });
      const ip = svc.spec?.clusterIP;
      return ip !== undefined && ip !== '' && ip !== 'None' ? ip : undefined;
    },
    90_000,
  );
  return {
    s,
    target: { url: `http://${clusterIp}:9898`, host: `${ns}.kuma.lane` },
    // Every route of the apex carries the split (Kuma adds no rules of its own).
    applied: appliedPercent(() => kumaAppliedPercents(router.adminUrl, ns, 'podinfo'), true),
    explain: async () =>
      `canary shares ${JSON.stringify(await kumaCanaryPercents(router.adminUrl, ns, 'podinfo'))}, ` +
      `${await drainingListeners(router.adminUrl)} listener(s) draining`,
  };
};

// The shared flows (flows.ts standardTests), with the values the builtin checks saw printed.
test('kuma: a healthy canary promotes; at each step the backends receive the weight ±5 points', async (t) => {
  await checkPromotion(t, await kumaCase(t, 'promote', (url) => laneAnalysis(url, [SUCCESS_RATE])));
});

test("kuma: 20 % errors roll back on request-success-rate from Kuma's Envoy metrics", async (t) => {
  const c = await kumaCase(t, 'errors', (url) => laneAnalysis(url, [SUCCESS_RATE]));
  const failed = await expectRollback(c.s, c.target, { ERROR_RATE: '0.2' }, SUCCESS_RATE.name);
  t.diagnostic(`failed checks: ${failed.map((f) => f.value).join(', ')}`);
  assert.ok(
    failed.some((f) => f.value > 60 && f.value < 95),
    JSON.stringify(failed),
  );
  await assertAllOnPrimary(c);
});

test("kuma: a canary answering in 400 ms fails request-duration from Kuma's Envoy metrics", async (t) => {
  const c = await kumaCase(t, 'slow', (url) => laneAnalysis(url, [DURATION]));
  const failed = await expectRollback(c.s, c.target, { LATENCY_MS: '400' }, DURATION.name);
  t.diagnostic(`failed checks: ${failed.map((f) => f.value).join(', ')}`);
  assert.ok(
    failed.some((f) => f.value >= 300),
    JSON.stringify(failed),
  );
});
