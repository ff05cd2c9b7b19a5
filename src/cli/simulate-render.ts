// The `flagger-ts simulate` report: the timeline of one run, then completion bounds and exposure.
import { formatGoDuration } from '../metrics/thresholds.js';
import type { Bounds } from '../simulate/bounds.js';
import type { SimResult } from '../simulate/engine.js';
import { thresholdText, valueText } from './common/canary-view.js';
import { paint, phaseColor, progressBar, type Writer } from './common/output.js';

export interface SimHeader {
  readonly name: string;
  readonly namespace: string;
  readonly strategy: string;
  readonly intervalMs: number;
  readonly threshold: number;
  readonly maxWeight: number;
}

/** %·ms → "12.5 %·min". */
export const exposureText = (e: number): string => `${(e / 60_000).toFixed(1)} %·min`;

function outcomeText(r: SimResult): string {
  if (!r.finished) return `not finished after ${r.intervals.length} intervals (still ${r.outcome})`;
  return `${r.outcome} after ${formatGoDuration(r.durationMs ?? 0)} (${r.intervals.length} intervals)`;
}

export function renderTimeline(w: Writer, h: SimHeader, b: Bounds): string {
  const r = b.scenario;
  let out = `Simulating canary ${h.name} (namespace ${h.namespace}) with the flagger-ts decision core\n`;
  out += `strategy ${h.strategy}, analysis interval ${formatGoDuration(h.intervalMs)}, threshold ${h.threshold}, max weight ${h.maxWeight}%\n\n`;
  for (const i of r.intervals) {
    out += `#${String(i.n).padEnd(3)} t+${formatGoDuration(i.atMs).padEnd(8)} ${paint(w, phaseColor(i.phase), i.phase.padEnd(16))} ${progressBar(i.weight, 100, 10)} weight ${String(i.weight).padStart(3)}%  iterations ${i.iterations}  failed ${i.failedChecks}/${h.threshold}\n`;
    for (const g of i.gates)
      out += `       gate ${g.type} ${g.hook}: ${g.open ? paint(w, 'green', 'open') : paint(w, 'yellow', 'closed')}\n`;
    for (const c of i.checks) {
      const mark = c.passed ? paint(w, 'green', '✓') : paint(w, 'red', '✗');
      const judged = c.judge !== undefined; // judged metrics have a verdict and a reason, not a value
      out += `       ${mark} ${c.name} ${c.kind === 'metric' && !judged ? `${valueText(c.value)} (${thresholdText(c)})` : c.message}\n`;
    }
    for (const e of i.events.filter((x) => x.type === 'Warning' || x.reason === 'Promoted'))
      out += `       ${e.reason}: ${e.message}\n`;
  }
  out += `\nOutcome:    ${paint(w, phaseColor(r.outcome), outcomeText(r))}\n`;
  const earliest = b.earliest.finished ? formatGoDuration(b.earliest.durationMs ?? 0) : 'never';
  out += `Completion: earliest ${earliest} (every check passes, every gate open)`;
  if (b.latestSuccess?.durationMs !== undefined) {
    out += `; latest ${formatGoDuration(b.latestSuccess.durationMs)} (${b.threshold - 1} failed check(s) absorbed at the highest weight)`;
  }
  if (b.latestFailure?.durationMs !== undefined) {
    out += `; a rollback comes at the latest at ${formatGoDuration(b.latestFailure.durationMs)}`;
  }
  out += '\n';
  const worst = Math.max(
    r.exposure,
    b.earliest.exposure,
    b.latestSuccess?.exposure ?? 0,
    b.latestFailure?.exposure ?? 0,
  );
  const peak = Math.max(r.peakWeight, b.earliest.peakWeight, b.latestSuccess?.peakWeight ?? 0);
  out += `Exposure:   this run peak ${r.peakWeight}%, weight×time ${exposureText(r.exposure)}; maximum peak ${peak}%, weight×time ${exposureText(worst)}\n`;
  return out;
}

/** The same figures for -o json|yaml. */
export function timelineData(h: SimHeader, b: Bounds): unknown {
  const summary = (r: SimResult | undefined): unknown =>
    r === undefined
      ? null
      : {
          outcome: r.outcome,
          finished: r.finished,
          durationMs: r.durationMs ?? null,
          peakWeight: r.peakWeight,
          exposurePercentMs: r.exposure,
        };
  return {
    canary: {
      name: h.name,
      namespace: h.namespace,
      strategy: h.strategy,
      intervalMs: h.intervalMs,
      threshold: h.threshold,
      maxWeight: h.maxWeight,
    },
    intervals: b.scenario.intervals,
    outcome: summary(b.scenario),
    earliest: summary(b.earliest),
    latestSuccess: summary(b.latestSuccess),
    latestFailure: summary(b.latestFailure),
  };
}
