// `flagger-ts loadtester` flag handling (the action itself is not run: it binds all interfaces).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Command } from 'commander';
import {
  type LoadtesterFlags,
  loadtesterOptionsFromFlags,
  normalizeGoStyleFlags,
  parseLogLevel,
  registerLoadtesterCommand,
} from '../../../src/cli/loadtester-command.js';

function parse(args: string[]): LoadtesterFlags {
  const program = new Command().exitOverride();
  registerLoadtesterCommand(program);
  const sub = program.commands.find((c) => c.name() === 'loadtester');
  assert.ok(sub);
  sub.exitOverride().action(() => undefined);
  program.parse(['loadtester', ...args], { from: 'user' });
  return sub.opts<LoadtesterFlags>();
}

describe('loadtester command', () => {
  it("has Flagger's defaults", () => {
    const flags = parse([]);
    assert.equal(flags.port, '9090');
    assert.equal(flags.timeout, '1h');
    assert.equal(flags.logLevel, 'debug');
    assert.deepEqual(flags.allowCommandPrefix, []);
    assert.deepEqual(loadtesterOptionsFromFlags(flags), {
      port: 9090,
      timeoutMs: 3_600_000,
      allowCommandPrefixes: [],
      maxBodyBytes: 1024 * 1024,
      maxConcurrentTasks: 100,
    });
  });

  it('accepts Go-style single-dash flags as in Flagger manifests', () => {
    const flags = parse([
      '-port=8080',
      '-log-level=info',
      '-timeout',
      '30m',
      '-namespace-regexp=^test$',
      '-zap-encoding=json',
    ]);
    const opts = loadtesterOptionsFromFlags(flags);
    assert.equal(opts.port, 8080);
    assert.equal(opts.timeoutMs, 1_800_000);
    assert.equal(opts.namespaceRegexp, '^test$');
    assert.equal(parseLogLevel(flags.logLevel), 'info');
  });

  it('collects --allow-command-prefix from repeats and comma lists', () => {
    const flags = parse([
      '--allow-command-prefix',
      'hey,curl -s',
      '--allow-command-prefix=helm test',
      '--listen-address',
      '127.0.0.1',
    ]);
    const opts = loadtesterOptionsFromFlags(flags);
    assert.deepEqual(opts.allowCommandPrefixes, ['hey', 'curl -s', 'helm test']);
    assert.equal(opts.host, '127.0.0.1');
  });

  it('rejects invalid values', () => {
    assert.throws(() => loadtesterOptionsFromFlags(parse(['--timeout', 'soon'])), /invalid --timeout/);
    assert.throws(() => loadtesterOptionsFromFlags(parse(['--port', 'http'])), /invalid --port/);
    assert.throws(() => parseLogLevel('verbose'), /invalid --log-level/);
    assert.equal(parseLogLevel('fatal'), 'error');
  });

  it('rewrites only known long flags, and nothing after --', () => {
    assert.deepEqual(normalizeGoStyleFlags(['-port=1', '-timeout', '1h', '-h', '-x', '--', '-port=2']), [
      '--port=1',
      '--timeout',
      '1h',
      '-h',
      '-x',
      '--',
      '-port=2',
    ]);
  });
});
