// The real Prometheus scrapes a target the test starts on loopback, and PromQL
// through its HTTP API returns the value the target published.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { eventually, localCluster } from '../../harness/cluster.js';
import { addScrapeTarget, instantQuery } from '../../harness/prometheus.js';

test('Prometheus scrapes a loopback target and answers PromQL', async (t) => {
  const cluster = await localCluster();
  let requests = 0;
  const server = createServer((req, res) => {
    requests++;
    res.setHeader('Content-Type', 'text/plain; version=0.0.4');
    res.end(
      '# TYPE foundation_probe_value gauge\nfoundation_probe_value{probe="a"} 42\nfoundation_probe_value{probe="b"} 8\n',
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => server.close());
  const port = (server.address() as AddressInfo).port;
  addScrapeTarget(t, cluster, `foundation-${port}`, `127.0.0.1:${port}`);

  const samples = await eventually(
    'the probe series in Prometheus',
    async () => {
      const r = await instantQuery(
        cluster.prometheusUrl,
        `sum(foundation_probe_value{instance="127.0.0.1:${port}"})`,
      );
      return r.length === 1 ? r : undefined;
    },
    30_000,
  );
  assert.equal(samples[0]?.value, 50);
  assert.ok(requests >= 1, 'the target was actually scraped');
});
