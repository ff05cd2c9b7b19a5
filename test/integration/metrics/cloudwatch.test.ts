// CloudWatch provider against moto's server: metrics fed with PutMetricData and read with
// GetMetricData through the AWS SDK (SigV4-signed, credentials from the default chain —
// here the environment, as the chain's first source).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NoValuesError } from '../../../src/metrics/providers/provider.js';
import { createMetricProvider } from '../../../src/metrics/providers/registry.js';
import { eventually } from '../../harness/cluster.js';
import { startMoto } from './moto-server.js';
import { promoteThenRollBack } from './provider-canary.js';

process.env['AWS_ACCESS_KEY_ID'] = 'AKIAFLAGGERTSTEST';
process.env['AWS_SECRET_ACCESS_KEY'] = 'flagger-ts-test-secret';

// Go's json is case-insensitive, so templates written for Flagger may use lower-case names.
const lowerCaseQuery = (ns: string): string =>
  JSON.stringify([
    {
      id: 'm1',
      metricStat: {
        metric: {
          namespace: ns,
          metricName: 'ErrorRate',
          dimensions: [{ name: 'Service', value: 'podinfo' }],
        },
        period: 60,
        stat: 'Maximum',
      },
    },
  ]);

const simpleQuery = (ns: string, metric = 'ErrorRate'): string =>
  JSON.stringify([
    {
      Id: 'm1',
      MetricStat: {
        Metric: {
          Namespace: ns,
          MetricName: metric,
          Dimensions: [{ Name: 'Service', Value: 'podinfo' }],
        },
        Period: 60,
        Stat: 'Maximum',
      },
    },
  ]);

test('cloudwatch: GetMetricData over the 10-interval window through the SDK', async (t) => {
  const moto = await startMoto(t);
  const p = createMetricProvider({
    provider: { type: 'cloudwatch', region: moto.region, address: moto.url },
    metricIntervalMs: 60_000,
  });
  assert.equal(await p.isOnline(), true);
  await assert.rejects(p.runQuery(simpleQuery('Empty')), NoValuesError);
  await moto.put('App', 'ErrorRate', { Service: 'podinfo' }, 2);
  assert.equal(await eventually('value', () => p.runQuery(simpleQuery('App'))), 2);
  assert.equal(await p.runQuery(lowerCaseQuery('App')), 2);
  // A point older than 10 intervals is outside the window.
  // (A metric name of its own: moto 5.2.5 matches GetMetricData queries by metric name and
  // dimensions across namespaces.)
  await moto.put('Old', 'OldRate', { Service: 'podinfo' }, 9, new Date(Date.now() - 11 * 60_000));
  await assert.rejects(p.runQuery(simpleQuery('Old', 'OldRate')), NoValuesError);
  await assert.rejects(p.runQuery('not json'), /error unmarshaling query/);
});

test('cloudwatch: a canary promotes on a low error rate and rolls back on a high one', async (t) => {
  const moto = await startMoto(t);
  const ns = `App${Date.now()}`;
  await promoteThenRollBack(t, {
    prefix: 'cloudwatch',
    provider: { type: 'cloudwatch', region: moto.region, address: moto.url },
    query: simpleQuery(ns),
    interval: '1m',
    thresholdRange: { max: 1 },
    good: () => moto.put(ns, 'ErrorRate', { Service: 'podinfo' }, 0.5),
    // Maximum over the window: one bad point fails every later check.
    bad: () => moto.put(ns, 'ErrorRate', { Service: 'podinfo' }, 7),
  });
});
