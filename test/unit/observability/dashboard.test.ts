// The shipped Grafana dashboard only uses series the operator exports, with their
// exact label names, so it cannot silently show "No data" after a rename.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { registerAlertMetrics } from '../../../src/notifiers/index.js';
import { createOperatorMetrics } from '../../../src/telemetry/metrics.js';
import { loadDashboard, metricNames } from '../../harness/dashboard.js';

async function exportedLabels(): Promise<Map<string, Set<string>>> {
  const m = createOperatorMetrics({ version: 'test', meshProvider: 'istio', defaults: false });
  registerAlertMetrics(m.registry);
  const out = new Map<string, Set<string>>();
  for (const metric of await m.registry.getMetricsAsJSON()) {
    const labels = new Set<string>(['le']);
    const described = m.registry.getSingleMetric(metric.name) as unknown as { labelNames?: string[] };
    for (const l of described.labelNames ?? []) labels.add(l);
    out.set(metric.name, labels);
  }
  return out;
}

function checkQuery(title: string, expr: string, exported: Map<string, Set<string>>): void {
  const names = metricNames(expr);
  assert.ok(names.length > 0, `${title}: ${expr}`);
  const known = (label: string): boolean => names.some((n) => exported.get(n)?.has(label) === true);
  for (const name of names)
    assert.ok(exported.has(name), `${title}: ${name} is not exported by the operator`);
  for (const sel of expr.matchAll(/([a-z_]+)\s*(?:=~|!=|!~|=)\s*"/g))
    assert.ok(known(sel[1] ?? ''), `${title}: ${names.join(', ')} has no label ${sel[1] ?? ''}`);
  for (const by of expr.matchAll(/by \(([^)]*)\)/g))
    for (const label of (by[1] ?? '').split(',').map((l) => l.trim()))
      assert.ok(known(label), `${title}: grouping by unknown label ${label}`);
}

test('every dashboard query uses exported metrics and their labels', async () => {
  const exported = await exportedLabels();
  const dashboard = loadDashboard();
  assert.ok(dashboard.panels.length >= 8);
  const ids = new Set(dashboard.panels.map((p) => p.id));
  assert.equal(ids.size, dashboard.panels.length, 'panel ids are unique');
  for (const panel of dashboard.panels) {
    assert.ok(panel.targets.length > 0, `${panel.title} has a query`);
    for (const target of panel.targets) checkQuery(panel.title, target.expr, exported);
  }
});

test('the dashboard variables are the ones its queries use', () => {
  const dashboard = loadDashboard();
  const declared = new Set(dashboard.templating.list.map((v) => v.name));
  for (const panel of dashboard.panels)
    for (const target of panel.targets)
      for (const v of target.expr.matchAll(/\$([a-z_]+)/g))
        if (!(v[1] ?? '').startsWith('__')) assert.ok(declared.has(v[1] ?? ''), `$${v[1] ?? ''} is declared`);
});
