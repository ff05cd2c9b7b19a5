// Summary statistics and plain-text tables for the benchmark report.

export interface Summary {
  readonly n: number;
  readonly min: number;
  readonly median: number;
  readonly mean: number;
  readonly p95: number;
  readonly max: number;
}

/** Nearest-rank percentile: the smallest sample with at least p% of samples at or below it. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] ?? Number.NaN;
}

export function median(sorted: readonly number[]): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const mid = Math.floor(n / 2);
  return n % 2 === 1 ? (sorted[mid] ?? Number.NaN) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

export function summarize(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    n: sorted.length,
    min: sorted[0] ?? Number.NaN,
    median: median(sorted),
    mean: sorted.length === 0 ? Number.NaN : sum / sorted.length,
    p95: percentile(sorted, 95),
    max: sorted[sorted.length - 1] ?? Number.NaN,
  };
}

export function ms(v: number): string {
  if (!Number.isFinite(v)) return 'n/a';
  if (v >= 10_000) return `${(v / 1000).toFixed(1)} s`;
  return `${v.toFixed(0)} ms`;
}

export function fixed(v: number, digits = 1): string {
  return Number.isFinite(v) ? v.toFixed(digits) : 'n/a';
}

/** A ratio printed so that both tiny (0.0021×) and large (145×) values stay readable. */
export function ratio(v: number): string {
  if (!Number.isFinite(v)) return 'n/a';
  if (v === 0) return '0×';
  if (v >= 10) return `${v.toFixed(0)}×`;
  if (v >= 0.1) return `${v.toFixed(2)}×`;
  return `${v.toPrecision(2)}×`;
}

/** Left-aligned first column, right-aligned others. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(header), rule, ...rows.map(line)].join('\n');
}
