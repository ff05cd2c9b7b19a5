// Mirrors Flagger's webhook_test.go (behaviour spec §9.5) plus retries, timeouts and redaction.
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { CanaryWebhook } from '../../../src/api/canary.js';
import { WebhookError, callWebhook } from '../../../src/webhooks/client.js';
import { webhookPayload } from '../../../src/webhooks/payloads.js';
import { at, canary } from '../metrics/fixtures.js';
import { type StubServer, closedPort, hang, selfSignedCert, startStub } from '../metrics/stub-server.js';

/** Each test queues the answers for successive requests; the last one repeats. */
let script: ((res: ServerResponse) => void | Promise<void>)[] = [];
let hookServer: StubServer;
const fast = { retryBaseDelayMs: 5, retryMaxDelayMs: 20 };

const status =
  (code: number, body = '') =>
  (res: ServerResponse) => {
    res.writeHead(code);
    res.end(body);
  };

before(async () => {
  hookServer = await startStub((_req, res) => {
    const next = script.length > 1 ? script.shift() : script[0];
    return (next ?? status(200))(res);
  });
});
after(async () => {
  await hookServer.close();
});
beforeEach(() => {
  script = [];
  hookServer.requests.length = 0;
});

const hook = (over: Partial<CanaryWebhook> = {}): CanaryWebhook => ({
  name: 'load-test',
  type: 'pre-rollout',
  url: `${hookServer.url}/gate/check`,
  ...over,
});

