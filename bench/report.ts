// Printing the results: tables of absolute figures, then the ratios the issue asks
// for (to the analysis interval, to Flagger's estimated behaviour, to the 1 s goal).
import {
  FLAGGER_ADVANCE_TICK,
  FLAGGER_IDLE_TICK_GETS,
  FLAGGER_PROMQL_PER_STEP,
  baselineTotals,
  flaggerDetectionMs,
} from './baseline.js';
import { VERBS, totalOf, type VerbCounts } from './context.js';
import type { LatencyResult } from './latency.js';
import { LATENCY_INTERVAL, LATENCY_INTERVAL_MS } from './latency.js';
import { fixed, ms, ratio, summarize, table } from './stats.js';
import { MAX_WEIGHT, STEP_INTERVAL, STEP_WEIGHT, type StepsResult } from './steps.js';

const GOAL_MS = 1000;

const out = (s = ''): void => {
  process.stdout.write(`${s}\n`);
};

function countsText(c: VerbCounts): string {
  return (
    VERBS.filter((v) => c[v] > 0)
      .map((v) => `${v} ${c[v]}`)
      .join(', ') || '0'
  );
}

export function printLatency(r: LatencyResult): void {
  out();
  out(
    `A. kubectl set image → canary phase Progressing  (analysis interval ${LATENCY_INTERVAL}, ${r.runs.length} runs)`,
  );
  out('   Each run: fresh Deployment + Canary, wait for Initialized and an idle operator, then run the');
  out("   cluster's kubectl set image; times come from watch events, on one monotonic clock.");
  out();
  out(
    table(
      ['run', 'kubectl→Progressing', 'change→Progressing', 'kubectl→change', 'kubectl exit', 'API requests'],
      r.runs.map((x) => [
        x.valid ? String(x.run) : `${x.run} (excluded)`,
        ms(x.totalMs),
        ms(x.reactionMs),
        ms(x.kubectlToChangeMs),
        ms(x.kubectlExitMs),
        `${totalOf(x.requests)} (${countsText(x.requests)})`,
      ]),
    ),
  );
  const valid = r.runs.filter((x) => x.valid);
  const total = summarize(valid.map((x) => x.totalMs));
  const reaction = summarize(valid.map((x) => x.reactionMs));
  const kubectl = summarize(valid.map((x) => x.kubectlToChangeMs));
  if (valid.length < r.runs.length) {
    out();
    out(
      `   WARNING: ${r.runs.length - valid.length} run(s) excluded: Progressing was set without a status write by the ` +
        "benchmark's operator (another controller is acting on the namespace).",
    );
  }
  out();
  out(
    table(
      ['', 'min', 'median', 'mean', 'p95', 'max'],
      [
        ['kubectl→Progressing', ...[total.min, total.median, total.mean, total.p95, total.max].map(ms)],
        [
          '  of which kubectl→change',
          ...[kubectl.min, kubectl.median, kubectl.mean, kubectl.p95, kubectl.max].map(ms),
        ],
        [
          '  of which change→Progressing',
          ...[reaction.min, reaction.median, reaction.mean, reaction.p95, reaction.max].map(ms),
        ],
      ],
    ),
  );
  out(`   ${valid.length} runs; p95 is nearest-rank (with 10 runs it is the slowest run).`);
  if (r.watchRestarts > 0)
    out(`   NOTE: the benchmark's watches restarted ${r.watchRestarts} time(s); affected runs read late.`);

  const flagger = flaggerDetectionMs(LATENCY_INTERVAL_MS);
  out();
  out('   Ratios                                           median        p95');
  out(
    `   flagger-ts latency ÷ analysis interval (${LATENCY_INTERVAL})        ${ratio(total.median / LATENCY_INTERVAL_MS).padStart(9)}  ${ratio(total.p95 / LATENCY_INTERVAL_MS).padStart(9)}`,
  );
  out(
    `   flagger-ts latency ÷ 1 s goal                     ${ratio(total.median / GOAL_MS).padStart(9)}  ${ratio(total.p95 / GOAL_MS).padStart(9)}   ${total.p95 < GOAL_MS ? 'goal met' : 'GOAL MISSED'}`,
  );
  out(
    `   Flagger (estimate*) ÷ flagger-ts                  ${ratio(flagger.median / total.median).padStart(9)}  ${ratio(flagger.p95 / total.p95).padStart(9)}`,
  );
  out(
    `   * Flagger sees a new revision at its next tick: uniform on (0, ${LATENCY_INTERVAL}] → median ${ms(flagger.median)}, p95 ${ms(flagger.p95)}, worst ${ms(flagger.max)}.`,
  );
  out(
    `   Even flagger-ts's slowest run (${ms(total.max)}) is ${ratio(flagger.max / total.max)} faster than Flagger's worst case (one interval).`,
  );
}

