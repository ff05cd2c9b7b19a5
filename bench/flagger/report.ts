// The one table of the benchmark against Flagger: each measure for both operators and the
// ratio flagger-ts : Flagger (below 1 = flagger-ts is faster / cheaper).
import { fixed, ratio, table } from '../stats.js';
import type { FleetResult } from './fleet.js';
import type { LatencyResult } from './latency.js';

type Row = [string, number | undefined, number | undefined, (v: number) => string];

const s = (v: number): string => (v < 10 ? `${v.toFixed(2)} s` : `${v.toFixed(1)} s`);
const count = (v: number): string => fixed(v, v < 100 && !Number.isInteger(v) ? 1 : 0);
const mb = (v: number): string => `${v.toFixed(0)} MB`;

function latencyRows(l: LatencyResult): Row[] {
  const ts = l.sides['flagger-ts'];
  const fl = l.sides.flagger;
  const ms = (v: number): number => v / 1000;
  const of = (x: number | undefined): number | undefined =>
    x === undefined || !Number.isFinite(x) ? undefined : ms(x);
  const rows: Row[] = [
    [
      `set image → Progressing, interval ${l.interval} (median of ${l.k})`,
      of(fl.progressing.median),
      of(ts.progressing.median),
      s,
    ],
    [
      `create → Initialized, interval ${l.interval} (median of ${l.k})`,
      of(fl.initialized.median),
      of(ts.initialized.median),
      s,
    ],
  ];
  if (ts.succeeded && fl.succeeded) {
    rows.push([
      `set image → Succeeded, interval ${l.interval}, 3 steps (median)`,
      of(fl.succeeded.median),
      of(ts.succeeded.median),
      s,
    ]);
    rows.push(['API requests per advancing step, one canary (median)', fl.perStep, ts.perStep, count]);
    rows.push([
      'API requests per canary per idle interval',
      fl.perIdleInterval,
      ts.perIdleInterval,
      (v) => v.toFixed(2),
    ]);
  }
  return rows;
}

function fleetRows(f: FleetResult): Row[] {
  const ts = f.sides['flagger-ts'];
  const fl = f.sides.flagger;
  return [
    [`${f.n} canaries: create → all Initialized`, fl.initializedS, ts.initializedS, s],
    [`${f.n} canaries: set image → all Progressing`, fl.progressingS, ts.progressingS, s],
    [`${f.n} canaries: set image → all Succeeded`, fl.succeededS, ts.succeededS, s],
    [`${f.n} canaries: CPU seconds (create → all Succeeded)`, fl.cpuS, ts.cpuS, (v) => `${v.toFixed(1)} s`],
    [`${f.n} canaries: peak RSS`, fl.peakRssMb, ts.peakRssMb, mb],
    [`${f.n} canaries: API requests (create → all Succeeded)`, fl.requests, ts.requests, count],
  ];
}

export function renderTable(latency: readonly LatencyResult[], fleets: readonly FleetResult[]): string {
  const rows = [...latency.flatMap(latencyRows), ...fleets.flatMap(fleetRows)].map(([what, fl, ts, f]) => {
    const r =
      fl !== undefined && ts !== undefined && fl > 0 ? ratio(ts / fl) : fl === 0 && ts === 0 ? '—' : 'n/a';
    return [what, fl === undefined ? 'not reached' : f(fl), ts === undefined ? 'not reached' : f(ts), r];
  });
  const notes: string[] = [];
  for (const l of latency)
    for (const [side, v] of Object.entries(l.sides))
      if (v.failed > 0) notes.push(`${side}: ${v.failed} canaries Failed (interval ${l.interval})`);
  for (const f of fleets)
    for (const [side, v] of Object.entries(f.sides))
      if (v.failed > 0) notes.push(`${side}: ${v.failed} of ${f.n} canaries Failed`);
  return [table(['measure', 'Flagger', 'flagger-ts', 'ratio ts:Flagger'], rows), ...notes].join('\n');
}
