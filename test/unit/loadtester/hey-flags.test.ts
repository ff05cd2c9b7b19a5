// hey command lines → load plans.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { HEY_MAX_WORKERS, HeyFlagError, parseHeyArgs } from '../../../src/loadtester/hey-flags.js';
import { splitArgv } from '../../../src/loadtester/argv.js';
import { tempDir } from './helpers.js';

const plan = (cmd: string): ReturnType<typeof parseHeyArgs> => parseHeyArgs(splitArgv(cmd));

describe('parseHeyArgs', () => {
  it("uses hey's defaults", () => {
    const p = plan('http://podinfo.test:9898/');
    assert.equal(p.url.href, 'http://podinfo.test:9898/');
    assert.equal(p.method, 'GET');
    assert.equal(p.requests, 200);
    assert.equal(p.concurrency, 50);
    assert.equal(p.qpsPerWorker, 0);
    assert.equal(p.durationMs, undefined);
    assert.equal(p.requestTimeoutMs, 20_000);
    assert.equal(p.headers['content-type'], 'text/html');
    assert.equal(p.body, undefined);
  });

  it('parses the flags Flagger tutorials use', () => {
    const p = plan('-z 1m -q 10 -c 2 http://podinfo-canary.test:9898/');
    assert.equal(p.durationMs, 60_000);
    assert.equal(p.qpsPerWorker, 10);
    assert.equal(p.concurrency, 2);
  });

  it('accepts -f=v, --f v, repeatable -H, -m, -d, -T, -A, -a, -host and -t', () => {
    const p = plan(
      `-m=post --c 3 -n 9 -H 'X-Canary: insider' -H "Cookie: a=b" -d '{"k":1}' -T application/json -A text/plain -a user:pw -host podinfo.local -t 5 https://127.0.0.1:9/x`,
    );
    assert.equal(p.method, 'POST');
    assert.equal(p.concurrency, 3);
    assert.equal(p.requests, 9);
    assert.equal(p.headers['x-canary'], 'insider');
    assert.equal(p.headers['cookie'], 'a=b');
    assert.equal(p.headers['content-type'], 'application/json');
    assert.equal(p.headers['accept'], 'text/plain');
    assert.equal(p.headers['authorization'], `Basic ${Buffer.from('user:pw').toString('base64')}`);
    assert.equal(p.headers['host'], 'podinfo.local');
    assert.equal(p.body?.toString(), '{"k":1}');
    assert.equal(p.requestTimeoutMs, 5000);
  });

  it('reads -D from a file', () => {
    const dir = tempDir();
    try {
      writeFileSync(dir.file('body.json'), '{"from":"file"}');
      assert.equal(
        plan(`-D ${dir.file('body.json')} -d ignored http://x/`).body?.toString(),
        '{"from":"file"}',
      );
      assert.throws(() => plan(`-D ${dir.file('missing')} http://x/`), /cannot read -D/);
    } finally {
      dir.remove();
    }
  });

  it('handles boolean flags and -- like Go flag', () => {
    const p = plan('-disable-keepalive -disable-redirects=true -h2 -cpus 2 -- http://x/');
    assert.equal(p.disableKeepAlive, true);
    assert.equal(p.disableRedirects, true);
    assert.ok(p.notes.some((n) => n.includes('-h2')));
    assert.equal(plan('-disable-compression http://x/').headers['accept-encoding'], undefined);
  });

  it('rejects what hey rejects', () => {
    assert.throws(() => plan('-n 1 -c 2 http://x/'), /-n cannot be less than -c/);
    assert.throws(() => plan('-c 0 http://x/'), /cannot be smaller than 1/);
    assert.throws(() => plan('-bogus http://x/'), /flag provided but not defined: -bogus/);
    assert.throws(() => plan('-n'), /flag needs an argument: -n/);
    assert.throws(() => plan('-n ten http://x/'), /invalid value "ten" for flag -n/);
    assert.throws(() => plan('-z forever http://x/'), /flag -z/);
    assert.throws(() => plan('-H nocolon http://x/'), /could not parse the provided header/);
    assert.throws(() => plan('-z 1s'), /URL to load is missing/);
    assert.throws(() => plan('-z 1s ftp://x/'), /unsupported URL scheme/);
    assert.throws(() => plan('-o json http://x/'), /only csv/);
    assert.throws(() => plan('-x http://proxy:3128 http://x/'), HeyFlagError);
  });

  it('ignores -n in -z mode and caps the worker count', () => {
    const p = plan('-z 10s -n 1 -c 100000 http://x/');
    assert.equal(p.durationMs, 10_000);
    assert.equal(p.concurrency, HEY_MAX_WORKERS);
    assert.ok(p.notes.some((n) => n.includes('capped')));
  });

  it('stops at the first non-flag word like Go flag, noting extra words', () => {
    const p = plan('-n 5 -c 1 http://x/ -n 100');
    assert.equal(p.requests, 5);
    assert.ok(p.notes.some((n) => n.includes('-n 100')));
  });
});
