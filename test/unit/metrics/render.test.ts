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
    // Without a space after the dash it is not a trim marker (Go reads a number).
    assert.throws(() => renderQuery('a {{-3}}', model), /unsupported template action "\{\{ -3 \}\}"/);
  });

  it('fails naming a missing variables key (missingkey=error)', () => {
    assert.throws(
      () => renderQuery('x{r="{{ variables.zone }}"}', model),
      (err: unknown) => err instanceof QueryRenderError && /variables\.zone/.test(err.message),
    );
  });

  it('does not resolve Object prototype members as variables', () => {
    assert.throws(() => renderQuery('{{ variables.constructor }}', model), QueryRenderError);
    assert.throws(() => renderQuery('{{ variables.toString }}', model), QueryRenderError);
  });

  it('fails naming an unknown variable', () => {
    assert.throws(() => renderQuery('{{ cluster }}', model), /unknown template variable "cluster"/);
  });

  it('rejects unsupported actions instead of dropping them', () => {
    assert.throws(() => renderQuery('{{ .Namespace }}', model), /unsupported template action/);
    assert.throws(() => renderQuery('{{ if true }}x{{ end }}', model), /unsupported template action/);
    assert.throws(() => renderQuery('{{ printf "%s" namespace }}', model), /unsupported template action/);
    assert.throws(() => renderQuery('{{ variables }}', model), /unknown template variable|unsupported/);
  });

  it('rejects an unclosed action', () => {
    assert.throws(() => renderQuery('sum(x{ns="{{ namespace"})', model), /unclosed action/);
  });

  it('leaves text without actions unchanged (except whitespace)', () => {
    assert.equal(renderQuery('vector(1)', model), 'vector(1)');
    assert.equal(renderQuery('a }} b', model), 'a }} b');
  });
});
