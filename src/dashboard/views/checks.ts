// status.checks (the last checks the operator recorded) grouped by metric or webhook,
// for the value-against-threshold chart. Fields a check carries beyond flagger-ts' own
// (for example a judge's evidence) are passed on verbatim, so the page can show them.
import type { CheckRecord } from '../../api/status.js';
import type { CheckSeries } from './types.js';

const KNOWN = new Set(['name', 'kind', 'query', 'value', 'min', 'max', 'passed', 'message', 'time']);

function evidenceOf(r: CheckRecord): string {
  const extra = Object.entries(r).filter(([k]) => !KNOWN.has(k));
  if (extra.length === 0) return '';
  return JSON.stringify(Object.fromEntries(extra), null, 2);
}

export function checkSeries(records: readonly CheckRecord[]): CheckSeries[] {
  const byName = new Map<
    string,
    { kind: CheckRecord['kind']; min?: number; max?: number; points: CheckSeries['points'][number][] }
  >();
  for (const r of records) {
    const s = byName.get(r.name) ?? { kind: r.kind, points: [] };
    // The latest threshold wins: a spec change shows its new bounds.
    if (r.min !== undefined) s.min = r.min;
    if (r.max !== undefined) s.max = r.max;
    s.points.push({
      time: r.time,
      value: r.value,
      passed: r.passed,
      message: r.message,
      evidence: evidenceOf(r),
    });
    byName.set(r.name, s);
  }
  return [...byName].map(([name, s]) => ({ name, kind: s.kind, min: s.min, max: s.max, points: s.points }));
}
