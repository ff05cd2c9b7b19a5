import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  findSelectorLabel,
  includeLabelsByPrefix,
  parseLabelPrefixes,
  withoutToolkitKeys,
} from '../../../src/targets/labels.js';
import { discoverPorts } from '../../../src/targets/ports.js';
import { podinfoDeployment } from './fixtures.js';

const labels = {
  app: 'podinfo',
  'app.kubernetes.io/name': 'podinfo',
  'example.com/team': 'web',
  'kustomize.toolkit.fluxcd.io/name': 'apps',
  'helm.toolkit.fluxcd.io/name': 'rel',
};

test('parseLabelPrefixes splits the flag and drops blanks', () => {
  assert.deepEqual(parseLabelPrefixes(''), []);
  assert.deepEqual(parseLabelPrefixes('*'), ['*']);
  assert.deepEqual(parseLabelPrefixes('app, example.com/ ,'), ['app', 'example.com/']);
});

test('includeLabelsByPrefix: empty copies none, * copies all but toolkit keys, prefixes match', () => {
  assert.deepEqual(includeLabelsByPrefix(labels, []), {});
  assert.deepEqual(includeLabelsByPrefix(labels, ['']), {});
  assert.deepEqual(includeLabelsByPrefix(labels, ['*']), {
    app: 'podinfo',
    'app.kubernetes.io/name': 'podinfo',
    'example.com/team': 'web',
  });
  assert.deepEqual(includeLabelsByPrefix(labels, ['app.kubernetes.io', 'example.com/']), {
    'app.kubernetes.io/name': 'podinfo',
    'example.com/team': 'web',
  });
  // A prefix never lets a toolkit key through.
  assert.deepEqual(includeLabelsByPrefix(labels, ['kustomize']), {});
  assert.deepEqual(includeLabelsByPrefix(undefined, ['*']), {});
});

test('withoutToolkitKeys keeps everything else', () => {
  assert.deepEqual(withoutToolkitKeys(labels), {
    app: 'podinfo',
    'app.kubernetes.io/name': 'podinfo',
    'example.com/team': 'web',
  });
});

test('findSelectorLabel takes the first candidate present in matchLabels', () => {
  const id = { kind: 'deployment', name: 'podinfo', namespace: 'test' };
  assert.deepEqual(findSelectorLabel(id, { matchLabels: { name: 'n', app: 'a' } }), {
    ok: true,
    label: 'app',
    value: 'a',
  });
  assert.deepEqual(findSelectorLabel(id, { matchLabels: { 'app.kubernetes.io/name': 'k' } }), {
    ok: true,
    label: 'app.kubernetes.io/name',
    value: 'k',
  });
  assert.deepEqual(findSelectorLabel(id, { matchLabels: { app: 'a' } }, ['name', 'app']), {
    ok: true,
    label: 'app',
    value: 'a',
  });
});

test('findSelectorLabel reports Flagger’s message when no candidate is present', () => {
  const id = { kind: 'deployment', name: 'podinfo', namespace: 'test' };
  for (const selector of [{ matchLabels: { role: 'x' } }, {}, undefined]) {
    assert.deepEqual(findSelectorLabel(id, selector), {
      ok: false,
      message:
        'deployment podinfo.test spec.selector.matchLabels must contain one of [app name app.kubernetes.io/name]',
    });
  }
});

test('discoverPorts skips the service port, sidecars, and names unnamed ports', () => {
  const spec = podinfoDeployment().spec!.template.spec;
  // Flagger's TestScheduler_DeploymentPortDiscovery / TargetPortNumber / TargetPortName.
  assert.deepEqual(discoverPorts(spec, { port: 9898 }), { 'http-metrics': 8080, 'tcp-podinfo-2': 8888 });
  assert.deepEqual(discoverPorts(spec, { port: 80, targetPort: 9898 }), {
    'http-metrics': 8080,
    'tcp-podinfo-2': 8888,
  });
  assert.deepEqual(discoverPorts(spec, { port: 8080, targetPort: 'http' }), {
    'http-metrics': 8080,
    'tcp-podinfo-2': 8888,
  });
  assert.deepEqual(discoverPorts(spec, { port: 1 }), {
    http: 9898,
    'http-metrics': 8080,
    'tcp-podinfo-2': 8888,
  });
  assert.deepEqual(discoverPorts(undefined, { port: 1 }), {});
});
