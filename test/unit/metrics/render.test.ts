import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type QueryModel,
  QueryRenderError,
  collapseWhitespace,
  renderQuery,
} from '../../../src/metrics/render.js';

const model: QueryModel = {
  name: 'podinfo',
  namespace: 'test',
  target: 'podinfo-deploy',
  service: 'podinfo-svc',
  ingress: 'podinfo-ing',
  route: 'podinfo-route',
  interval: '2m',
  variables: { region: 'eu-west-1', job: 'api' },
};

describe('renderQuery', () => {
  it('substitutes every variable', () => {
    const out = renderQuery(
      '{{ name }}|{{namespace}}|{{  target  }}|{{ service }}|{{ ingress }}|{{ route }}|{{ interval }}|{{ variables.region }}|{{variables.job}}',
      model,
    );
    assert.equal(out, 'podinfo|test|podinfo-deploy|podinfo-svc|podinfo-ing|podinfo-route|2m|eu-west-1|api');
  });

  it('collapses whitespace runs like Flagger before sending', () => {
    const out = renderQuery('sum(\n  rate(x{ns="{{ namespace }}"}[{{ interval }}])\n\t)  ', model);
    assert.equal(out, 'sum( rate(x{ns="test"}[2m]) )');
    assert.equal(collapseWhitespace('  a \n\n b\t c '), 'a b c');
  });

  it('honours Go trim markers', () => {
    assert.equal(renderQuery('a  {{- namespace -}}  b', model), 'atestb');
    // Without a space after the dash it is not a trim marker: Go reads the number -3.
    assert.equal(renderQuery('a {{-3}}', model), 'a -3');
  });

  it('fails naming a missing variables key (missingkey=error)', () => {
    assert.throws(
      () => renderQuery('x{r="{{ variables.zone }}"}', model),
      (err: unknown) =>
        err instanceof QueryRenderError &&
        /variables\.zone is not set in templateVariables/.test(err.message),
    );
  });

  it('does not resolve Object prototype members as variables', () => {
    assert.throws(() => renderQuery('{{ variables.constructor }}', model), QueryRenderError);
    assert.throws(() => renderQuery('{{ variables.toString }}', model), QueryRenderError);
  });

  it('fails naming an unknown variable (Go: function not defined, at parse time)', () => {
    assert.throws(() => renderQuery('{{ cluster }}', model), /function "cluster" not defined/);
    assert.throws(() => renderQuery('{{ if false }}{{ cluster }}{{ end }}', model), /"cluster" not defined/);
  });

  it('fails on .Field: Flagger executes with nil data', () => {
    assert.throws(() => renderQuery('{{ .Namespace }}', model), /nil data; no entry for key "Namespace"/);
  });

  it('runs the text/template language, not only variables', () => {
    assert.equal(renderQuery('{{ if eq namespace "test" }}a{{ else }}b{{ end }}', model), 'a');
    assert.equal(renderQuery('{{ printf "%s/%s" namespace target }}', model), 'test/podinfo-deploy');
    assert.equal(renderQuery('{{ variables }}', model), 'map[job:api region:eu-west-1]');
    assert.equal(renderQuery('{{ "x" | printf "%s-%s" namespace }}', model), 'test-x');
    assert.equal(renderQuery('{{ with variables }}{{ .region }}{{ end }}', model), 'eu-west-1');
    assert.equal(renderQuery('{{ index variables "zone" | len }}', model), '0');
    assert.equal(renderQuery('{{ printf "%.1f" 99.95 }} {{ 1e6 }}', model), '100.0 1e+06');
  });

  it('rejects an unclosed action', () => {
    assert.throws(() => renderQuery('sum(x{ns="{{ namespace', model), /unclosed action/);
  });

  it('leaves text without actions unchanged (except whitespace)', () => {
    assert.equal(renderQuery('vector(1)', model), 'vector(1)');
    assert.equal(renderQuery('a }} b', model), 'a }} b');
  });
});
