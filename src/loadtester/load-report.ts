// Result bookkeeping for the built-in load generator: counts, a status-code histogram,
// error counts and latency percentiles from a bounded reservoir sample.

export interface LatencySummary {
  readonly fastestMs: number;
  readonly slowestMs: number;
  readonly averageMs: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
}

export interface LoadReport {
  /** Requests that got a response. */
  readonly responses: number;
  /** Requests that failed without a response (connection errors, timeouts). */
  readonly errorCount: number;
  readonly durationMs: number;
  readonly requestsPerSecond: number;
  readonly statusCodes: Readonly<Record<string, number>>;
  readonly errors: Readonly<Record<string, number>>;
  readonly latency: LatencySummary | undefined;
  /** Set when the run was cut short by the task timeout or shutdown. */
  readonly interrupted: string | undefined;
  readonly notes: readonly string[];
}

const RESERVOIR = 100_000;

export class LoadStats {
  readonly #sample: number[] = [];
  #seen = 0;
  #sum = 0;
  #min = Infinity;
  #max = 0;
  #responses = 0;
  #errorCount = 0;
  readonly #codes = new Map<string, number>();
  readonly #errors = new Map<string, number>();

  response(status: number, latencyMs: number): void {
    this.#responses++;
    bump(this.#codes, String(status));
    this.#latency(latencyMs);
  }

  error(message: string, latencyMs: number): void {
    this.#errorCount++;
    bump(this.#errors, message);
    this.#latency(latencyMs);
  }

  get total(): number {
    return this.#responses + this.#errorCount;
  }

  #latency(ms: number): void {
    this.#seen++;
    this.#sum += ms;
    this.#min = Math.min(this.#min, ms);
    this.#max = Math.max(this.#max, ms);
    if (this.#sample.length < RESERVOIR) this.#sample.push(ms);
    else {
      const slot = Math.floor(Math.random() * this.#seen);
      if (slot < RESERVOIR) this.#sample[slot] = ms;
    }
  }

  report(durationMs: number, interrupted: string | undefined, notes: readonly string[]): LoadReport {
    const sorted = [...this.#sample].sort((a, b) => a - b);
    const latency: LatencySummary | undefined =
      this.#seen === 0
        ? undefined
        : {
            fastestMs: round(this.#min),
            slowestMs: round(this.#max),
            averageMs: round(this.#sum / this.#seen),
            p50Ms: percentile(sorted, 50),
            p95Ms: percentile(sorted, 95),
            p99Ms: percentile(sorted, 99),
          };
    return {
      responses: this.#responses,
      errorCount: this.#errorCount,
      durationMs: round(durationMs),
      requestsPerSecond: durationMs > 0 ? round((this.total * 1000) / durationMs) : 0,
      statusCodes: Object.fromEntries(this.#codes),
      errors: Object.fromEntries(this.#errors),
      latency,
      interrupted,
      notes,
    };
  }
}

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

const round = (n: number): number => Math.round(n * 1000) / 1000;

/** Nearest-rank percentile of an ascending sample. */
function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return round(sorted[Math.min(rank, sorted.length) - 1] ?? 0);
}

/** A short human-readable summary, the "output" of a built-in hey run. */
export function formatReport(r: LoadReport): string {
  const lines = [
    'Summary (flagger-ts built-in load generator):',
    `  Requests:     ${r.responses + r.errorCount} (${r.responses} responses, ${r.errorCount} errors)`,
    `  Duration:     ${(r.durationMs / 1000).toFixed(3)}s`,
    `  Requests/sec: ${r.requestsPerSecond.toFixed(2)}`,
  ];
  if (r.latency) {
    const l = r.latency;
    lines.push(
      `  Latency ms:   p50 ${l.p50Ms}, p95 ${l.p95Ms}, p99 ${l.p99Ms}, fastest ${l.fastestMs}, slowest ${l.slowestMs}, average ${l.averageMs}`,
    );
  }
  lines.push('Status code distribution:');
  for (const [code, n] of Object.entries(r.statusCodes)) lines.push(`  [${code}] ${n} responses`);
  const errs = Object.entries(r.errors);
  if (errs.length > 0) lines.push('Error distribution:');
  for (const [msg, n] of errs) lines.push(`  [${n}] ${msg}`);
  if (r.interrupted !== undefined) lines.push(`Interrupted: ${r.interrupted}`);
  for (const note of r.notes) lines.push(`Note: ${note}`);
  return `${lines.join('\n')}\n`;
}
