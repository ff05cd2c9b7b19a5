// The Grafana dashboard shipped in dashboards/, read the way tests need it: every
// panel query with Grafana's template variables replaced by concrete values.
import { readFileSync } from 'node:fs';

export interface DashboardTarget {
  readonly refId: string;
  readonly expr: string;
}

export interface DashboardPanel {
  readonly id: number;
  readonly title: string;
  readonly targets: readonly DashboardTarget[];
}

export interface Dashboard {
  readonly uid: string;
  readonly panels: readonly DashboardPanel[];
  readonly templating: { readonly list: readonly { readonly name: string }[] };
}

// dist/test/harness/ → repository root
const FILE = new URL('../../../dashboards/flagger-ts.json', import.meta.url);

export function loadDashboard(): Dashboard {
  return JSON.parse(readFileSync(FILE, 'utf8')) as Dashboard;
}

/** Replaces $namespace, $canary and $__rate_interval the way Grafana would for one selection. */
export function concreteQuery(
  expr: string,
  vars: { namespace: string; canary: string; rate: string },
): string {
  return expr
    .replaceAll('$__rate_interval', vars.rate)
    .replaceAll('$namespace', vars.namespace)
    .replaceAll('$canary', vars.canary);
}

/** Metric names a query refers to (histogram suffixes removed). */
export function metricNames(expr: string): string[] {
  const names = new Set<string>();
  for (const m of expr.matchAll(/\b(flagger_[a-z0-9_]+)\b/g)) {
    const name = m[1] ?? '';
    names.add(name.replace(/_(bucket|count|sum)$/, ''));
  }
  return [...names];
}
