// Prometheus over TLS (insecureSkipVerify) and the MetricTemplate provider registry.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PrometheusProvider } from '../../../src/metrics/providers/prometheus.js';
import { ProviderConfigError, ProviderUnreachableError } from '../../../src/metrics/providers/provider.js';
import { createMetricProvider } from '../../../src/metrics/providers/registry.js';
import { selfSignedCert, sendJson, startStub, vectorBody } from './stub-server.js';

describe('PrometheusProvider over TLS', () => {
  const tls = selfSignedCert();
  it(
    'verifies certificates unless insecureSkipVerify is set',
    { skip: tls === undefined && 'openssl unavailable' },
    async () => {
      const secure = await startStub((_req, res) => {
        sendJson(res, 200, vectorBody('7'));
      }, tls);
      try {
        await assert.rejects(
          new PrometheusProvider({ address: secure.url }).runQuery('x'),
          ProviderUnreachableError,
        );
        assert.equal(
          await new PrometheusProvider({ address: secure.url, insecureSkipVerify: true }).runQuery('x'),
          7,
        );
        // Skipping verification for one provider must not leak into others.
        await assert.rejects(
          new PrometheusProvider({ address: secure.url }).runQuery('x'),
          ProviderUnreachableError,
        );
      } finally {
        await secure.close();
      }
    },
  );
});

describe('provider registry', () => {
  it('builds prometheus from a MetricTemplate provider', () => {
    const p = createMetricProvider({ provider: { type: 'prometheus', address: 'http://127.0.0.1:9090' } });
    assert.ok(p instanceof PrometheusProvider);
  });

  it('refuses an unknown type instead of falling back to prometheus', () => {
    assert.throws(
      () =>
        createMetricProvider({
          provider: { type: 'opentsdb' as 'prometheus', address: 'http://127.0.0.1:9090' },
        }),
      (e: unknown) =>
        e instanceof ProviderConfigError && e.message === 'unknown metrics provider type opentsdb',
    );
  });

  it('requires an address', () => {
    assert.throws(() => createMetricProvider({ provider: { type: 'prometheus' } }), /address is not set/);
    assert.throws(
      () => createMetricProvider({ provider: { type: 'prometheus', address: 'not a url' } }),
      /not a valid URL/,
    );
  });
});
