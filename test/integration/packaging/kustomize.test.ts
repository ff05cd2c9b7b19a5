// The kustomize bases render (kubectl's embedded kustomize), agree with the Helm chart
// (same RBAC rules, same CRDs, flags the CLI accepts), and the API server accepts them.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { testEnv } from '../../harness/cluster.js';
import { kubectl } from '../../harness/kubectl.js';
import { findObject, helmTemplate, kindsOf, kustomizeBuild, repoRoot, runOk } from './tools.js';
import { bindingOf, container, deploymentSpec, grants, rulesOf, serviceSpec } from './views.js';

/** The long flags `flagger-ts controller --help` lists. */
function controllerFlags(): Set<string> {
  const help = runOk(process.execPath, [join(repoRoot, 'dist/src/cli/main.js'), 'controller', '--help']);
  return new Set([...help.matchAll(/--[a-z][a-z-]+/g)].map((m) => m[0]));
}

test('kustomize base: CRDs identical to the chart, RBAC identical to the chart default', () => {
  const objs = kustomizeBuild('kustomize/base/flagger-ts');
  assert.deepEqual(kindsOf(objs), [
    'ClusterRole',
    'ClusterRoleBinding',
    'CustomResourceDefinition',
    'CustomResourceDefinition',
    'CustomResourceDefinition',
    'Deployment',
    'Namespace',
    'ServiceAccount',
  ]);
  assert.equal(
    readFileSync(join(repoRoot, 'kustomize/base/flagger-ts/crds.yaml'), 'utf8'),
    readFileSync(join(repoRoot, 'charts/flagger-ts/crds/crds.yaml'), 'utf8'),
    'kustomize/base/flagger-ts/crds.yaml is stale: run `npm run gen:crds`',
  );
  const chart = helmTemplate('flagger-ts', { release: 'flagger-ts', namespace: 'flagger-system' });
  assert.deepEqual(
    grants(rulesOf(findObject(objs, 'ClusterRole'))),
    grants(rulesOf(findObject(chart, 'ClusterRole'))),
  );

  const d = findObject(objs, 'Deployment', 'flagger-ts');
  assert.equal(d.metadata.namespace, 'flagger-system');
  assert.equal(deploymentSpec(d).template.spec.serviceAccountName, 'flagger-ts');
  const sa = findObject(objs, 'ServiceAccount', 'flagger-ts');
  assert.deepEqual(bindingOf(findObject(objs, 'ClusterRoleBinding')).subjects, [
    { kind: 'ServiceAccount', name: 'flagger-ts', namespace: sa.metadata.namespace },
  ]);
  // Same container contract as the chart: probes, port, read-only root.
  const c = container(d);
  const fromChart = container(findObject(chart, 'Deployment'));
  assert.deepEqual(c.ports, fromChart.ports);
  assert.deepEqual(c.livenessProbe?.httpGet, fromChart.livenessProbe?.httpGet);
  assert.deepEqual(c.readinessProbe?.httpGet, fromChart.readinessProbe?.httpGet);
  assert.deepEqual(c.securityContext, fromChart.securityContext);
  const known = controllerFlags();
  assert.equal(c.args[0], 'controller');
  for (const a of c.args.slice(1)) assert.ok(known.has(a.split('=')[0] ?? a), `unknown flag ${a}`);
});

test('kustomize istio overlay: Istio provider, everything in istio-system', () => {
  const objs = kustomizeBuild('kustomize/istio');
  assert.ok(!objs.some((o) => o.kind === 'Namespace'), 'istio-system is not ours to create');
  const d = findObject(objs, 'Deployment', 'flagger-ts');
  assert.equal(d.metadata.namespace, 'istio-system');
  const args = container(d).args;
  assert.ok(args.includes('--mesh-provider=istio'));
  assert.ok(args.includes('--metrics-server=http://prometheus.istio-system:9090'));
  assert.equal(findObject(objs, 'ServiceAccount').metadata.namespace, 'istio-system');
  assert.equal(bindingOf(findObject(objs, 'ClusterRoleBinding')).subjects[0]?.namespace, 'istio-system');
});

test('kustomize loadtester: Service 80 → 8080, same contract as the chart', () => {
  const objs = kustomizeBuild('kustomize/loadtester');
  assert.deepEqual(kindsOf(objs), ['Deployment', 'Service']);
  const d = findObject(objs, 'Deployment', 'flagger-loadtester');
  const fromChart = container(
    findObject(
      helmTemplate('loadtester', { release: 'flagger-loadtester', namespace: 'test' }),
      'Deployment',
    ),
  );
  assert.deepEqual(container(d).args, fromChart.args);
  assert.deepEqual(container(d).ports, fromChart.ports);
  const svc = serviceSpec(findObject(objs, 'Service', 'flagger-loadtester'));
  assert.deepEqual(svc.ports, [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }]);
  assert.deepEqual(svc.selector, deploymentSpec(d).selector.matchLabels);
});

test('the API server accepts the kustomize manifests (server-side dry run)', async (t) => {
  const env = await testEnv(t, 'pkg-kustomize');
  // Namespaced objects go into the test namespace; cluster-scoped ones are only validated.
  for (const dir of ['kustomize/base/flagger-ts', 'kustomize/loadtester']) {
    const objs = kustomizeBuild(dir).filter((o) => o.kind !== 'Namespace');
    for (const o of objs) if (o.metadata.namespace !== undefined) o.metadata.namespace = env.namespace;
    const out = kubectl(
      env.cluster,
      ['apply', '--server-side', '--dry-run=server', '--force-conflicts', '-o', 'name', '-f', '-'],
      JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objs }),
    );
    assert.equal(out.trim().split('\n').length, objs.length, `${dir}: ${out}`);
  }
});