function perStep(
  windows: StepsResult['windows'],
  pick: (w: StepsResult['windows'][number]) => number,
): string {
  const s = summarize(windows.map(pick));
  return s.min === s.max ? fixed(s.mean) : `${fixed(s.mean)} (${s.min}–${s.max})`;
}

export function printSteps(r: StepsResult): void {
  const w = r.windows.filter((x) => x.valid);
  const excluded = r.windows.length - w.length;
  out();
  out(
    `B. Operator cost per analysis step  (interval ${STEP_INTERVAL}, stepWeight ${STEP_WEIGHT} → maxWeight ${MAX_WEIGHT}, ` +
      `${w.length} steps measured between consecutive weights)`,
  );
  if (excluded > 0) {
    out(
      `   WARNING: ${excluded} step(s) excluded: shorter than half an interval or without a status write by the ` +
        "benchmark's operator (another controller is advancing the canary too).",
    );
  }
  if (w.length === 0) {
    out('   no complete analysis step was observed');
    return;
  }
  out();
  out(
    table(
      ['step', 'time', 'reconciles', 'PromQL', 'API requests'],
      r.windows.map((x) => [
        x.valid ? `${x.from}→${x.to}` : `${x.from}→${x.to} (excluded)`,
        ms(x.ms),
        String(x.reconciles),
        String(x.promQueries),
        `${totalOf(x.requests)} (${countsText(x.requests)})`,
      ]),
    ),
  );

  const base = baselineTotals(FLAGGER_ADVANCE_TICK);
  const mean = (f: (c: VerbCounts) => number): number => summarize(w.map((x) => f(x.requests))).mean;
  const rows: [string, (c: VerbCounts) => number, number][] = [
    ['reads (get + list)', (c) => c.get + c.list, base.read],
    ['object writes (replace + patch)', (c) => c.replace + c.patch, base.write],
    ['status writes (patchStatus)', (c) => c.patchStatus, base.statusWrite],
    ['creates (Events)', (c) => c.create, base.event],
    ['deletes', (c) => c.delete, 0],
    ['total', totalOf, base.total],
  ];
  out();

  out(
    table(
      ['', 'flagger-ts', 'Flagger est.', 'ratio'],
      [
        ...rows.map(([label, f, b]): string[] => [
          label,
          perStep(w, (x) => f(x.requests)),
          String(b),
          b === 0 ? (mean(f) === 0 ? '—' : 'n/a') : ratio(mean(f) / b),
        ]),
        ...VERBS.map((v): string[] => [`  ${v}`, perStep(w, (x) => x.requests[v]), '', '']),
        [
          'PromQL queries',
          perStep(w, (x) => x.promQueries),
          String(FLAGGER_PROMQL_PER_STEP),
          ratio(summarize(w.map((x) => x.promQueries)).mean / FLAGGER_PROMQL_PER_STEP),
        ],
        ['reconciles', perStep(w, (x) => x.reconciles), '1 tick', ''],
      ],
    ),
  );
  out();
  out('   * Flagger is not run here. Its per-step figure counts the API calls in one advancing tick of its');
  out('     advanceCanary loop (spec §2.2; Deployment target, Istio, no webhooks/HPA/tracked configs):');
  for (const c of FLAGGER_ADVANCE_TICK)
    out(`       ${String(c.count).padStart(2)} × ${c.what.padEnd(24)} ${c.where}`);

  out();
  out(
    `   Whole rollout (kubectl set image → Succeeded): ${ms(r.rollout.ms)}, ${r.rollout.reconciles} reconciles, ` +
      `${totalOf(r.rollout.requests)} API requests (${countsText(r.rollout.requests)}), ${r.rollout.promQueries} PromQL queries.`,
  );
  out(
    '   Timeline: ' +
      r.timeline.map((m) => `${m.phase}/${m.weight}@${(m.atMs / 1000).toFixed(1)}s`).join(' '),
  );
  out(
    `   Idle Succeeded canary for ${ms(r.idle.ms)}: ${r.idle.requests} API requests, ${r.idle.reconciles} reconciles ` +
      `(Flagger estimate: ${FLAGGER_IDLE_TICK_GETS} GETs per interval per canary, forever).`,
  );
  if (r.watchRestarts > 0) out(`   NOTE: the benchmark's watches restarted ${r.watchRestarts} time(s).`);
}
