// `flagger-ts status` lines for judged checks (docs/judge.md): the verdict in the table, and under
// it the evidence of every judged check that did not pass — tests, effects with their intervals,
// both cohorts and their rendered queries.
import type { CheckRecord } from '../api/status.js';
import { paint, type Writer } from './common/output.js';

const num = (v: number | undefined, digits = 3): string =>
  v === undefined ? '∞' : Number(v.toPrecision(digits)).toString();
const pct = (v: number | undefined): string =>
  v === undefined ? '+∞ %' : `${v >= 0 ? '+' : ''}${(v * 100).toFixed(1)} %`;

/** The VERDICT cell: the judge's verdict (dry runs marked), else pass/FAIL. */
export function verdictCell(w: Writer, c: CheckRecord): string {
  const j = c.judge;
  if (j === undefined) return c.passed ? paint(w, 'green', 'pass') : paint(w, 'red', 'FAIL');
  const colour = j.verdict === 'pass' ? 'green' : j.verdict === 'fail' ? 'red' : 'yellow';
  const text = j.verdict === 'fail' ? 'FAIL' : j.verdict;
  return paint(w, colour, j.dryRun === true ? `${text} (dry run)` : text);
}

export function judgeEvidence(c: CheckRecord): string {
  const j = c.judge;
  if (j === undefined) return '';
  let out = '';
  for (const win of j.windows) {
    out += `      ${win.window} (${win.verdict}) against ${j.against}: baseline n=${win.baseline.n}, canary n=${win.canary.n}\n`;
    for (const t of win.tests ?? []) {
      out += `        ${t.test} (${t.alternative}): statistic ${num(t.statistic, 5)}, p=${num(t.pvalue)}\n`;
    }
    for (const e of win.effects ?? []) {
      const ci =
        e.confidence === undefined ? '' : ` [${pct(e.lower)}, ${pct(e.upper)}] at ${e.confidence * 100} %`;
      out += `        ${e.measure}: ${pct(e.value)}${ci}\n`;
    }
  }
  const first = j.windows[0];
  if (first !== undefined) {
    out += `      canary query:   ${first.canary.query ?? '-'}\n`;
    out += `      ${j.against} query: ${first.baseline.query ?? '-'}\n`;
  }
  return out;
}
