import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { findConfigRefs, renameConfigRefs } from '../../../src/targets/config-refs.js';
import {
  configChecksum,
  desiredPrimaryConfigMap,
  desiredPrimarySecret,
  goJsonStringMap,
  haveConfigsChanged,
  trackConfigs,
  type ConfigObject,
} from '../../../src/targets/config-tracking.js';
import { allConfigs, configMap, podinfoDeployment, secret } from './fixtures.js';

const spec = (): NonNullable<ReturnType<typeof podinfoDeployment>['spec']>['template']['spec'] =>
  podinfoDeployment().spec!.template.spec;

function resolver(objects: ConfigObject[]) {
  return (ref: { kind: string; name: string }): ConfigObject | undefined =>
    objects.find(
      (o) => o.metadata?.name === ref.name && (o.kind === 'ConfigMap') === (ref.kind === 'configmap'),
    );
}

test('findConfigRefs: volumes, projected sources, env, envFrom of containers and initContainers', () => {
  assert.deepEqual(
    findConfigRefs(spec()).map((r) => `${r.kind}/${r.name}${r.optional ? '?' : ''}`),
    [
      'configmap/podinfo-config-vol',
      'secret/podinfo-secret-vol',
      'configmap/podinfo-config-projected',
      'secret/podinfo-secret-projected',
      'configmap/podinfo-config-env',
      'secret/podinfo-secret-env',
      'configmap/podinfo-config-optional?',
      'configmap/podinfo-config-all',
      'secret/podinfo-secret-all',
      'secret/podinfo-secret-init',
      'configmap/podinfo-config-init',
    ],
  );
  assert.deepEqual(findConfigRefs(undefined), []);
});

test('findConfigRefs: one mandatory use makes a reference mandatory', () => {
  const s = spec()!;
  s.containers[0]!.envFrom!.push({ configMapRef: { name: 'podinfo-config-optional' } });
  assert.equal(findConfigRefs(s).find((r) => r.name === 'podinfo-config-optional')?.optional, false);
});

test('renameConfigRefs renames only the given keys and copies the spec', () => {
  const s = spec()!;
  const out = renameConfigRefs(s, new Set(['secret/podinfo-secret-vol', 'configmap/podinfo-config-init']));
  assert.equal(out.volumes![1]!.secret!.secretName, 'podinfo-secret-vol-primary');
  assert.equal(out.initContainers![0]!.envFrom![0]!.configMapRef!.name, 'podinfo-config-init-primary');
  assert.equal(out.volumes![0]!.configMap!.name, 'podinfo-config-vol');
  assert.equal(s.volumes![1]!.secret!.secretName, 'podinfo-secret-vol');
});

test('configChecksum: first 16 hex chars of sha256 over Go-style JSON of data', () => {
  const sha = (s: string): string => createHash('sha256').update(s).digest('hex').slice(0, 16);
  assert.equal(configChecksum({ b: '2', a: '1' }), sha('{"a":"1","b":"2"}'));
  assert.equal(configChecksum(undefined), sha('null'));
  assert.equal(configChecksum({}), sha('{}'));
  assert.match(configChecksum({ a: '1' }), /^[0-9a-f]{16}$/);
  // Go's encoding/json escapes HTML characters.
  assert.equal(goJsonStringMap({ k: '<a href="x">&\n' }), '{"k":"\\u003ca href=\\"x\\"\\u003e\\u0026\\n"}');
});

test('trackConfigs: checksums keyed configmap/<name> and secret/<name>, optional missing skipped', () => {
  const t = trackConfigs(findConfigRefs(spec()), resolver(allConfigs()));
  assert.equal(Object.keys(t.checksums).length, 10);
  assert.equal(t.checksums['configmap/podinfo-config-env'], configChecksum({ color: 'blue' }));
  assert.equal(t.checksums['secret/podinfo-secret-env'], configChecksum({ user: 'YWRtaW4=' }));
  assert.deepEqual(t.missing, []);
  assert.deepEqual(t.missingOptional, ['configmap/podinfo-config-optional']);
  assert.equal(t.renames.has('configmap/podinfo-config-optional'), false);
  assert.deepEqual([...t.renames].sort(), Object.keys(t.checksums).sort());
});

