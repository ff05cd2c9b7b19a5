// Each HTTP/websocket metric provider against an HTTPS fake of its vendor API: the value
// returned, the look-back window sent, "no values found" on an empty result, the
// vendor's error body on bad credentials, IsOnline, and the timeout on a hung server.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { MetricTemplateProvider } from '../../../src/api/metric-template.js';
import {
  type MetricProvider,
  MultipleValuesError,
  NoValuesError,
  ProviderConfigError,
  ProviderHttpError,
  ProviderUnreachableError,
} from '../../../src/metrics/providers/provider.js';
import { createMetricProvider } from '../../../src/metrics/providers/registry.js';
import { hang, selfSignedCert, startStub } from './stub-server.js';
import type { VendorServer } from './vendors/common.js';
import { startDatadog } from './vendors/datadog.js';
import { startDynatrace } from './vendors/dynatrace.js';
import { startInfluxdb } from './vendors/influxdb.js';
import { startNewRelic } from './vendors/newrelic.js';
import { startSplunk } from './vendors/splunk.js';
import { serviceAccount, startStackdriver } from './vendors/stackdriver.js';

const NOW = 1_750_000_000_000; // a fixed clock: windows are exact
const MIN = 60_000;

interface Case {
  readonly type: MetricTemplateProvider['type'];
  readonly query: string;
  start(): Promise<VendorServer>;
  readonly good: Record<string, string>;
  readonly bad: Record<string, string>;
  /** Checks the window the last query asked for (interval 1m). */
  window(server: VendorServer): void;
  readonly authError: RegExp;
}

const sa = serviceAccount('my-project');

function lastQuery(s: VendorServer): URLSearchParams {
  const last = s.requests.at(-1);
  assert.ok(last !== undefined, 'no request reached the server');
  return last.url.searchParams;
}

const cases: Case[] = [
  {
    type: 'datadog',
    query: 'sum:requests.error{service:podinfo}.as_count()',
    start: () => startDatadog('api-k', 'app-k'),
    good: { datadog_api_key: 'api-k', datadog_application_key: 'app-k' },
    bad: { datadog_api_key: 'nope', datadog_application_key: 'app-k' },
    window: (s) => {
      const q = lastQuery(s);
      assert.equal(q.get('to'), String(NOW / 1000));
      assert.equal(q.get('from'), String(NOW / 1000 - 600));
    },
    authError: /^error response: \{"errors":\["Forbidden"\]\}: HTTP 403$/,
  },
  {
    type: 'newrelic',
    query: "SELECT filter(count(*), WHERE status >= '500') / count(*) * 100 FROM Transaction",
    start: () => startNewRelic('12345', 'nrq'),
    good: { newrelic_account_id: '12345', newrelic_query_key: 'nrq' },
    bad: { newrelic_account_id: '12345', newrelic_query_key: 'wrong' },
    // Flagger's New Relic window is one interval, not ten.
    window: (s) => {
      assert.match(
        s.requests.at(-1)?.url.searchParams.get('nrql') ?? '',
        /FROM Transaction SINCE 60 seconds ago$/,
      );
    },
    authError: /^error response: \{"error":"Invalid query key"\}: HTTP 401$/,
  },
  {
    type: 'dynatrace',
    query: 'builtin:service.response.time:avg',
    start: () => startDynatrace('dt0c01.abc'),
    good: { dynatrace_token: 'dt0c01.abc' },
    bad: { dynatrace_token: 'dt0c01.wrong' },
    window: (s) => {
      const q = lastQuery(s);
      assert.equal(q.get('to'), String(NOW));
      assert.equal(q.get('from'), String(NOW - 10 * MIN));
      assert.equal(q.get('resolution'), 'Inf');
    },
    authError: /^error response: .*Missing authorization parameter.*: HTTP 401$/,
  },
  {
    type: 'influxdb',
    query: 'from(bucket: "app") |> range(start: -1m) |> mean()',
    start: () => startInfluxdb('tok', 'my-org'),
    good: { token: 'tok', org: 'my-org' },
    bad: { token: 'other', org: 'my-org' },
    window: (s) => {
      assert.equal((JSON.parse(s.requests.at(-1)?.body ?? '{}') as { type?: unknown }).type, 'flux');
    },
    authError: /^error accessing influxdb query api: HTTP 401: unauthorized: unauthorized access$/,
  },
  {
    type: 'stackdriver',
    query: "fetch k8s_container | metric 'istio.io/service/server/request_count' | within 1m",
    start: () => startStackdriver('my-project', sa),
    good: { project: 'my-project', serviceAccountKey: sa.keyJson },
    bad: { project: 'my-project', serviceAccountKey: serviceAccount('my-project').keyJson },
    window: (s) => {
      assert.match(s.requests.at(-1)?.headers.authorization ?? '', /^Bearer /);
    },
    authError:
      /^error requesting stackdriver: UNAUTHENTICATED: Request had invalid authentication credentials/,
  },
];

