// The quote-aware splitter and the allow-list matching built on it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CommandAllowList } from '../../../src/loadtester/allow-list.js';
import { ArgvError, scanCommand, splitArgv } from '../../../src/loadtester/argv.js';

describe('splitArgv', () => {
  it('splits on runs of whitespace', () => {
    assert.deepEqual(splitArgv('  hey -z 1m\t-q 10 \n http://podinfo:9898/  '), [
      'hey',
      '-z',
      '1m',
      '-q',
      '10',
      'http://podinfo:9898/',
    ]);
    assert.deepEqual(splitArgv(''), []);
  });

  it('keeps single-quoted text literally', () => {
    assert.deepEqual(splitArgv(`curl -H 'X-A: "b" \\n $HOME'`), ['curl', '-H', 'X-A: "b" \\n $HOME']);
  });

  it('handles double quotes and their escapes', () => {
    assert.deepEqual(splitArgv(`echo "a \\"b\\" \\\\ \\x"`), ['echo', 'a "b" \\ \\x']);
  });

  it('handles backslash escapes outside quotes and joins adjacent parts', () => {
    assert.deepEqual(splitArgv("touch a\\ b pre\"mid\"'post' \\'q"), ['touch', 'a b', 'premidpost', "'q"]);
  });

  it('keeps empty quoted arguments', () => {
    assert.deepEqual(splitArgv(`cmd '' ""`), ['cmd', '', '']);
  });

  it('treats backslash-newline as a line continuation', () => {
    assert.deepEqual(splitArgv('hey -z 1m \\\n  http://x/'), ['hey', '-z', '1m', 'http://x/']);
  });

  it('rejects unterminated quotes and a trailing backslash', () => {
    assert.throws(() => splitArgv(`echo 'a`), ArgvError);
    assert.throws(() => splitArgv(`echo "a`), /unterminated double quote/);
    assert.throws(() => splitArgv('echo a\\'), /unescaped backslash/);
  });
});

describe('scanCommand shell syntax', () => {
  const syntax = (s: string): string[] => scanCommand(s).shellSyntax;

  it('reports unquoted operators and expansions', () => {
    assert.deepEqual(syntax('a | b; c && d > f < g'), ['|', ';', '&', '&', '>', '<']);
    assert.deepEqual(syntax('echo $(id) ${HOME} $HOME `id`'), ['$(', '(', ')', '${', '$', '`', '`']);
  });

  it('reports expansions inside double quotes but nothing inside single quotes', () => {
    assert.deepEqual(syntax('echo "$HOME `id` | ;"'), ['$', '`', '`']);
    assert.deepEqual(syntax("echo '$HOME | ; `id`'"), []);
  });

  it('does not flag ordinary URLs, flags and a lone dollar', () => {
    assert.deepEqual(syntax('hey -z 1m -H "Host: a.b" http://podinfo:9898/api?x=1 cost=5$'), []);
    assert.deepEqual(syntax('echo \\| \\;'), []);
  });
});

describe('CommandAllowList', () => {
  const list = new CommandAllowList(['hey', 'curl -s http://podinfo', "helm test 'my release'"]);

  it('requires a one-word prefix to match the program exactly', () => {
    assert.equal(list.allows(['hey', '-z', '1m']), true);
    assert.equal(list.allows(['hey']), true);
    assert.equal(list.allows(['heyx']), false);
    assert.equal(list.allows(['/usr/bin/hey']), false);
  });

  it('matches earlier words exactly and the last word as a string prefix', () => {
    assert.equal(list.allows(['curl', '-s', 'http://podinfo-canary:9898/']), true);
    assert.equal(list.allows(['curl', '-sk', 'http://podinfo']), false);
    assert.equal(list.allows(['curl', '-s']), false);
    assert.equal(list.allows(['helm', 'test', 'my release']), true);
    assert.equal(list.allows(['helm', 'test', 'my', 'release']), false);
  });

  it('ignores empty prefixes', () => {
    assert.equal(new CommandAllowList(['', '  ']).size, 0);
  });
});
