// Printing parts A (reaction latency) and C (decide() throughput), and the closing
// summary of the three headline ratios. Part B's tables are in report-steps.ts.
import { pollingDetectionMs } from './baseline.js';
import { VERBS, totalOf, type VerbCounts } from './context.js';
import type { DecideResult } from './decide.js';
import { LATENCY_INTERVAL, LATENCY_INTERVAL_MS, type LatencyResult } from './latency.js';
import { kindsText } from './request-log.js';
import { fixed, ms, ratio, summarize, table } from './stats.js';

export const out = (s = ''): void => {
  process.stdout.write(`${s}\n`);
};

export function countsText(c: VerbCounts): string {
  return (
    VERBS.filter((v) => c[v] > 0)
      .map((v) => `${v} ${c[v]}`)
      .join(', ') || '0'
  );
}

/** The headline figures, kept for the summary at the end. */
export interface Headline {
  latency?: { median: number; p95: number; vsPollingMedian: number; vsPollingP95: number };
  requests?: {
    perStep: number;
    naivePerStep: number;
    reads: number;
    naiveReads: number;
    /** Requests per analysis interval while the canary is Succeeded and nothing changes. */
    idlePerInterval: number;
  };
  decide?: { callsPerSec: number; reconcilesPerSec: number };
}

export function printLatency(r: LatencyResult, headline: Headline): void {
  out();
  out(`A. Reaction: kubectl set image → Canary phase Progressing  (analysis interval ${LATENCY_INTERVAL})`);
  out('   Each run: fresh Deployment + Canary, wait for Initialized and an idle operator, then run the');
  out("   cluster's kubectl set image; times come from watch events, on one monotonic clock.");
  out();
  out(
    table(
      ['run', 'kubectl→Progressing', 'change→Progressing', 'kubectl→change', 'API requests'],
      r.runs.map((x) => [
        x.valid ? String(x.run) : `${x.run} (excluded)`,
        ms(x.totalMs),
        ms(x.reactionMs),
        ms(x.kubectlToChangeMs),
        `${totalOf(x.requests)} (${countsText(x.requests)})`,
      ]),
    ),
  );
  const valid = r.runs.filter((x) => x.valid);
  if (valid.length < r.runs.length) {
    out();
    out(
      `   WARNING: ${r.runs.length - valid.length} run(s) excluded: Progressing was set without a status write by the ` +
        "benchmark's operator (another controller is acting on the namespace).",
    );
  }
  if (valid.length === 0) return;
  const total = summarize(valid.map((x) => x.totalMs));
  const reaction = summarize(valid.map((x) => x.reactionMs));
  const kubectl = summarize(valid.map((x) => x.kubectlToChangeMs));
  const row = (label: string, s: typeof total): string[] => [
    label,
    ...[s.min, s.median, s.mean, s.p95, s.max].map(ms),
  ];
  out();
  out(
    table(
      ['', 'min', 'median', 'mean', 'p95', 'max'],
      [
        row('kubectl→Progressing', total),
        row('  of which kubectl→change', kubectl),
        row('  of which change→Progressing', reaction),
      ],
    ),
  );
  out(`   ${valid.length} runs; p95 is nearest-rank (with 10–19 runs it is the slowest run).`);
  if (r.watchRestarts > 0)
    out(`   NOTE: the benchmark's watches restarted ${r.watchRestarts} time(s); affected runs read late.`);
  // The requests of the reconcile that noticed the revision, grouped by identical shape.
  const shapes = new Map<string, number[]>();
  for (const x of valid) {
    const key = kindsText(x.kinds);
    shapes.set(key, [...(shapes.get(key) ?? []), x.run]);
  }
  out('   Requests made before Progressing was seen, by kind:');
  for (const [key, runs] of shapes) out(`     run(s) ${runs.join(', ')}: ${key}`);
  const idle = new Map<string, number[]>();
  for (const x of valid) {
    const key = `${x.untilIdle.reconciles} reconciles, ${kindsText(x.untilIdle.kinds)}`;
    idle.set(key, [...(idle.get(key) ?? []), x.run]);
  }
  out('   From the image change until the operator was idle again (1 s without a request):');
  for (const [key, runs] of idle) out(`     run(s) ${runs.join(', ')}: ${key}`);

  const polling = pollingDetectionMs(LATENCY_INTERVAL_MS);
  const vsPollingMedian = polling.median / total.median;
  const vsPollingP95 = polling.p95 / total.p95;
  headline.latency = { median: total.median, p95: total.p95, vsPollingMedian, vsPollingP95 };
  out();
  out(
    table(
      ['', 'median', 'p95', 'worst'],
      [
        ['flagger-ts (measured)', ms(total.median), ms(total.p95), ms(total.max)],
        [
          `polling at each ${LATENCY_INTERVAL} tick (baseline*)`,
          ms(polling.median),
          ms(polling.p95),
          ms(polling.max),
        ],
        [
          'baseline ÷ flagger-ts',
          ratio(vsPollingMedian),
          ratio(vsPollingP95),
          ratio(polling.max / total.max),
        ],
        [
          'flagger-ts ÷ analysis interval',
          ratio(total.median / LATENCY_INTERVAL_MS),
          ratio(total.p95 / LATENCY_INTERVAL_MS),
          ratio(total.max / LATENCY_INTERVAL_MS),
        ],
      ],
    ),
  );
  out(
    `   * a loop that looks at the target only every ${LATENCY_INTERVAL} notices the new revision at its next tick: ` +
      'the wait is uniform on (0, interval], so median interval/2, p95 0.95·interval; its own',
  );
  out('     processing time is not added, which favours the baseline.');
}

