import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PrometheusProvider } from '../../../src/metrics/providers/prometheus.js';
import { fetchCohort } from '../../../src/judge/samples-prometheus.js';
import { startStub, type StubServer } from '../metrics/stub-server.js';

const window = { start: 1000, end: 1060, stepSeconds: 10 };
const ok = (data: unknown): string => JSON.stringify({ status: 'success', data });
const servers: StubServer[] = [];
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function provider(answer: (url: URL) => unknown): Promise<{ p: PrometheusProvider; s: StubServer }> {
  const s = await startStub((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(ok(answer(req.url)));
  });
  servers.push(s);
  return { p: new PrometheusProvider({ address: s.url, headers: { 'x-scope-orgid': 'team-a' } }), s };
}

describe('judge samples from Prometheus', () => {
  it('latency: a range query over the window; every finite point of every series is a sample', async () => {
    const { p, s } = await provider(() => ({
      resultType: 'matrix',
      result: [
        {
          metric: { pod: 'a' },
          values: [
            [1000, '0.1'],
            [1010, '0.2'],
            [1020, 'NaN'],
          ],
        },
        { metric: { pod: 'b' }, values: [[1000, '0.3']] },
      ],
    }));
    const d = await fetchCohort(p, { kind: 'latency', query: 'q{pod=~"podinfo-.*"}', exposure: 1 }, window);
    assert.deepEqual(d, { kind: 'values', values: [0.1, 0.2, 0.3] });
    const u = s.requests[0]?.url;
    assert.ok(u);
    assert.equal(u.pathname, '/api/v1/query_range');
    assert.deepEqual(
      [u.searchParams.get('start'), u.searchParams.get('end'), u.searchParams.get('step')],
      ['1000', '1060', '10s'],
    );
    assert.equal(s.requests[0]?.headers['x-scope-orgid'], 'team-a'); // the provider's headers and auth are reused
  });

  it('errors: counts summed over series, a missing error series is 0 errors when requests exist', async () => {
    const { p } = await provider((url) =>
      url.searchParams.get('query')?.startsWith('errors')
        ? { resultType: 'vector', result: [] }
        : {
            resultType: 'vector',
            result: [
              { metric: { pod: 'a' }, value: [1060, '1200.4'] },
              { metric: { pod: 'b' }, value: [1060, '799.7'] },
            ],
          },
    );
    const d = await fetchCohort(
      p,
      { kind: 'errors', query: 'errors', requestsQuery: 'requests', exposure: 1 },
      window,
    );
    assert.deepEqual(d, { kind: 'counts', events: 0, total: 2000, exposure: 1 });
  });

  it('histogram: buckets by le, summed across pods', async () => {
    const { p } = await provider(() => ({
      resultType: 'vector',
      result: [
        { metric: { le: '0.1', pod: 'a' }, value: [1060, '5'] },
        { metric: { le: '+Inf', pod: 'a' }, value: [1060, '9'] },
        { metric: { le: '0.1', pod: 'b' }, value: [1060, '1'] },
        { metric: { le: '+Inf', pod: 'b' }, value: [1060, '2'] },
      ],
    }));
    const d = await fetchCohort(p, { kind: 'histogram', query: 'h', exposure: 1 }, window);
    assert.deepEqual(d, {
      kind: 'histogram',
      buckets: [
        { le: 0.1, count: 6 },
        { le: Infinity, count: 11 },
      ],
    });
  });

  it('no series at all is no data; an error answer is a provider error', async () => {
    const { p } = await provider(() => ({ resultType: 'matrix', result: [] }));
    assert.deepEqual(await fetchCohort(p, { kind: 'latency', query: 'q', exposure: 1 }, window), {
      kind: 'none',
    });
    const s = await startStub((_req, res) => {
      res.statusCode = 400;
      res.end(JSON.stringify({ status: 'error', errorType: 'bad_data', error: 'parse error' }));
    });
    servers.push(s);
    await assert.rejects(
      fetchCohort(
        new PrometheusProvider({ address: s.url }),
        { kind: 'latency', query: 'q', exposure: 1 },
        window,
      ),
      /HTTP 400: bad_data: parse error/,
    );
  });
});
