import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderReports, validateText } from '../../../src/cli/validate-command.js';
import { BufferWriter } from '../../../src/cli/common/output.js';

const GOOD_CANARY = `apiVersion: flagger.app/v1beta1
kind: Canary
metadata: {name: podinfo, namespace: test}
spec:
  targetRef: {apiVersion: apps/v1, kind: Deployment, name: podinfo}
  service: {port: 9898}
  analysis: {interval: 1m, threshold: 5, stepWeight: 10, maxWeight: 50}
`;

describe('validate', () => {
  it('names file, document index, kind/name and field path for each error', () => {
    const text = `apiVersion: apps/v1
kind: Deployment
metadata: {name: podinfo}
---
${GOOD_CANARY}---
apiVersion: flagger.app/v1beta1
kind: Canary
metadata: {name: broken}
spec:
  targetRef: {apiVersion: apps/v1, kind: Deployment, name: podinfo}
  service: {port: 9898}
  analysis:
    threshold: 2
    stepWeight: 10
    webhooks:
      - {name: gate, type: confirm-rollout, url: "not a url"}
      - {name: gate, type: pre-rollout, url: "http://x"}
---
apiVersion: flagger.app/v1beta1
kind: AlertProvider
metadata: {name: slack}
spec: {type: slack}
`;
    const reports = validateText('app.yaml', text);
    assert.deepEqual(
      reports.map((r) => [r.index, r.kind, r.name, r.status]),
      [
        [1, 'Deployment', 'podinfo', 'skipped'],
        [2, 'Canary', 'podinfo', 'valid'],
        [3, 'Canary', 'broken', 'invalid'],
        [4, 'AlertProvider', 'slack', 'invalid'],
      ],
    );
    const out = renderReports(new BufferWriter(), reports);
    assert.match(
      out,
      /✗ app\.yaml: document 3 \(Canary broken\): spec\.analysis\.webhooks\[0\]\.url: "not a url" is not a valid http\(s\) URL/,
    );
    assert.match(
      out,
      /document 3 \(Canary broken\): spec\.analysis\.webhooks\[1\]\.name: duplicate name "gate"/,
    );
    assert.match(
      out,
      /document 4 \(AlertProvider slack\): spec\.address: exactly one of spec\.address or spec\.secretRef/,
    );
  });

  it('reports a YAML syntax error with its document', () => {
    const reports = validateText('x.yaml', `${GOOD_CANARY}---\nkind: [unclosed\n`);
    assert.equal(reports[1]?.status, 'invalid');
    const second = reports[1];
    assert.ok(second);
    assert.equal(second.index, 2);
    assert.equal(second.errors[0]?.field, '(yaml)');
  });

  it('rejects an unknown flagger.app kind and a schema violation by path', () => {
    const reports = validateText(
      'y.yaml',
      `apiVersion: flagger.app/v1beta1\nkind: Canery\nmetadata: {name: a}\n---\napiVersion: flagger.app/v1beta1\nkind: MetricTemplate\nmetadata: {name: t}\nspec: {provider: {type: nope}, query: up}\n`,
    );
    assert.match(reports[0]?.errors[0]?.message ?? '', /not a flagger\.app kind/);
    assert.match(reports[1]?.errors[0]?.message ?? '', /^spec\.provider\.type: /);
  });
});
