import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  BufferWriter,
  colorWanted,
  humanDuration,
  paint,
  parseOutput,
  progressBar,
  table,
} from '../../../src/cli/common/output.js';
import { CliError } from '../../../src/cli/common/errors.js';

describe('CLI output', () => {
  it('aligns table columns, ignoring colour escapes in the width', () => {
    const w = new BufferWriter(true);
    const out = table(
      ['NAME', 'PHASE', 'WEIGHT'],
      [
        ['podinfo', paint(w, 'green', 'Succeeded'), '0'],
        ['a', 'Progressing', '20'],
      ],
    );
    const plain = out.replaceAll('\u001b[32m', '').replaceAll('\u001b[0m', '');
    assert.equal(
      plain,
      'NAME      PHASE         WEIGHT\npodinfo   Succeeded     0\na         Progressing   20\n',
    );
  });

  it('colours only a TTY, and never with NO_COLOR or TERM=dumb', () => {
    assert.equal(colorWanted({ isTTY: true }, {}), true);
    assert.equal(colorWanted({ isTTY: false }, {}), false);
    assert.equal(colorWanted({ isTTY: true }, { NO_COLOR: '1' }), false);
    assert.equal(colorWanted({ isTTY: true }, { TERM: 'dumb' }), false);
    assert.equal(paint(new BufferWriter(false), 'red', 'x'), 'x');
    assert.equal(paint(new BufferWriter(true), 'red', 'x'), '\u001b[31mx\u001b[0m');
  });

  it('draws progress and durations', () => {
    assert.equal(progressBar(20, 50, 10), '[####------]');
    assert.equal(progressBar(80, 50, 4), '[####]');
    assert.equal(progressBar(0, 0, 4), '[----]');
    assert.equal(humanDuration(59_000), '59s');
    assert.equal(humanDuration(200_000), '3m20s');
    assert.equal(humanDuration(2 * 3_600_000), '2h');
  });

  it('accepts only table, json and yaml as --output', () => {
    assert.equal(parseOutput(undefined), 'table');
    assert.equal(parseOutput('yaml'), 'yaml');
    assert.throws(
      () => parseOutput('wide'),
      (e: unknown) => e instanceof CliError && e.exitCode === 2,
    );
  });
});