function build(
  type: Case['type'],
  address: string,
  credentials: Record<string, string>,
  timeoutMs?: number,
): MetricProvider {
  return createMetricProvider({
    provider: { type, address, insecureSkipVerify: true, secretRef: { name: 's' } },
    credentials,
    metricIntervalMs: MIN,
    now: () => NOW,
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  });
}

for (const c of cases) {
  describe(`${c.type} provider`, () => {
    let server: VendorServer | undefined;
    const get = async (): Promise<VendorServer> => (server ??= await c.start());
    after(() => server?.close());

    it('returns the value and asks for the window', async () => {
      const s = await get();
      s.state.value = 2.5;
      assert.equal(await build(c.type, s.url, c.good).runQuery(c.query), 2.5);
      c.window(s);
    });

    it('reports "no values found" on an empty result', async () => {
      const s = await get();
      s.state.value = null;
      await assert.rejects(
        build(c.type, s.url, c.good).runQuery(c.query),
        (e: unknown) => e instanceof NoValuesError && e.message.startsWith('no values found'),
      );
    });

    it("passes the vendor's error on bad credentials, without the secret", async () => {
      const s = await get();
      s.state.value = 1;
      await assert.rejects(build(c.type, s.url, c.bad).runQuery(c.query), (e: unknown) => {
        assert.ok(e instanceof ProviderHttpError, String(e));
        assert.match(e.message, c.authError);
        for (const secret of Object.values(c.bad))
          assert.ok(!e.message.includes(secret), 'secret in message');
        return true;
      });
    });

    it('is online with good credentials and not with bad ones', async () => {
      const s = await get();
      assert.equal(await build(c.type, s.url, c.good).isOnline(), true);
      if (c.type !== 'influxdb')
        await assert.rejects(build(c.type, s.url, c.bad).isOnline(), ProviderHttpError);
    });

    it('gives up on a server that never answers', async () => {
      const tls = selfSignedCert();
      const hung = await startStub(hang, tls);
      try {
        const t0 = Date.now();
        await assert.rejects(
          build(c.type, hung.url, c.good, 300).runQuery(c.query),
          (e: unknown) => e instanceof ProviderUnreachableError && e.timedOut,
        );
        assert.ok(Date.now() - t0 < 10_000, 'bounded by the timeout, not the hang');
      } finally {
        await hung.close();
      }
    });
  });
}

