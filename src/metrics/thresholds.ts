// Threshold evaluation and Flagger's "Halt … advancement" texts (behaviour spec §2.7).
// Pure: no I/O, so the rules can be tested as a table.
import type { CanaryMetric } from '../api/canary.js';

/** Which comparison rules apply: the two builtins differ from every other metric. */
export type ThresholdRule = 'success-rate' | 'duration' | 'custom';

export interface Verdict {
  readonly passed: boolean;
  /** The bound that was applied (for display); undefined when none applies. */
  readonly min?: number;
  readonly max?: number;
  /** Flagger's warning text when the check failed; a short summary when it passed. */
  readonly message: string;
}

export interface CanaryRef {
  readonly name: string;
  readonly namespace: string;
}

/** Go's %.2f, including its spelling of infinities. */
export function formatFixed2(v: number): string {
  if (v === Number.POSITIVE_INFINITY) return '+Inf';
  if (v === Number.NEGATIVE_INFINITY) return '-Inf';
  return v.toFixed(2);
}

/** Go's %v for a float64 threshold (shortest representation, "+Inf" for infinity). */
export function formatGoFloat(v: number): string {
  if (v === Number.POSITIVE_INFINITY) return '+Inf';
  if (v === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(v);
}

/** Go's time.Duration String() for a whole number of milliseconds: "0s", "250ms", "1.5s", "1m0s". */
export function formatGoDuration(ms: number): string {
  if (ms === 0) return '0s';
  const sign = ms < 0 ? '-' : '';
  let rest = Math.abs(ms);
  if (rest < 1000) return `${sign}${rest}ms`;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const wholeSec = Math.floor(rest / 1000);
  const frac = String(rest - wholeSec * 1000)
    .padStart(3, '0')
    .replace(/0+$/, '');
  const sec = `${wholeSec}${frac === '' ? '' : `.${frac}`}s`;
  if (h > 0) return `${sign}${h}h${m}m${sec}`;
  if (m > 0) return `${sign}${m}m${sec}`;
  return `${sign}${sec}`;
}

/**
 * Judges one value. Rules, as Flagger applies them:
 * - thresholdRange: fail if value < min, or value > max (min checked first);
 * - otherwise the legacy `threshold` (0 when unset): success rate fails if value <
 *   threshold; duration fails if value > threshold ms; any other metric fails if value >
 *   threshold. So a custom metric with neither set fails for any positive value, which
 *   is Flagger's behaviour and is kept (validation may warn about it).
 * Durations are compared as whole milliseconds (Go's time.Duration truncation), so
 * `value` must already be in ms for 'duration'.
 */
export function judge(rule: ThresholdRule, metric: CanaryMetric, value: number, canary: CanaryRef): Verdict {
  const who = `${canary.name}.${canary.namespace}`;
  const dur = rule === 'duration';
  const toUnit = (v: number): number => (dur ? Math.trunc(v) : v);
  const shown = (v: number): string => (dur ? formatGoDuration(v) : formatFixed2(v));
  const bound = (v: number): string => (dur ? formatGoDuration(v) : formatGoFloat(v));
  const label =
    rule === 'success-rate' ? 'success rate' : rule === 'duration' ? 'request duration' : metric.name;
  const pct = rule === 'success-rate' ? '%' : '';
  const halt = (op: '<' | '>', limit: number): string =>
    `Halt ${who} advancement ${label} ${shown(value)}${pct} ${op} ${bound(limit)}${pct}`;

  const range = metric.thresholdRange;
  if (range !== undefined) {
    const min = range.min === undefined ? undefined : toUnit(range.min);
    const max = range.max === undefined ? undefined : toUnit(range.max);
    const bounds = { ...(min === undefined ? {} : { min }), ...(max === undefined ? {} : { max }) };
    if (min !== undefined && value < min) return { passed: false, ...bounds, message: halt('<', min) };
    if (max !== undefined && value > max) return { passed: false, ...bounds, message: halt('>', max) };
    return { passed: true, ...bounds, message: `${metric.name} ${shown(value)}${pct} is within range` };
  }

  const threshold = toUnit(metric.threshold ?? 0);
  if (rule === 'success-rate') {
    if (threshold > value) return { passed: false, min: threshold, message: halt('<', threshold) };
    return {
      passed: true,
      min: threshold,
      message: `${metric.name} ${shown(value)}${pct} >= ${bound(threshold)}${pct}`,
    };
  }
  if (value > threshold) return { passed: false, max: threshold, message: halt('>', threshold) };
  return { passed: true, max: threshold, message: `${metric.name} ${shown(value)} <= ${bound(threshold)}` };
}
