// Helpers for the real Prometheus that the local cluster runs: register scrape
// targets (file service discovery) and run PromQL through its HTTP API.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import type { ClusterState } from '../../hack/cluster/state.js';

/** Adds a scrape target for the duration of the test. */
export function addScrapeTarget(t: TestContext, cluster: ClusterState, name: string, hostPort: string): void {
  const file = join(cluster.prometheusTargetsDir, `${name}.json`);
  writeFileSync(file, JSON.stringify([{ targets: [hostPort], labels: { scrape_name: name } }]));
  t.after(() => {
    rmSync(file, { force: true });
  });
}

export interface VectorSample {
  readonly metric: Record<string, string>;
  readonly value: number;
}

export async function instantQuery(prometheusUrl: string, query: string): Promise<VectorSample[]> {
  const res = await fetch(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(query)}`);
  if (!res.ok) throw new Error(`prometheus query failed: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as {
    data?: { resultType?: string; result?: { metric: Record<string, string>; value: [number, string] }[] };
  };
  return (body.data?.result ?? []).map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
}

/** Waits until `query` returns at least one sample (e.g. a rate over a fresh target). */
export async function waitForSeries(prometheusUrl: string, query: string, timeoutMs = 30_000): Promise<void> {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    const r = await instantQuery(prometheusUrl, query).catch(() => []);
    if (r.length > 0 && r.every((s) => Number.isFinite(s.value))) return;
    await new Promise((res) => setTimeout(res, 250));
  }
  throw new Error(`timed out after ${timeoutMs / 1000}s waiting for Prometheus series: ${query}`);
}

/**
 * Waits until Prometheus sees the exporter's 5xx answers for `workload` over the success-rate
 * window, so the operator's very next check fails: a test that wants a rollback must not race
 * a short analysis to promotion on a loaded machine.
 */
export async function waitForErrorRate(
  prometheusUrl: string,
  namespace: string,
  workload = 'podinfo',
): Promise<void> {
  await waitForSeries(
    prometheusUrl,
    `sum(rate(istio_requests_total{destination_workload_namespace="${namespace}",destination_workload="${workload}",response_code=~"5.."}[10s])) > 0`,
  );
}