describe('callWebhook', () => {
  it('POSTs the JSON payload with metadata to the hook path', async () => {
    script = [status(200, 'ok')];
    const h = hook({ metadata: { cmd: 'hey -z 1m http://podinfo.test:9898/' } });
    const c = canary();
    const res = await callWebhook(h, webhookPayload(c, h, 'Progressing'), fast);
    assert.deepEqual(res, { status: 200, body: 'ok', attempts: 1 });
    const req = at(hookServer.requests, 0);
    assert.equal(req.method, 'POST');
    assert.equal(req.url.pathname, '/gate/check');
    assert.equal(req.headers['content-type'], 'application/json');
    const body: unknown = JSON.parse(req.body);
    assert.deepEqual(body, {
      name: 'podinfo',
      namespace: 'test',
      phase: 'Progressing',
      checksum: webhookPayload(c, h).checksum,
      metadata: { cmd: 'hey -z 1m http://podinfo.test:9898/' },
    });
  });

  it('omits empty metadata and defaults phase to the status phase', async () => {
    script = [status(200)];
    const h = hook();
    await callWebhook(h, webhookPayload(canary(), h), fast);
    const body = JSON.parse(hookServer.requests[0]?.body ?? '') as Record<string, unknown>;
    assert.equal(body['phase'], 'Progressing');
    assert.equal('metadata' in body, false);
  });

  it('treats 202 as success and 203 as failure', async () => {
    script = [status(202)];
    assert.equal((await callWebhook(hook(), webhookPayload(canary(), hook()), fast)).status, 202);
    script = [status(203, 'non-authoritative')];
    await assert.rejects(
      callWebhook(hook(), webhookPayload(canary(), hook()), fast),
      /HTTP 203: non-authoritative/,
    );
  });

  it('fails on 500 with the response body', async () => {
    script = [status(500, 'load test failed: 12% errors')];
    await assert.rejects(callWebhook(hook(), webhookPayload(canary(), hook()), fast), (e: unknown) => {
      assert.ok(e instanceof WebhookError);
      assert.equal(e.kind, 'status');
      assert.equal(e.status, 500);
      assert.equal(e.message, 'HTTP 500: load test failed: 12% errors');
      return true;
    });
  });

  it('truncates long bodies', async () => {
    script = [status(400, 'x'.repeat(5000))];
    await assert.rejects(
      callWebhook(hook(), webhookPayload(canary(), hook()), { ...fast, maxBodyChars: 100 }),
      (e: unknown) => {
        return e instanceof WebhookError && e.message.length < 120 && e.message.endsWith('…');
      },
    );
  });

  it('retries 5xx and succeeds on the third attempt', async () => {
    script = [status(503, 'warming up'), status(500, 'still'), status(200, 'approved')];
    const res = await callWebhook(hook({ retries: 2 }), webhookPayload(canary(), hook()), fast);
    assert.deepEqual(res, { status: 200, body: 'approved', attempts: 3 });
    assert.equal(hookServer.requests.length, 3);
  });

  it('gives up after the retries, naming the attempts', async () => {
    script = [status(500, 'boom')];
    await assert.rejects(
      callWebhook(hook({ retries: 2 }), webhookPayload(canary(), hook()), fast),
      (e: unknown) => {
        return (
          e instanceof WebhookError &&
          e.attempts === 3 &&
          e.message === 'giving up after 3 attempt(s): HTTP 500: boom'
        );
      },
    );
    assert.equal(hookServer.requests.length, 3);
  });

  it('does not start a retry that cannot finish before the timeout', async () => {
    script = [status(500, 'x')];
    const h = hook({ retries: 3, timeout: '300ms' });
    await assert.rejects(
      callWebhook(h, webhookPayload(canary(), h), { retryBaseDelayMs: 1000 }),
      (e: unknown) => {
        return (
          e instanceof WebhookError &&
          e.message === 'giving up after 1 attempt(s) (timeout reached): HTTP 500: x'
        );
      },
    );
    assert.equal(hookServer.requests.length, 1);
  });

  it('does not retry a 4xx other than 429', async () => {
    script = [status(403, 'denied')];
    await assert.rejects(
      callWebhook(hook({ retries: 3 }), webhookPayload(canary(), hook()), fast),
      /^Error|HTTP 403: denied/,
    );
    assert.equal(hookServer.requests.length, 1);
  });

  it('retries 429', async () => {
    script = [status(429, 'slow down'), status(200)];
    assert.equal(
      (await callWebhook(hook({ retries: 1 }), webhookPayload(canary(), hook()), fast)).attempts,
      2,
    );
  });

  it('retries connection errors, and never reports URL credentials or query', async () => {
    const port = await closedPort();
    const h = hook({ url: `http://alice:hunter2@127.0.0.1:${port}/hook?token=t0k3n`, retries: 1 });
    await assert.rejects(callWebhook(h, webhookPayload(canary(), h), fast), (e: unknown) => {
      assert.ok(e instanceof WebhookError);
      assert.equal(e.kind, 'unreachable');
      assert.equal(e.attempts, 2);
      assert.match(e.message, /^giving up after 2 attempt\(s\): .*ECONNREFUSED/);
      assert.doesNotMatch(e.message, /hunter2|alice|t0k3n|token/);
      return true;
    });
  });

  it('times out as a whole (timeout covers retries)', async () => {
    script = [(res) => hang(undefined, res)];
    const started = Date.now();
    await assert.rejects(
      callWebhook(hook({ timeout: '200ms', retries: 5 }), webhookPayload(canary(), hook()), fast),
      (e: unknown) => {
        return e instanceof WebhookError && e.kind === 'timeout' && /timed out after 200ms/.test(e.message);
      },
    );
    assert.ok(Date.now() - started < 5000, 'bounded by the timeout, not the hang');
    assert.equal(hookServer.requests.length, 1);
  });

  it('rejects an invalid URL or timeout as a config error', async () => {
    await assert.rejects(
      callWebhook(hook({ url: 'not a url' }), webhookPayload(canary(), hook())),
      (e: unknown) => e instanceof WebhookError && e.kind === 'config',
    );
    await assert.rejects(
      callWebhook(hook({ url: 'ftp://x/y' }), webhookPayload(canary(), hook())),
      /http or https/,
    );
    await assert.rejects(
      callWebhook(hook({ timeout: '10x' }), webhookPayload(canary(), hook())),
      /invalid timeout/,
    );
  });

  it('stops when the signal aborts, also during a retry wait', async () => {
    script = [status(500)];
    const ac = new AbortController();
    setTimeout(() => {
      ac.abort(new Error('shutting down'));
    }, 50);
    await assert.rejects(
      callWebhook(hook({ retries: 5 }), webhookPayload(canary(), hook()), {
        signal: ac.signal,
        retryBaseDelayMs: 1000,
      }),
      /shutting down/,
    );
  });

  describe('disableTLS', () => {
    const tls = selfSignedCert();
    it(
      'skips certificate verification for that hook only',
      { skip: tls === undefined && 'openssl unavailable' },
      async () => {
        const secure = await startStub((_req, res) => {
          status(200, 'tls ok')(res);
        }, tls);
        try {
          const h = hook({ url: `${secure.url}/hook` });
          await assert.rejects(
            callWebhook(h, webhookPayload(canary(), h), fast),
            (e: unknown) => e instanceof WebhookError && e.kind === 'unreachable',
          );
          const insecure = { ...h, disableTLS: true };
          assert.equal(
            (await callWebhook(insecure, webhookPayload(canary(), insecure), fast)).body,
            'tls ok',
          );
        } finally {
          await secure.close();
        }
      },
    );
  });
});