describe('splunk provider (SignalFlow over a websocket)', () => {
  let server: Awaited<ReturnType<typeof startSplunk>> | undefined;
  const get = async (): Promise<Awaited<ReturnType<typeof startSplunk>>> =>
    (server ??= await startSplunk('sf-tok'));
  after(() => server?.close());
  const program = "data('demo.trans.latency').mean().publish()";

  it('returns the last point, for the 10-interval window', async () => {
    const s = await get();
    s.state.value = 7;
    assert.equal(await build('splunk', s.url, { sf_token_key: 'sf-tok' }).runQuery(program), 7);
    assert.deepEqual(s.programs.at(-1), program);
  });

  it('rejects more than one time series and empty results', async () => {
    const s = await get();
    s.state.value = 7;
    s.series = 2;
    await assert.rejects(
      build('splunk', s.url, { sf_token_key: 'sf-tok' }).runQuery(program),
      MultipleValuesError,
    );
    s.series = 1;
    s.state.value = null;
    await assert.rejects(build('splunk', s.url, { sf_token_key: 'sf-tok' }).runQuery(program), NoValuesError);
  });

  it('reports a bad token and a bad program', async () => {
    const s = await get();
    s.state.value = 1;
    await assert.rejects(
      build('splunk', s.url, { sf_token_key: 'bad' }).runQuery(program),
      /Invalid authentication token/,
    );
    await assert.rejects(
      build('splunk', s.url, { sf_token_key: 'sf-tok' }).runQuery('nonsense'),
      /Invalid program/,
    );
  });

  it('IsOnline calls /v2/metric with X-SF-Token', async () => {
    const s = await get();
    assert.equal(await build('splunk', s.url, { sf_token_key: 'sf-tok' }).isOnline(), true);
    assert.equal(s.requests.at(-1)?.url.search, '?limit=1');
    await assert.rejects(build('splunk', s.url, { sf_token_key: 'bad' }).isOnline(), ProviderHttpError);
  });
});

describe('provider configuration errors (Flagger texts)', () => {
  const mk = (provider: MetricTemplateProvider, credentials?: Record<string, string>): unknown => {
    try {
      return createMetricProvider({ provider, credentials });
    } catch (e) {
      return e;
    }
  };
  const cfg = (e: unknown): string =>
    e instanceof ProviderConfigError ? e.message : `not a config error: ${String(e)}`;
  it('names the missing secret key or setting', () => {
    assert.equal(cfg(mk({ type: 'datadog' }, {})), 'datadog credentials does not contain datadog_api_key');
    assert.equal(
      cfg(mk({ type: 'datadog' }, { datadog_api_key: 'a' })),
      'datadog credentials does not contain datadog_application_key',
    );
    assert.equal(
      cfg(mk({ type: 'newrelic' }, {})),
      "newrelic credentials does not contain the key 'newrelic_account_id'",
    );
    assert.equal(cfg(mk({ type: 'dynatrace' }, {})), 'dynatrace endpoint is not set');
    assert.equal(
      cfg(mk({ type: 'dynatrace', address: 'https://x' }, {})),
      'dynatrace credentials does not contain dynatrace_token',
    );
    assert.equal(cfg(mk({ type: 'splunk' }, {})), 'splunk endpoint is not set');
    assert.equal(cfg(mk({ type: 'cloudwatch' })), 'region not specified');
    assert.equal(
      cfg(mk({ type: 'influxdb', address: 'http://x', secretRef: { name: 's' } }, {})),
      'influxdb credentials does not contain an authentication token',
    );
    assert.equal(
      cfg(mk({ type: 'graphite', address: 'http://x', secretRef: { name: 's' } }, {})),
      'graphite credentials does not contain a username',
    );
    assert.equal(
      cfg(mk({ type: 'stackdriver', secretRef: { name: 's' } }, {})),
      'stackdriver credentials does not contain a project id',
    );
    assert.equal(cfg(mk({ type: 'keptn' })), 'could not initialize KeptnProvider: no KubeConfig provided');
  });

  it('derives the SignalFlow stream endpoint from the API address', async () => {
    const { SplunkProvider } = await import('../../../src/metrics/providers/splunk.js');
    const p = new SplunkProvider({ address: 'https://api.us1.signalfx.com', token: 't' });
    assert.equal(p.streamEndpoint, 'wss://stream.us1.signalfx.com/v2/signalflow');
  });
});
