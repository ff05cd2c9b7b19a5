// `status -A` with one invalid canary lists every canary and marks the invalid one
// (it used to fail the whole listing).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { rowsOf } from '../../../src/cli/status-command.js';
import { renderList } from '../../../src/cli/status-render.js';
import { BufferWriter } from '../../../src/cli/common/output.js';
import { toKubeObject } from '../../../src/kube/types.js';
import { PODINFO_YAML } from '../api/fixtures.js';

const canary = (ns: string, edit: (spec: Record<string, unknown>) => void = () => undefined) => {
  const raw = parse(PODINFO_YAML) as Record<string, unknown>;
  raw['metadata'] = { name: 'podinfo', namespace: ns };
  edit(raw['spec'] as Record<string, unknown>);
  raw['status'] = { phase: 'Succeeded', canaryWeight: 0, failedChecks: 0 };
  return toKubeObject(raw);
};

test('an invalid canary is listed and marked; the others are shown as usual', () => {
  const rows = rowsOf([
    canary('b'),
    canary('a', (spec) => {
      spec['provider'] = 'no-such-mesh';
    }),
  ]);
  assert.deepEqual(
    rows.map((r) => [r.namespace, r.phase]),
    [
      ['a', 'Invalid'],
      ['b', 'Succeeded'],
    ],
  );
  assert.match(rows[0]?.invalid ?? '', /spec\.provider: unknown provider "no-such-mesh"/);
  const text = renderList(new BufferWriter(), rows, true, Date.now());
  assert.match(text, /a\s+podinfo\s+Invalid/);
  assert.match(text, /b\s+podinfo\s+Succeeded/);
  assert.match(text, /invalid a\/podinfo: spec\.provider: unknown provider/);
});
