import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PrometheusProvider } from '../../../src/metrics/providers/prometheus.js';
import {
  MultipleValuesError,
  NoValuesError,
  ProviderConfigError,
  ProviderError,
  ProviderHttpError,
  ProviderUnreachableError,
} from '../../../src/metrics/providers/provider.js';
import { type StubServer, closedPort, hang, sendJson, startStub, vectorBody } from './stub-server.js';

/** A stub whose answer for the next request is set by each test. */
let answer: (res: import('node:http').ServerResponse) => void = (res) => {
  sendJson(res, 200, vectorBody('1'));
};
let stub: StubServer;

before(async () => {
  stub = await startStub((_req, res) => {
    answer(res);
  });
});
after(async () => {
  await stub.close();
});

const lastRequest = () => {
  const r = stub.requests[stub.requests.length - 1];
  assert.ok(r, 'a request reached the stub');
  return r;
};

describe('PrometheusProvider.runQuery', () => {
  it('sends GET /api/v1/query with the whitespace-collapsed query', async () => {
    answer = (res) => {
      sendJson(res, 200, vectorBody('99.5'));
    };
    const p = new PrometheusProvider({ address: stub.url });
    const q = 'sum(rate(x{a="b c"}[1m]))\n   / 2';
    assert.equal(await p.runQuery(q), 99.5);
    const r = lastRequest();
    assert.equal(r.method, 'GET');
    assert.equal(r.url.pathname, '/api/v1/query');
    assert.equal(r.url.searchParams.get('query'), 'sum(rate(x{a="b c"}[1m])) / 2');
    assert.equal(r.headers['authorization'], undefined);
  });

  it('keeps a path prefix in the address', async () => {
    answer = (res) => {
      sendJson(res, 200, vectorBody('1'));
    };
    await new PrometheusProvider({ address: `${stub.url}/prometheus/` }).runQuery('up');
    assert.equal(lastRequest().url.pathname, '/prometheus/api/v1/query');
  });

  it('sends a bearer token from the secret', async () => {
    answer = (res) => {
      sendJson(res, 200, vectorBody('1'));
    };
    const p = new PrometheusProvider({
      address: stub.url,
      credentials: { token: 's3cr3t', username: 'u', password: 'p' },
    });
    await p.runQuery('up');
    assert.equal(lastRequest().headers['authorization'], 'Bearer s3cr3t');
  });

  it('sends basic auth from username and password', async () => {
    answer = (res) => {
      sendJson(res, 200, vectorBody('1'));
    };
    await new PrometheusProvider({
      address: stub.url,
      credentials: { username: 'admin', password: 'pa:ss' },
    }).runQuery('up');
    assert.equal(
      lastRequest().headers['authorization'],
      `Basic ${Buffer.from('admin:pa:ss').toString('base64')}`,
    );
  });

  it('rejects a secret with neither token nor username+password, without echoing values', () => {
    assert.throws(
      () => new PrometheusProvider({ address: stub.url, credentials: { username: 'only-user-value' } }),
      (err: unknown) => err instanceof ProviderConfigError && !err.message.includes('only-user-value'),
    );
  });

  it('sends custom headers, joining repeated values', async () => {
    answer = (res) => {
      sendJson(res, 200, vectorBody('1'));
    };
    const headers = { 'X-Scope-OrgID': ['tenant-a'], 'X-Multi': ['a', 'b'] };
    await new PrometheusProvider({ address: stub.url, headers }).runQuery('up');
    assert.equal(lastRequest().headers['x-scope-orgid'], 'tenant-a');
    assert.equal(lastRequest().headers['x-multi'], 'a, b');
  });

  it('rejects header values with line breaks', () => {
    assert.throws(
      () => new PrometheusProvider({ address: stub.url, headers: { 'X-A': ['a\r\nB: c'] } }),
      ProviderConfigError,
    );
  });

  it('reads a scalar result', async () => {
    answer = (res) => {
      sendJson(res, 200, { status: 'success', data: { resultType: 'scalar', result: [1, '42'] } });
    };
    assert.equal(await new PrometheusProvider({ address: stub.url }).runQuery('scalar(x)'), 42);
  });

  it('reads +Inf', async () => {
    answer = (res) => {
      sendJson(res, 200, vectorBody('+Inf'));
    };
    assert.equal(await new PrometheusProvider({ address: stub.url }).runQuery('x'), Number.POSITIVE_INFINITY);
  });

  // Widened on purpose: the test checks the runtime value, which the class type already fixes.
  const kindOf = (e: unknown): string | undefined => (e instanceof ProviderError ? e.kind : undefined);
  const failures: [string, (res: import('node:http').ServerResponse) => void, (err: unknown) => boolean][] = [
    [
      'NaN is no data',
      (res) => {
        sendJson(res, 200, vectorBody('NaN'));
      },
      (e) => e instanceof NoValuesError && kindOf(e) === 'no-data' && /no values found.*NaN/.test(e.message),
    ],
    [
      'an empty vector is no data',
      (res) => {
        sendJson(res, 200, vectorBody());
      },
      (e) => e instanceof NoValuesError && /empty result/.test(e.message),
    ],
    [
      'a NaN scalar is no data',
      (res) => {
        sendJson(res, 200, { status: 'success', data: { resultType: 'scalar', result: [1, 'NaN'] } });
      },
      (e) => e instanceof NoValuesError,
    ],
    [
      'two series are multiple-series',
      (res) => {
        sendJson(res, 200, vectorBody('1', '2'));
      },
      (e) =>
        e instanceof MultipleValuesError &&
        kindOf(e) === 'multiple-series' &&
        e.count === 2 &&
        /2 series/.test(e.message),
    ],
    [
      'a matrix is multiple-series',
      (res) => {
        sendJson(res, 200, {
          status: 'success',
          data: {
            resultType: 'matrix',
            result: [
              {
                metric: {},
                values: [
                  [1, '1'],
                  [2, '2'],
                ],
              },
            ],
          },
        });
      },
      (e) => e instanceof MultipleValuesError && /range vector/.test(e.message),
    ],
    [
      "HTTP 400 is http-error with Prometheus's error text",
      (res) => {
        sendJson(res, 400, {
          status: 'error',
          errorType: 'bad_data',
          error: 'parse error at char 5: unexpected "}"',
        });
      },
      (e) =>
        e instanceof ProviderHttpError &&
        kindOf(e) === 'http-error' &&
        e.status === 400 &&
        e.message === 'prometheus query failed: HTTP 400: bad_data: parse error at char 5: unexpected "}"',
    ],
    [
      'HTTP 500 is http-error with the body',
      (res) => {
        res.writeHead(500);
        res.end('internal\n  boom');
      },
      (e) =>
        e instanceof ProviderHttpError &&
        e.status === 500 &&
        e.body === 'internal boom' &&
        /HTTP 500: internal boom/.test(e.message),
    ],
    [
      'invalid JSON is http-error',
      (res) => {
        res.writeHead(200);
        res.end('<html>proxy login</html>');
      },
      (e) => e instanceof ProviderHttpError && /unexpected response/.test(e.message),
    ],
    [
      'a non-numeric sample is http-error',
      (res) => {
        sendJson(res, 200, vectorBody('abc'));
      },
      (e) => e instanceof ProviderHttpError && /non-numeric/.test(e.message),
    ],
    [
      'a string result is http-error',
      (res) => {
        sendJson(res, 200, { status: 'success', data: { resultType: 'string', result: [1, 'x'] } });
      },
      (e) => e instanceof ProviderHttpError,
    ],
  ];
  for (const [title, respond, check] of failures) {
    it(`fails clearly: ${title}`, async () => {
      answer = respond;
      await assert.rejects(new PrometheusProvider({ address: stub.url }).runQuery('q'), check);
    });
  }

  it('reports a closed port as unreachable, without URL credentials', async () => {
    const port = await closedPort();
    const p = new PrometheusProvider({ address: `http://user:hunter2@127.0.0.1:${port}/?token=abc` });
    await assert.rejects(p.runQuery('up'), (e: unknown) => {
      assert.ok(e instanceof ProviderUnreachableError);
      assert.equal(e.kind, 'unreachable');
      assert.match(e.message, /ECONNREFUSED/);
      assert.doesNotMatch(e.message, /hunter2|token|abc/);
      return true;
    });
  });

  it('times out as unreachable', async () => {
    const slow = await startStub(hang);
    try {
      const started = Date.now();
      await assert.rejects(
        new PrometheusProvider({ address: slow.url, timeoutMs: 150 }).runQuery('up'),
        (e: unknown) => {
          return (
            e instanceof ProviderUnreachableError &&
            e.timedOut &&
            /did not answer within 150ms/.test(e.message)
          );
        },
      );
      assert.ok(Date.now() - started < 5000, 'bounded by the timeout, not the hang');
    } finally {
      await slow.close();
    }
  });

  it("passes the caller's abort through instead of reporting a provider failure", async () => {
    const slow = await startStub(hang);
    try {
      const ac = new AbortController();
      setTimeout(() => {
        ac.abort(new Error('reconcile cancelled'));
      }, 50);
      await assert.rejects(
        new PrometheusProvider({ address: slow.url }).runQuery('up', ac.signal),
        /reconcile cancelled/,
      );
    } finally {
      await slow.close();
    }
  });
});

describe('PrometheusProvider.isOnline', () => {
  it('sends vector(1) and expects 1', async () => {
    answer = (res) => {
      sendJson(res, 200, vectorBody('1'));
    };
    assert.equal(await new PrometheusProvider({ address: stub.url }).isOnline(), true);
    assert.equal(lastRequest().url.searchParams.get('query'), 'vector(1)');
    answer = (res) => {
      sendJson(res, 200, vectorBody('0'));
    };
    assert.equal(await new PrometheusProvider({ address: stub.url }).isOnline(), false);
  });
});
