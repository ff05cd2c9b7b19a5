// Calling webhooks through the shell: each hook the decision waits for becomes an
// InputRequest with a deterministic id; hooks of one type run in spec order and the
// first failure stops the rest, as in Flagger.
import type { Canary, CanaryWebhook } from '../api/canary.js';
import { webhookType } from '../api/defaults.js';
import type { CanaryPhase, CheckRecord } from '../api/status.js';
import type { GateHookType } from './snapshot.js';
import type { Tick } from './tick.js';

export interface HookRef {
  readonly hook: CanaryWebhook;
  /** `webhook:<type>:<name>`, with `#<n>` appended to a repeated name. */
  readonly id: string;
}

export function hooksOf(c: Canary, type: GateHookType): HookRef[] {
  const seen = new Map<string, number>();
  return (c.spec.analysis.webhooks ?? [])
    .filter((hook) => webhookType(hook) === type)
    .map((hook) => {
      const n = seen.get(hook.name) ?? 0;
      seen.set(hook.name, n + 1);
      const id = `webhook:${type}:${hook.name}${n > 0 ? `#${n}` : ''}`;
      return { hook, id };
    });
}

export type GateOutcome =
  | { readonly state: 'pending' }
  | { readonly state: 'passed' }
  | { readonly state: 'failed'; readonly hook: CanaryWebhook; readonly message: string };

export interface GateOptions {
  /** Called for each hook that passed, in order (Flagger emits "… check {hook} passed"). */
  readonly onPassed?: (hook: CanaryWebhook) => void;
  /** Keep the outcome in status.checks (hooks that count as failed checks). */
  readonly record?: boolean;
}

export function hookCheck(t: Tick, hook: CanaryWebhook, passed: boolean, message: string): CheckRecord {
  return { name: hook.name, kind: 'webhook', passed, message, time: t.nowIso };
}

/** Runs every hook of `type` in order until one fails or an answer is still missing. */
export function runGate(
  t: Tick,
  type: GateHookType,
  phase: CanaryPhase,
  opts: GateOptions = {},
): GateOutcome {
  for (const { hook, id } of hooksOf(t.c, type)) {
    const r = t.webhook(type, hook, id, phase);
    if (r === undefined) return { state: 'pending' };
    if (opts.record === true)
      t.checks.push(hookCheck(t, hook, r.ok, r.ok ? `${type} check passed` : r.message));
    if (!r.ok) return { state: 'failed', hook, message: r.message };
    opts.onPassed?.(hook);
  }
  return { state: 'passed' };
}

export type RollbackSignal =
  | { readonly state: 'pending' }
  | { readonly state: 'none' }
  | { readonly state: 'signaled'; readonly hook: CanaryWebhook };

/**
 * Rollback hooks are inverted gates: a 2xx answer asks for a rollback and stops the
 * loop; anything else means "carry on" (Info event per hook, as Flagger).
 */
export function rollbackSignal(t: Tick): RollbackSignal {
  for (const { hook, id } of hooksOf(t.c, 'rollback')) {
    const r = t.webhook('rollback', hook, id, t.phase);
    if (r === undefined) return { state: 'pending' };
    if (r.ok) {
      t.checks.push(hookCheck(t, hook, true, 'rollback requested'));
      return { state: 'signaled', hook };
    }
    t.info('RollbackHookNotSignaling', `Rollback hook ${hook.name} not signaling a rollback`);
  }
  return { state: 'none' };
}

/**
 * Upper bound of `need` rounds in one reconcile: provider check, each gate hook, the
 * metrics, plus one. A shell loop that exceeds it has a bug (e.g. results stored under
 * the wrong id) and should stop and requeue rather than spin.
 */
export function maxInputRounds(c: Canary): number {
  return (c.spec.analysis.webhooks ?? []).length + 3;
}