test('trackConfigs: mandatory missing reported; opt-out and untracked secret types skipped', () => {
  const objects = allConfigs().filter((o) => o.metadata?.name !== 'podinfo-config-env');
  const optedOut = objects.find((o) => o.metadata?.name === 'podinfo-config-all')!;
  optedOut.metadata!.annotations = { 'flagger.app/config-tracking': 'disabled' };
  const registry = objects.findIndex((o) => o.metadata?.name === 'podinfo-secret-all');
  objects[registry] = secret(
    'podinfo-secret-all',
    { '.dockerconfigjson': 'e30=' },
    'kubernetes.io/dockerconfigjson',
  );
  const tls = objects.findIndex((o) => o.metadata?.name === 'podinfo-secret-vol');
  objects[tls] = secret('podinfo-secret-vol', { 'tls.crt': 'eA==' }, 'kubernetes.io/tls');

  const t = trackConfigs(findConfigRefs(spec()), resolver(objects));
  assert.deepEqual(t.missing, ['configmap/podinfo-config-env']);
  assert.equal('configmap/podinfo-config-all' in t.checksums, false);
  assert.equal('secret/podinfo-secret-all' in t.checksums, false);
  assert.equal('secret/podinfo-secret-vol' in t.checksums, true);
  assert.equal(t.renames.has('configmap/podinfo-config-all'), false);
});

test('haveConfigsChanged compares set size and checksums', () => {
  assert.equal(haveConfigsChanged({}, undefined), false);
  assert.equal(haveConfigsChanged({ 'configmap/a': '1' }, undefined), true);
  assert.equal(haveConfigsChanged({ 'configmap/a': '1' }, { 'configmap/a': '1' }), false);
  assert.equal(haveConfigsChanged({ 'configmap/a': '2' }, { 'configmap/a': '1' }), true);
  assert.equal(haveConfigsChanged({}, { 'configmap/a': '1' }), true);
  assert.equal(
    haveConfigsChanged({ 'configmap/a': '1', 'secret/b': '2' }, { 'configmap/a': '1', 'secret/c': '2' }),
    true,
  );
});

const owner = {
  apiVersion: 'flagger.app/v1beta1',
  kind: 'Canary',
  name: 'podinfo',
  uid: 'canary-uid',
  controller: true,
  blockOwnerDeletion: true,
};

test('desiredPrimaryConfigMap: -primary name, data, labels by prefix, owner refs shared with other canaries', () => {
  const source = configMap('podinfo-config-env');
  source.metadata!.labels = { app: 'podinfo', 'kustomize.toolkit.fluxcd.io/name': 'x' };
  source.metadata!.annotations = { a: 'b' };
  source.binaryData = { bin: 'AA==' };
  const existing = configMap('podinfo-config-env-primary');
  existing.metadata!.ownerReferences = [
    { ...owner, name: 'other', uid: 'other-uid' },
    { ...owner, controller: true },
  ];
  const cm = desiredPrimaryConfigMap(source, { owner, includeLabelPrefix: ['*'], existing });
  assert.deepEqual(cm, {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: 'podinfo-config-env-primary',
      namespace: 'test',
      labels: { app: 'podinfo' },
      ownerReferences: [owner, { ...owner, name: 'other', uid: 'other-uid', controller: false }],
    },
    data: { color: 'blue' },
    binaryData: { bin: 'AA==' },
  });
  assert.deepEqual(desiredPrimaryConfigMap(source, { owner, includeLabelPrefix: [] }).metadata?.labels, {});
});

test('desiredPrimarySecret keeps the type and data', () => {
  const s = desiredPrimarySecret(secret('tls', { 'tls.crt': 'eA==' }, 'kubernetes.io/tls'), {
    owner,
    includeLabelPrefix: [],
  });
  assert.equal(s.metadata?.name, 'tls-primary');
  assert.equal(s.type, 'kubernetes.io/tls');
  assert.deepEqual(s.data, { 'tls.crt': 'eA==' });
  assert.deepEqual(s.metadata.ownerReferences, [owner]);
});
