// values.schema.json's meshProvider is generated from the router registry (npm run gen:crds):
// a router added without regenerating fails here, so the chart cannot drift from the build.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { meshProviderValueSchema } from '../../../src/config/chart-values.js';
import { isKnownProvider } from '../../../src/api/validate.js';
import { routerProviders } from '../../../src/routers/registry.js';

const schema = JSON.parse(readFileSync('charts/flagger-ts/values.schema.json', 'utf8')) as {
  properties: { meshProvider: unknown };
};

test('values.schema.json meshProvider lists exactly the registry (run npm run gen:crds if not)', () => {
  assert.deepEqual(schema.properties.meshProvider, meshProviderValueSchema(routerProviders()));
});

test('the schema accepts what the registry routes and nothing else', () => {
  const s = meshProviderValueSchema(['istio', 'kubernetes', 'smi:v1alpha3:*']);
  const anyOf = s['anyOf'] as [{ enum: string[] }, { pattern: string }];
  const accepts = (v: string): boolean => anyOf[0].enum.includes(v) || new RegExp(anyOf[1].pattern).test(v);
  const known = ['istio', 'kubernetes', 'smi:v1alpha3:*'];
  for (const v of ['istio', 'kubernetes', 'smi:v1alpha3:linkerd', 'linkerd', 'smi:v1alpha2:x', 'istio2']) {
    assert.equal(accepts(v), isKnownProvider(v, known), v);
  }
  assert.equal(accepts(''), true, "'' is Flagger's chart default: the chart passes istio");
});
