import { test } from 'node:test';
import type { V1Deployment } from '@kubernetes/client-node';
import assert from 'node:assert/strict';
import {
  computeTargetHash,
  fnv32a,
  hashValue,
  hasTargetChanged,
  stableStringify,
} from '../../../src/targets/hash.js';
import { podinfoDeployment } from './fixtures.js';

test('stableStringify sorts keys at every depth and drops unset members', () => {
  assert.equal(
    stableStringify({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null, u: undefined } }),
    '{"a":{"d":[1,{"y":2,"z":1}]},"b":1}',
  );
  assert.equal(stableStringify(new Date('2024-01-02T03:04:05Z')), '"2024-01-02T03:04:05.000Z"');
  assert.equal(stableStringify([undefined, null]), '[null,null]');
});

test('fnv32a matches the published FNV-1a test vectors', () => {
  assert.equal(fnv32a(''), 0x811c9dc5);
  assert.equal(fnv32a('a'), 0xe40c292c);
  assert.equal(fnv32a('foobar'), 0xbf9cf968);
});

test('hashValue is short, alphanumeric and independent of key order', () => {
  const h = hashValue({ a: 1, b: [1, 2], c: { x: 'y' } });
  assert.match(h, /^[a-z0-9]{1,7}$/);
  assert.equal(hashValue({ c: { x: 'y' }, b: [1, 2], a: 1 }), h);
  assert.notEqual(hashValue({ a: 1, b: [2, 1], c: { x: 'y' } }), h);
});

test('computeTargetHash: stable across decodings, changes with any template change', () => {
  const base = podinfoDeployment();
  const hash = computeTargetHash(base);
  assert.equal(computeTargetHash(podinfoDeployment()), hash);
  // A JSON round trip with explicit nulls (raw API JSON) hashes the same.
  const raw: unknown = JSON.parse(
    JSON.stringify(base).replace('"metadata":{"labels"', '"metadata":{"creationTimestamp":null,"labels"'),
  );
  assert.equal(computeTargetHash(raw as V1Deployment), hash);

  const changes: ((d: ReturnType<typeof podinfoDeployment>) => void)[] = [
    (d) => (d.spec!.template.spec!.containers[0]!.image = 'ghcr.io/stefanprodan/podinfo:6.0.1'),
    (d) => (d.spec!.template.metadata!.annotations!['restartedAt'] = 'now'),
    (d) => (d.spec!.template.metadata!.labels!['version'] = 'v2'),
    (d) => d.spec!.template.spec!.containers[0]!.env!.push({ name: 'NEW', value: '1' }),
  ];
  for (const change of changes) {
    const d = podinfoDeployment();
    change(d);
    assert.notEqual(computeTargetHash(d), hash);
  }
  // Outside the template: replicas, object labels and status do not count.
  const scaled = podinfoDeployment();
  scaled.spec!.replicas = 0;
  scaled.metadata!.labels!['x'] = 'y';
  scaled.status = { replicas: 0 };
  assert.equal(computeTargetHash(scaled), hash);
});

test('hasTargetChanged follows lastAppliedSpec / lastPromotedSpec', () => {
  assert.equal(hasTargetChanged('h1', undefined), true);
  assert.equal(hasTargetChanged('h1', { lastAppliedSpec: '' }), true);
  assert.equal(hasTargetChanged('h1', { lastAppliedSpec: 'h1', lastPromotedSpec: 'h1' }), false);
  assert.equal(hasTargetChanged('h2', { lastAppliedSpec: 'h1', lastPromotedSpec: 'h1' }), true);
  // Reverting the target to the promoted version does not start an analysis.
  assert.equal(hasTargetChanged('h1', { lastAppliedSpec: 'h2', lastPromotedSpec: 'h1' }), false);
});
