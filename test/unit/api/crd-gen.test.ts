import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { buildCrds, renderCrdsYaml, toStructural, type JsonSchema } from '../../../src/api/crd-gen.js';
import { INTERVAL_PATTERN } from '../../../src/api/common.js';

const CRD_FILE = join(process.cwd(), 'charts/flagger-ts/crds/crds.yaml');

const isRecord = (v: unknown): v is JsonSchema => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Follows a dotted path of plain keys. */
function at(root: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => (isRecord(node) ? node[key] : undefined), root);
}

function crd(name: string): JsonSchema {
  const found = buildCrds().find((c) => at(c, 'metadata.name') === name);
  assert.ok(found, `no CRD ${name}`);
  return found;
}

const schemaOf = (name: string): JsonSchema => {
  const s = at(crd(name), 'spec.versions')?.valueOf();
  assert.ok(Array.isArray(s));
  const v = at(s[0], 'schema.openAPIV3Schema');
  assert.ok(isRecord(v));
  return v;
};

const VALUE_ONLY_FORBIDDEN = [
  'type',
  'description',
  'default',
  'additionalProperties',
  'nullable',
  'x-kubernetes-preserve-unknown-fields',
];

/** Collects violations of Kubernetes' structural-schema rules. */
function structuralProblems(node: unknown, path: string, inValueValidation: boolean, out: string[]): void {
  if (!isRecord(node)) return;
  for (const bad of ['$ref', '$schema', '$defs', 'definitions', 'const']) {
    if (bad in node) out.push(`${path}: has ${bad}`);
  }
  if (inValueValidation) {
    for (const k of VALUE_ONLY_FORBIDDEN) if (k in node) out.push(`${path}: ${k} inside a value validation`);
  } else {
    const open =
      node['x-kubernetes-int-or-string'] === true || node['x-kubernetes-preserve-unknown-fields'] === true;
    if (!('type' in node) && !open) out.push(`${path}: no type`);
    if ('properties' in node && node['type'] !== 'object')
      out.push(`${path}: properties without type object`);
    if ('items' in node && node['type'] !== 'array') out.push(`${path}: items without type array`);
    if ('properties' in node && 'additionalProperties' in node)
      out.push(`${path}: properties + additionalProperties`);
    if (typeof node['additionalProperties'] === 'boolean') out.push(`${path}: boolean additionalProperties`);
  }
  const props = node['properties'];
  if (isRecord(props)) {
    for (const [k, v] of Object.entries(props)) structuralProblems(v, `${path}.${k}`, inValueValidation, out);
    const required = node['required'];
    if (Array.isArray(required) && !inValueValidation) {
      for (const r of required)
        if (!(String(r) in props)) out.push(`${path}: required ${String(r)} not in properties`);
    }
  }
  for (const k of ['items', 'additionalProperties', 'not']) {
    structuralProblems(node[k], `${path}.${k}`, inValueValidation || k === 'not', out);
  }
  for (const k of ['oneOf', 'anyOf', 'allOf']) {
    const list = node[k];
    if (Array.isArray(list))
      list.forEach((s, i) => {
        structuralProblems(s, `${path}.${k}[${i}]`, true, out);
      });
  }
}

