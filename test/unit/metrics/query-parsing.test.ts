// Provider query formats and answers that need no server: Keptn's query syntax and its
// Analysis round trip (against the fake API server), the external-metrics query and
// Kubernetes quantities, InfluxDB's annotated CSV, CloudWatch's case-insensitive JSON.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeKubeClient } from '../../../src/kube/fake-client.js';
import { parseCloudWatchQuery } from '../../../src/metrics/providers/cloudwatch.js';
import { parseExternalMetricsQuery, parseQuantity } from '../../../src/metrics/providers/externalmetrics.js';
import { FluxCsvError, firstFluxRecord } from '../../../src/metrics/providers/influx-csv.js';
import { KEPTN_API_VERSION, KeptnProvider, parseKeptnQuery } from '../../../src/metrics/providers/keptn.js';
import {
  NoValuesError,
  ProviderHttpError,
  ProviderUnreachableError,
} from '../../../src/metrics/providers/provider.js';
import { annotatedCsv } from './vendors/influxdb.js';

describe('keptn', () => {
  it('parses Flagger’s query syntax, lower-cased', () => {
    assert.deepEqual(parseKeptnQuery('KeptnMetric/My-NS/Response-Time'), {
      kind: 'KeptnMetric',
      namespace: 'my-ns',
      name: 'response-time',
      timeframe: '',
      args: {},
    });
    assert.deepEqual(parseKeptnQuery('analysis/ns/def/5m/Foo=Bar;x=1;broken\n'), {
      kind: 'Analysis',
      namespace: 'ns',
      name: 'def',
      timeframe: '5m',
      args: { foo: 'bar', x: '1' },
    });
    assert.equal(parseKeptnQuery('analyses/ns/def').timeframe, '1m');
    assert.throws(() => parseKeptnQuery('keptnmetric/ns'), /unexpected query format/);
    assert.throws(() => parseKeptnQuery('metric/ns/x'), /unexpected resource kind/);
  });

  it('reads a KeptnMetric value', async () => {
    const client = new FakeKubeClient();
    client.seed({
      apiVersion: KEPTN_API_VERSION,
      kind: 'KeptnMetric',
      metadata: { name: 'rt', namespace: 'ns' },
      status: { value: '12.5' },
    });
    client.seed({
      apiVersion: KEPTN_API_VERSION,
      kind: 'KeptnMetric',
      metadata: { name: 'empty', namespace: 'ns' },
    });
    const p = new KeptnProvider({ client });
    assert.equal(await p.runQuery('keptnmetric/ns/rt'), 12.5);
    await assert.rejects(p.runQuery('keptnmetric/ns/empty'), NoValuesError);
    await assert.rejects(p.runQuery('keptnmetric/ns/missing'), /could not retrieve KeptnMetric ns\/missing/);
    assert.equal(await p.isOnline(), true);
  });

  it('creates an Analysis, waits for Keptn to complete it, returns 1/0 and deletes it', async () => {
    const client = new FakeKubeClient();
    const p = new KeptnProvider({ client, pollMs: 20, analysisTimeoutMs: 2_000 });
    // Play Keptn's controller: complete every Analysis that appears.
    const stop = client.watch((type, obj) => {
      if (type !== 'ADDED' || obj.kind !== 'Analysis') return;
      const spec = obj['spec'] as { args: Record<string, string>; timeframe: { recent: string } };
      setTimeout(() => {
        void client.patchStatus(
          { apiVersion: KEPTN_API_VERSION, kind: 'Analysis', namespace: 'ns', name: obj.metadata.name },
          { state: 'Completed', pass: spec.args['verdict'] === 'pass' && spec.timeframe.recent === '2m' },
        );
      }, 50);
    });
    try {
      assert.equal(await p.runQuery('analysis/ns/def/2m/verdict=pass'), 1);
      assert.equal(await p.runQuery('analysis/ns/def/2m/verdict=fail'), 0);
      assert.equal(client.all().filter((o) => o.kind === 'Analysis').length, 0, 'analyses deleted');
    } finally {
      stop();
    }
  });

  it('gives up on an Analysis that never completes', async () => {
    const client = new FakeKubeClient();
    const p = new KeptnProvider({ client, pollMs: 20, analysisTimeoutMs: 200 });
    await assert.rejects(
      p.runQuery('analysis/ns/def'),
      (e: unknown) =>
        e instanceof ProviderUnreachableError &&
        /timeout while waiting for Keptn Analysis ns\/def/.test(e.message),
    );
  });
});

describe('externalmetrics', () => {
  it('parses <namespace>/<metric>?labelSelector=…', () => {
    assert.deepEqual(parseExternalMetricsQuery('app/http_requests?labelSelector=app%3Dpodinfo'), {
      namespace: 'app',
      metricName: 'http_requests',
      labelSelector: 'app=podinfo',
    });
    assert.equal(parseExternalMetricsQuery('queue_depth').namespace, 'default');
    assert.equal(parseExternalMetricsQuery('/queue_depth').namespace, 'default');
    assert.throws(() => parseExternalMetricsQuery('a/b/c'), /too many slashes/);
    assert.throws(() => parseExternalMetricsQuery('ns/'), /metric name cannot be empty/);
  });

  it('reads Kubernetes quantities', () => {
    assert.equal(parseQuantity('1500m'), 1.5);
    assert.equal(parseQuantity('2k'), 2000);
    assert.equal(parseQuantity('1Ki'), 1024);
    assert.equal(parseQuantity('1e3'), 1000);
    assert.equal(parseQuantity('42'), 42);
    assert.ok(Number.isNaN(parseQuantity('12 apples')));
  });
});

describe('influxdb annotated CSV', () => {
  it('reads the first record with its declared type', () => {
    assert.equal(firstFluxRecord(annotatedCsv(2.25))?.values['_value'], 2.25);
    assert.equal(firstFluxRecord(annotatedCsv(null)), undefined);
    const csv =
      '#datatype,string,long,long\r\n#group,false,false,false\r\n#default,_result,,\r\n,result,table,_value\r\n,,0,\r\n\r\n';
    assert.equal(firstFluxRecord(csv)?.values['_value'], null);
    const quoted =
      '#datatype,string,long,string\r\n#group,false,false,false\r\n#default,_result,,\r\n,result,table,_value\r\n,,0,"a ""b"", c"\r\n';
    assert.equal(firstFluxRecord(quoted)?.values['_value'], 'a "b", c');
  });

  it('surfaces an error table', () => {
    const err =
      '#datatype,string,string\r\n#group,true,true\r\n#default,,\r\n,error,reference\r\n,"type error: bad",897\r\n';
    assert.throws(
      () => firstFluxRecord(err),
      (e: unknown) => e instanceof FluxCsvError && e.message === 'type error: bad',
    );
  });
});

describe('cloudwatch query', () => {
  it('accepts Go-style case-insensitive field names', () => {
    const [q] = parseCloudWatchQuery(
      '[{"id":"m1","metricStat":{"metric":{"namespace":"A","metricName":"B"},"period":60,"stat":"Sum"},"returnData":true}]',
    );
    assert.deepEqual(q, {
      Id: 'm1',
      MetricStat: { Metric: { Namespace: 'A', MetricName: 'B' }, Period: 60, Stat: 'Sum' },
      ReturnData: true,
    });
    assert.throws(() => parseCloudWatchQuery('{"Id":"m1"}'), ProviderHttpError);
  });
});
