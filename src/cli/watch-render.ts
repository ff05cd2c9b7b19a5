// What `flagger-ts watch` prints for each change of a canary: one line per change of
// phase/weight/iterations/failed checks, then the checks recorded since the last line.
import type { Canary } from '../api/canary.js';
import type { CheckRecord } from '../api/status.js';
import type { StoredUserRequest } from '../controller/user-requests.js';
import { progressOf, thresholdText, valueText, type EventView } from './common/canary-view.js';
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
      // Promoted: the new version has all the traffic, though canaryWeight is back to 0.
      const done = phase === 'Succeeded';
      const amount = done
        ? '100% promoted'
        : p.unit === '%'
          ? `${p.value}% of ${p.max}%`
          : `${p.value}/${p.max} iterations`;
      const failed = s.failedChecks ?? 0;
      const failedText = `failed checks ${failed}/${c.spec.analysis.threshold ?? 1}`;
      out += `${new Date(now).toISOString().slice(11, 19)}  ${paint(w, phaseColor(phase), phase.padEnd(16))} ${progressBar(done ? 1 : p.value, done ? 1 : p.max)} ${amount.padEnd(18)} ${failed > 0 ? paint(w, 'red', failedText) : failedText}\n`;
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

/**
 * Which run `watch` reports: the one under way at the start, else the next one. A final
 * phase ends the watch only once the run is ours: a non-final phase was seen, or the
 * revision hash differs from the one at the start.
 */
export class RunTracker {
  readonly #startHash: string;
  #armed: boolean;

  constructor(initial: Canary) {
    this.#startHash = initial.status?.lastAppliedSpec ?? '';
    this.#armed = terminalPhase(initial) === undefined;
  }

  ended(c: Canary): Terminal | undefined {
    const t = terminalPhase(c);
    if (t === undefined || (c.status?.lastAppliedSpec ?? '') !== this.#startHash) this.#armed = true;
    return this.#armed ? t : undefined;
  }
}

/** Labels a run ended by `flagger-ts promote|abort`, and says why a run failed. */
export function endNotes(
  c: Canary,
  phase: Terminal,
  events: readonly EventView[],
  request: StoredUserRequest | undefined,
  since: string,
): string {
  let out = '';
  const ack = request?.ack;
  if (
    request !== undefined &&
    ack?.id === request.request.id &&
    ack.outcome === 'applied' &&
    ack.at >= since
  ) {
    const verb = ack.action === 'promote' ? 'promoted' : ack.action === 'abort' ? 'aborted' : 'retried';
    out += `          ${verb} manually by ${request.requestedBy || 'unknown'} (flagger-ts ${ack.action})\n`;
  }
  if (phase === 'Failed') {
    // The rollback's own "Rolling back …: <why>" says it best; events of one second have no
    // reliable order, so it is picked by its text, not by being last. "Canary failed!
    // Scaling down …" closes every failed run and says nothing of why.
    const warnings = events
      .filter((e) => e.type === 'Warning' && e.lastTimestamp >= since.slice(0, 19))
      .filter((e) => !e.message.startsWith('Canary failed!'));
    const warning = warnings.findLast((e) => e.message.startsWith('Rolling back')) ?? warnings.at(-1);
    const promoted = c.status?.conditions?.find((x) => x.type === 'Promoted');
    const reason = warning?.message ?? promoted?.message ?? 'no reason recorded';
    out += `          reason: ${reason}\n`;
  }
  return out;
}