describe('CRD generation', () => {
  it('matches the committed charts/flagger-ts/crds/crds.yaml', () => {
    let committed = '';
    try {
      committed = readFileSync(CRD_FILE, 'utf8');
    } catch {
      assert.fail(`${CRD_FILE} is missing: run \`npm run gen:crds\``);
    }
    assert.ok(
      committed === renderCrdsYaml(),
      'CRDs are out of date with src/api: run `npm run gen:crds` and commit the result',
    );
  });

  it('renders three parseable YAML documents', () => {
    const docs = parseAllDocuments(renderCrdsYaml());
    assert.deepEqual(
      docs.map((d) => at(d.toJS(), 'metadata.name')),
      ['canaries.flagger.app', 'metrictemplates.flagger.app', 'alertproviders.flagger.app'],
    );
    for (const d of docs) assert.equal(d.errors.length, 0);
  });

  for (const name of ['canaries.flagger.app', 'metrictemplates.flagger.app', 'alertproviders.flagger.app']) {
    it(`${name} is structural`, () => {
      const problems: string[] = [];
      structuralProblems(schemaOf(name), 'openAPIV3Schema', false, problems);
      assert.deepEqual(problems, []);
    });

    it(`${name} is namespaced, served, stored, with status and the all category`, () => {
      const c = crd(name);
      assert.equal(at(c, 'spec.group'), 'flagger.app');
      assert.equal(at(c, 'spec.scope'), 'Namespaced');
      assert.deepEqual(at(c, 'spec.names.categories'), ['all']);
      assert.deepEqual(at(c, 'metadata.annotations'), { 'helm.sh/resource-policy': 'keep' });
      const versions = at(c, 'spec.versions');
      assert.ok(Array.isArray(versions) && versions.length === 1);
      assert.equal(at(versions[0], 'name'), 'v1beta1');
      assert.equal(at(versions[0], 'served'), true);
      assert.equal(at(versions[0], 'storage'), true);
      assert.deepEqual(at(versions[0], 'subresources'), { status: {} });
    });
  }

  it('has Flagger printer columns', () => {
    const cols = (name: string): string[] => {
      const v = at(crd(name), 'spec.versions');
      assert.ok(Array.isArray(v));
      const c = at(v[0], 'additionalPrinterColumns');
      assert.ok(Array.isArray(c));
      return c.map(
        (col) =>
          `${String(at(col, 'name'))}${at(col, 'priority') === 1 ? '*' : ''}=${String(at(col, 'jsonPath'))}`,
      );
    };
    assert.deepEqual(cols('canaries.flagger.app'), [
      'Status=.status.phase',
      'Weight=.status.canaryWeight',
      'Suspended*=.spec.suspend',
      'FailedChecks*=.status.failedChecks',
      'Interval*=.spec.analysis.interval',
      'Mirror*=.spec.analysis.mirror',
      'StepWeight*=.spec.analysis.stepWeight',
      'StepWeights*=.spec.analysis.stepWeights',
      'MaxWeight*=.spec.analysis.maxWeight',
      'LastTransitionTime=.status.lastTransitionTime',
    ]);
    assert.deepEqual(cols('metrictemplates.flagger.app'), ['Provider=.spec.provider.type']);
    assert.deepEqual(cols('alertproviders.flagger.app'), ['Type=.spec.type']);
  });

  it('carries the Canary constraints Flagger declares', () => {
    const spec = at(schemaOf('canaries.flagger.app'), 'properties.spec');
    const p = (path: string): unknown => at(spec, path);
    assert.deepEqual(p('required'), ['targetRef', 'analysis']);
    assert.deepEqual(p('properties.service.required'), ['port']);
    assert.deepEqual(p('properties.analysis.oneOf'), [
      { required: ['interval', 'threshold', 'iterations'] },
      { required: ['interval', 'threshold', 'stepWeight'] },
      { required: ['interval', 'threshold', 'stepWeights'] },
    ]);
    // Flagger's ^[0-9]+(m|s), anchored at both ends as a Go duration (`1sfoo` is refused).
    assert.equal(p('properties.analysis.properties.interval.pattern'), INTERVAL_PATTERN.source);
    assert.equal(
      p('properties.analysis.properties.metrics.items.properties.interval.pattern'),
      INTERVAL_PATTERN.source,
    );
    assert.ok(INTERVAL_PATTERN.source.startsWith('^[0-9]+(ms|m|s)'));
    assert.equal(p('properties.service.properties.targetPort.x-kubernetes-int-or-string'), true);
    assert.deepEqual(p('properties.service.properties.trafficPolicy'), {
      type: 'object',
      'x-kubernetes-preserve-unknown-fields': true,
    });
    assert.equal(
      p('properties.autoscalerRef.properties.primaryScalerReplicas.properties.minReplicas.minimum'),
      1,
    );
    assert.deepEqual(p('properties.targetRef.properties.kind.enum'), ['Deployment', 'DaemonSet', 'Service']);
    const hookType = p('properties.analysis.properties.webhooks.items.properties.type.enum');
    assert.ok(
      Array.isArray(hookType) && hookType.includes('') && hookType.includes('confirm-traffic-increase'),
    );
    assert.deepEqual(p('properties.analysis.properties.alerts.items.properties.severity.enum'), [
      '',
      'info',
      'warn',
      'error',
    ]);
  });

  it('declares only the defaults Flagger has', () => {
    const defaults: string[] = [];
    const walk = (node: unknown, path: string): void => {
      if (Array.isArray(node))
        node.forEach((n, i) => {
          walk(n, `${path}[${i}]`);
        });
      else if (isRecord(node)) {
        if ('default' in node) defaults.push(`${path}=${JSON.stringify(node['default'])}`);
        for (const [k, v] of Object.entries(node)) walk(v, `${path}.${k}`);
      }
    };
    for (const c of buildCrds()) walk(c, String(at(c, 'metadata.name')));
    const short = defaults.map((d) =>
      d.replace(/^.*\.properties\.spec\./, 'spec.').replaceAll('.properties', ''),
    );
    assert.deepEqual(short.sort(), [
      'spec.analysis.sessionAffinity.maxAge=86400',
      'spec.service.gatewayRefs.items.group="gateway.networking.k8s.io"',
      'spec.service.gatewayRefs.items.kind="Gateway"',
      'spec.service.mirror.items.backendRef.group=""',
      'spec.service.mirror.items.backendRef.kind="Service"',
    ]);
  });

  it('MetricTemplate and AlertProvider schemas', () => {
    const mt = at(schemaOf('metrictemplates.flagger.app'), 'properties.spec');
    assert.deepEqual(at(mt, 'required'), ['provider', 'query']);
    const types = at(mt, 'properties.provider.properties.type.enum');
    assert.ok(Array.isArray(types) && types.length === 11 && types.includes('externalmetrics'));
    const ap = at(schemaOf('alertproviders.flagger.app'), 'properties.spec');
    assert.deepEqual(at(ap, 'oneOf'), [
      { required: ['type', 'address'] },
      { required: ['type', 'secretRef'] },
    ]);
    assert.deepEqual(at(ap, 'properties.type.enum'), [
      'slack',
      'msteams',
      'discord',
      'rocket',
      'gchat',
      'webhook',
    ]);
  });

  it('the structural checker itself catches violations', () => {
    const problems: string[] = [];
    const bad = { type: 'object', properties: { a: {}, b: { type: 'object', oneOf: [{ type: 'string' }] } } };
    structuralProblems(bad, 'x', false, problems);
    assert.deepEqual(problems, ['x.a: no type', 'x.b.oneOf[0]: type inside a value validation']);
  });

  it('toStructural refuses $ref and rewrites zod artefacts', () => {
    assert.throws(() => toStructural({ $ref: '#/$defs/x' }), /\$ref/);
    assert.deepEqual(
      toStructural({
        $schema: 'x',
        type: 'object',
        properties: {
          default: { type: 'integer', minimum: Number.MIN_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER },
        },
        additionalProperties: {},
      }),
      { type: 'object', properties: { default: { type: 'integer' } } },
    );
  });
});
