// `flagger-ts validate` as a shell user runs it: piped into `head -1`, on a broken YAML file,
// and on YAML 1.1 booleans the way kubectl reads them.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateText } from '../../../src/cli/validate-command.js';

const CLI = join(process.cwd(), 'dist/src/cli/main.js');

const CANARY = (extra = ''): string => `apiVersion: flagger.app/v1beta1
kind: Canary
metadata: {name: podinfo, namespace: test}
spec:
  targetRef: {apiVersion: apps/v1, kind: Deployment, name: podinfo}
  service: {port: 9898}
  analysis: {interval: 1m, threshold: 5, stepWeight: 10, maxWeight: 50}
${extra}`;

describe('validate on the command line', () => {
  it('piped into a reader that closes early (| head -1) exits quietly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'validate-pipe-'));
    const file = join(dir, 'many.yaml');
    writeFileSync(file, Array.from({ length: 3000 }, () => CANARY()).join('---\n'));
    const child = spawn(process.execPath, [CLI, 'validate', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.doesNotMatch(stderr, /EPIPE|Error/, stderr);
    assert.equal(code, 0);
  });

  it('explains a YAML syntax error with line, column and the line itself', () => {
    const report = validateText('bad.yaml', 'kind: Canary\nspec: a: b\n')[0];
    assert.ok(report);
    assert.equal(report.status, 'invalid');
    assert.match(
      report.errors.map((e) => e.message).join(),
      /^\(yaml\): YAML syntax error at line 2, column 7: .+ \(near "spec: a: b"\)$/,
    );
  });

  it('reads yes/on as booleans, as kubectl does, and reports every error of a document', () => {
    const yes = validateText('a.yaml', CANARY('  skipAnalysis: yes\n  suspend: off\n'))[0];
    assert.ok(yes);
    assert.equal(yes.status, 'valid', JSON.stringify(yes.errors));
    const bad = validateText(
      'b.yaml',
      CANARY().replace('maxWeight: 50', 'maxWeight: 150, stepWeights: [50, 20]').replace('9898', '70000'),
    )[0];
    assert.ok(bad);
    const fields = bad.errors.map((e) => e.field).sort();
    assert.ok(fields.includes('spec.analysis.maxWeight'), fields.join());
    assert.ok(
      fields.includes('spec.analysis.stepWeights[0]') || fields.includes('spec.analysis'),
      fields.join(),
    );
    assert.ok(fields.includes('spec.service.port'), fields.join());
  });
});
