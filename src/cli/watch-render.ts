// What `flagger-ts watch` prints for each change of a canary: one line per change of
// phase/weight/iterations/failed checks, then the checks recorded since the last line.
import type { Canary } from '../api/canary.js';
import type { CheckRecord } from '../api/status.js';
import { progressOf, thresholdText, valueText } from './common/canary-view.js';
import { paint, phaseColor, progressBar, type Writer } from './common/output.js';

export type Terminal = 'Succeeded' | 'Failed';

const checkKey = (c: CheckRecord): string => `${c.time}|${c.kind}|${c.name}|${String(c.passed)}`;

export class WatchPrinter {
  readonly #w: Writer;
  #last = '';
  readonly #seen = new Set<string>();

  constructor(w: Writer, initial?: Canary) {
    this.#w = w;
    // Checks from before the watch started belong to `status`, not to this run.
    for (const c of initial?.status?.checks ?? []) this.#seen.add(checkKey(c));
  }

  /** Text for this version of the canary ('' when nothing visible changed). */
  update(c: Canary, now: number): string {
    const s = c.status ?? {};
    const phase = s.phase || 'Pending';
    const p = progressOf(c);
    const state = JSON.stringify([phase, p.value, s.failedChecks ?? 0, s.lastAppliedSpec ?? '']);
    let out = '';
    const w = this.#w;
    if (state !== this.#last) {
      this.#last = state;
      const amount = p.unit === '%' ? `${p.value}% of ${p.max}%` : `${p.value}/${p.max} iterations`;
      const failed = s.failedChecks ?? 0;
      const failedText = `failed checks ${failed}/${c.spec.analysis.threshold ?? 1}`;
      out += `${new Date(now).toISOString().slice(11, 19)}  ${paint(w, phaseColor(phase), phase.padEnd(16))} ${progressBar(p.value, p.max)} ${amount.padEnd(18)} ${failed > 0 ? paint(w, 'red', failedText) : failedText}\n`;
    }
    for (const check of s.checks ?? []) {
      const k = checkKey(check);
      if (this.#seen.has(k)) continue;
      this.#seen.add(k);
      const mark = check.passed ? paint(w, 'green', '✓') : paint(w, 'red', '✗');
      const detail =
        check.kind === 'metric' ? `${valueText(check.value)} (${thresholdText(check)})` : check.message;
      out += `          ${mark} ${check.name} ${detail}${!check.passed && check.kind === 'metric' ? ` — ${check.message}` : ''}\n`;
    }
    return out;
  }
}

export function terminalPhase(c: Canary): Terminal | undefined {
  const p = c.status?.phase;
  return p === 'Succeeded' || p === 'Failed' ? p : undefined;
}
