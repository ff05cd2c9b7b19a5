// The generated CRDs on a real API server: served, with Flagger's printer columns,
// and rejecting what the schema can express (one of iterations/stepWeight/stepWeights).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { testEnv } from '../../harness/cluster.js';
import { FLAGGER_CRDS, installCrds, kubectl, kubectlFails } from '../../harness/kubectl.js';

const canary = (ns: string, analysis: string): string => `
apiVersion: flagger.app/v1beta1
kind: Canary
metadata: { name: podinfo, namespace: ${ns} }
spec:
  targetRef: { apiVersion: apps/v1, kind: Deployment, name: podinfo }
  service: { port: 9898 }
  analysis: ${analysis}
`;

test('generated CRDs are served with printer columns and schema validation', async (t) => {
  const env = await testEnv(t, 'crds');
  installCrds(env.cluster, FLAGGER_CRDS);
  kubectl(
    env.cluster,
    ['apply', '-f', '-'],
    canary(env.namespace, '{ interval: 1m, threshold: 5, stepWeight: 10, maxWeight: 50 }'),
  );

  const wide = kubectl(env.cluster, ['get', 'canary', 'podinfo', '-n', env.namespace, '-o', 'wide']);
  const header = wide.split('\n')[0] ?? '';
  for (const col of [
    'STATUS',
    'WEIGHT',
    'LASTTRANSITIONTIME',
    'SUSPENDED',
    'FAILEDCHECKS',
    'INTERVAL',
    'MIRROR',
    'STEPWEIGHT',
    'STEPWEIGHTS',
    'MAXWEIGHT',
  ]) {
    assert.ok(header.includes(col), `column ${col} in: ${header}`);
  }
  const narrow = kubectl(env.cluster, ['get', 'canary', 'podinfo', '-n', env.namespace]).split('\n')[0] ?? '';
  assert.ok(!narrow.includes('STEPWEIGHT'), 'priority-1 columns only with -o wide');

  const both = kubectlFails(
    env.cluster,
    ['apply', '-f', '-'],
    canary(env.namespace, '{ interval: 1m, threshold: 5, stepWeight: 10, iterations: 3 }').replace(
      'name: podinfo,',
      'name: bad,',
    ),
  );
  assert.match(both, /oneOf|must validate one and only one/i);
  const badInterval = kubectlFails(
    env.cluster,
    ['apply', '-f', '-'],
    canary(env.namespace, '{ interval: soon, threshold: 5, stepWeight: 10 }').replace(
      'name: podinfo,',
      'name: bad2,',
    ),
  );
  assert.match(badInterval, /spec\.analysis\.interval/);
});
