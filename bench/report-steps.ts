// Printing part B: Kubernetes API requests per analysis step, by verb and by object
// kind, next to the naive design that re-reads everything with a GET every tick.
import { NAIVE_ADVANCE_WRITES, naiveReads, naiveStepKinds } from './baseline.js';
import { VERBS, totalOf, type VerbCounts } from './context.js';
import { countsText, out, type Headline } from './report.js';
import { kindsText } from './request-log.js';
import { fixed, ms, ratio, summarize, table } from './stats.js';
import {
  MAX_WEIGHT,
  NAME,
  STEP_INTERVAL,
  STEP_INTERVAL_MS,
  STEP_WEIGHT,
  type StepWindow,
  type StepsResult,
} from './steps.js';

function perStep(windows: readonly StepWindow[], pick: (w: StepWindow) => number): string {
  const s = summarize(windows.map(pick));
  return s.min === s.max ? fixed(s.mean) : `${fixed(s.mean)} (${s.min}–${s.max})`;
}

const meanOf = (windows: readonly StepWindow[], pick: (w: StepWindow) => number): number =>
  summarize(windows.map(pick)).mean;

function stepTable(r: StepsResult): void {
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
}

/** flagger-ts and the naive step side by side, one row per "<verb> <Kind>". */
function kindTable(w: readonly StepWindow[]): void {
  const naive = naiveStepKinds();
  const keys = new Set<string>(Object.keys(naive));
  for (const x of w) for (const k of Object.keys(x.kinds)) keys.add(k);
  const sorted = [...keys].sort((a, b) => a.localeCompare(b));
  out(
    table(
      ['request', 'flagger-ts', 'naive'],
      sorted.map((k) => [k, perStep(w, (x) => x.kinds[k] ?? 0), String(naive[k] ?? 0)]),
    ),
  );
}

export function printSteps(r: StepsResult, headline: Headline): void {
  const w = r.windows.filter((x) => x.valid);
  const excluded = r.windows.length - w.length;
  out();
  out(
    `B. Kubernetes API requests per analysis step  (interval ${STEP_INTERVAL}, stepWeight ${STEP_WEIGHT} → ` +
      `maxWeight ${MAX_WEIGHT}; ${w.length} steps measured between consecutive weights)`,
  );
  out(
    "   Counted by the operator's KubeClient RequestCounter; kinds by a tally wrapped around the same client.",
  );
  if (excluded > 0) {
    out(
      `   WARNING: ${excluded} step(s) excluded: shorter than half an interval or without a status write by the ` +
        "benchmark's operator (another controller is advancing the canary too).",
    );
  }
  if (r.logMismatch !== 0)
    out(`   WARNING: the per-kind tally differs from the RequestCounter by ${r.logMismatch} request(s).`);
  if (w.length === 0) {
    out('   no complete analysis step was observed');
    return;
  }
  out();
  stepTable(r);

  const naiveReadCount = naiveReads('ns', 'name').length;
  const naiveTotal = naiveReadCount + NAIVE_ADVANCE_WRITES.length;
  const mean = (f: (c: VerbCounts) => number): number => meanOf(w, (x) => f(x.requests));
  const reads = mean((c) => c.get + c.list);
  const total = mean(totalOf);
  const idlePerInterval = r.idle.requests / (r.idle.ms / STEP_INTERVAL_MS);
  headline.requests = {
    perStep: total,
    naivePerStep: naiveTotal,
    reads,
    naiveReads: naiveReadCount,
    idlePerInterval,
  };
  out();
  out(
    table(
      ['per step', 'flagger-ts', 'naive*', 'ratio'],
      [
        [
          'reads (get + list)',
          perStep(w, (x) => x.requests.get + x.requests.list),
          String(naiveReadCount),
          ratio(reads / naiveReadCount),
        ],
        [
          'writes (create, replace, patch, patchStatus, delete)',
          perStep(w, (x) => totalOf(x.requests) - x.requests.get - x.requests.list),
          String(NAIVE_ADVANCE_WRITES.length),
          ratio((total - reads) / NAIVE_ADVANCE_WRITES.length),
        ],
        ['total', perStep(w, (x) => totalOf(x.requests)), String(naiveTotal), ratio(total / naiveTotal)],
        ...VERBS.map((v): string[] => [`  ${v}`, perStep(w, (x) => x.requests[v]), '', '']),
        ['PromQL queries', perStep(w, (x) => x.promQueries), '', ''],
        ['reconciles', perStep(w, (x) => x.reconciles), '1 tick', ''],
      ],
    ),
  );
  out();
  kindTable(w);
  const n = r.naive;
  out();
  out(
    `   * naive: each tick GETs ${naiveReads('ns', NAME)
      .map((ref) => `${ref.kind}/${ref.name}`)
      .join(', ')} (${naiveReadCount} reads),`,
  );
  out('     then writes the VirtualService, the status and an Event. Its reads were performed on the');
  out(
    `     promoted canary's objects: ${n.ticks} ticks, ${fixed(n.readsPerTick)} GETs/tick counted, ` +
      `${ms(n.tickMs.median)} median per tick (sequential)` +
      (n.missing.length > 0 ? `; MISSING: ${n.missing.join(', ')}` : '; every object found.'),
  );
  out(`     Example step by kind: ${kindsText(w[0]?.kinds ?? {})}.`);

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
      `(naive: ${naiveReadCount} GETs per interval per canary, forever).`,
  );
  if (r.watchRestarts > 0) out(`   NOTE: the benchmark's watches restarted ${r.watchRestarts} time(s).`);
}
