// A Flagger user's values file on the flagger-ts chart: every value of Flagger 1.44's chart
// (read from its Go module, never committed) is honoured or refused by values.schema.json
// with the key named, and a mesh provider this build cannot route fails at `helm template`.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { findObject, helmBin, helmTemplate, run } from '../packaging/tools.js';
import { container, deploymentSpec } from '../packaging/views.js';
import { flaggerModuleDir } from '../../unit/api/flagger-module.js';

const flaggerValues = async (): Promise<Record<string, unknown>> =>
  parse(readFileSync(join(await flaggerModuleDir(), 'charts/flagger/values.yaml'), 'utf8')) as Record<
    string,
    unknown
  >;

/** Dotted paths of every leaf of a values tree (arrays and empty maps are leaves). */
function leaves(node: unknown, prefix = ''): string[] {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return [prefix];
  const entries = Object.entries(node);
  if (entries.length === 0) return [prefix];
  return entries.flatMap(([k, v]) => leaves(v, prefix === '' ? k : `${prefix}.${k}`));
}

const helmTemplateStatus = (set: string[]) =>
  run(helmBin(), ['template', 'f', 'charts/flagger-ts', ...set.flatMap((s) => ['--set', s])]);

test("Flagger's own values.yaml renders unchanged on the flagger-ts chart", async () => {
  const values = await flaggerValues();
  const objs = helmTemplate('flagger-ts', { release: 'flagger', namespace: 'flagger-system', values });
  const c = container(findObject(objs, 'Deployment'));
  assert.ok(c.args.includes('--mesh-provider=istio'), "meshProvider '' is Flagger's default, istio");
  assert.ok(c.args.includes('--log-level=info'));
});

// Values whose non-default value flagger-ts refuses (the schema names them).
const REFUSED: Record<string, string> = {
  'prometheus.install': 'true',
  'crd.create': 'true',
  'linkerdAuthPolicy.create': 'true',
  'rbac.pspEnabled': 'true',
  kubeconfigQPS: '50',
  kubeconfigBurst: '100',
  'controlplane.kubeconfig.secretName': 'mesh-kubeconfig',
  'podMonitor.honorLabels': 'true',
  'serviceMonitor.honorLabels': 'true',
};

test('every value of Flagger 1.44 chart is known to the schema; unsupported ones are refused by name', async () => {
  const schema = JSON.parse(readFileSync('charts/flagger-ts/values.schema.json', 'utf8')) as {
    properties: Record<string, { properties?: Record<string, unknown> }>;
  };
  for (const path of leaves(await flaggerValues())) {
    const [top = '', sub] = path.split('.');
    const node = schema.properties[top];
    assert.ok(node !== undefined, `${path}: not in values.schema.json`);
    if (sub !== undefined && node.properties !== undefined && !path.startsWith('affinity'))
      assert.ok(sub in node.properties, `${path}: not in values.schema.json`);
  }
  for (const [key, value] of Object.entries(REFUSED)) {
    const res = helmTemplateStatus([`${key}=${value}`]);
    assert.notEqual(res.status, 0, `${key}=${value} must be refused`);
    const last = key.split('.').pop() ?? key;
    assert.match(res.stderr, new RegExp(last), `${key}: the error names it: ${res.stderr}`);
  }
  const typo = helmTemplateStatus(['meshProvder=istio']);
  assert.notEqual(typo.status, 0);
  assert.match(typo.stderr, /meshProvder/);
});

test('honoured Flagger values reach the Deployment', () => {
  const objs = helmTemplate('flagger-ts', {
    release: 'flagger',
    namespace: 'flagger-system',
    values: {
      ingressClass: 'contour',
      ingressAnnotationsPrefix: 'custom.ingress.kubernetes.io',
      env: [{ name: 'EXTRA', value: '1' }],
      slack: { proxyUrl: 'http://proxy:3128' },
      deploymentLabels: { team: 'a' },
      additionalVolumes: [{ name: 'extra', emptyDir: {} }],
      additionalVolumeMounts: [{ name: 'extra', mountPath: '/extra' }],
      logLevel: 'warning',
    },
  });
  const d = findObject(objs, 'Deployment');
  const c = container(d);
  for (const arg of [
    '--ingress-class=contour',
    '--ingress-annotations-prefix=custom.ingress.kubernetes.io',
    '--slack-proxy-url=http://proxy:3128',
    '--log-level=warning',
  ])
    assert.ok(c.args.includes(arg), `${arg} in ${JSON.stringify(c.args)}`);
  assert.deepEqual(c.env, [{ name: 'EXTRA', value: '1' }]);
  assert.equal(d.metadata.labels?.['team'], 'a');
  assert.ok(deploymentSpec(d).template.spec.volumes?.some((v) => v.name === 'extra'));
  assert.ok(c.volumeMounts?.some((m) => m.mountPath === '/extra'));
});

test('a meshProvider this build does not route fails at helm template with the supported list', () => {
  const res = helmTemplateStatus(['meshProvider=consul']);
  assert.notEqual(res.status, 0);
  assert.match(res.stderr, /meshProvider/);
  assert.match(res.stderr, /istio/);
  assert.equal(helmTemplateStatus(['meshProvider=smi:v1alpha3:osm']).status, 0);
});