export function printDecide(r: DecideResult, headline: Headline): void {
  out();
  out('C. Decision core: decide() on a typical snapshot (pure, in process, one thread)');
  out('   Istio canary Progressing at weight 20, analysis due, 2 metric checks, 10 checks of history;');
  out(`   the second call returns the advance to 30 (effects: ${r.effects.join(', ')}).`);
  out();
  out(
    table(
      ['', 'calls/s', 'µs/call'],
      [
        ...r.shapes.map((s) => [s.label, fixed(s.callsPerSec, 0), fixed(s.usPerCall, 2)]),
        ['one reconcile (both calls)', fixed(r.reconcilesPerSec, 0), fixed(1e6 / r.reconcilesPerSec, 2)],
      ],
    ),
  );
  // A reconcile makes both calls, so its rate times two is the mixed call rate.
  headline.decide = { callsPerSec: 2 * r.reconcilesPerSec, reconcilesPerSec: r.reconcilesPerSec };
}

export function printSummary(h: Headline, naiveGetMs: number | undefined): void {
  out();
  out('Summary (ratios against the naive polling design)');
  const rows: string[][] = [];
  if (h.latency) {
    rows.push([
      'reaction to a new revision, median',
      ms(h.latency.median),
      ms(pollingDetectionMs(LATENCY_INTERVAL_MS).median),
      `${ratio(h.latency.vsPollingMedian)} faster`,
    ]);
    rows.push([
      'reaction to a new revision, p95',
      ms(h.latency.p95),
      ms(pollingDetectionMs(LATENCY_INTERVAL_MS).p95),
      `${ratio(h.latency.vsPollingP95)} faster`,
    ]);
  }
  if (h.requests) {
    rows.push([
      'API requests per analysis step',
      fixed(h.requests.perStep),
      fixed(h.requests.naivePerStep, 0),
      `${ratio(h.requests.perStep / h.requests.naivePerStep)} of baseline`,
    ]);
    rows.push([
      '  of which reads (GET/LIST)',
      fixed(h.requests.reads),
      fixed(h.requests.naiveReads, 0),
      `${ratio(h.requests.reads / h.requests.naiveReads)} of baseline`,
    ]);
    rows.push([
      'API requests per interval, idle canary',
      fixed(h.requests.idlePerInterval),
      fixed(h.requests.naiveReads, 0),
      `${ratio(h.requests.idlePerInterval / h.requests.naiveReads)} of baseline`,
    ]);
  }
  if (h.decide) {
    const reconcileMs = 1000 / h.decide.reconcilesPerSec;
    rows.push([
      'decide() calls/s (both shapes)',
      fixed(h.decide.callsPerSec, 0),
      naiveGetMs === undefined ? '' : `1 GET: ${ms(naiveGetMs)}`,
      naiveGetMs === undefined ? '' : `${fixed(naiveGetMs / reconcileMs, 0)} reconciles' decisions per GET`,
    ]);
  }
  out(table(['', 'flagger-ts', 'baseline', 'ratio'], rows));
}
