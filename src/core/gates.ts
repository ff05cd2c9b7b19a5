// Steps 15 and 19: the confirm-rollout gate that starts a run, and the rollback hooks
// that can end one (§2.6).
import { alerts, messages } from './events.js';
import { rollbackSignal, runGate } from './hooks.js';
import { isAnalysing, isRunningAnalysis } from './phases.js';
import { rollback } from './rollback.js';
import type { Tick } from './tick.js';

/** A new revision was approved: scale the target up; the analysis starts next tick. */
function startRun(t: Tick): void {
  t.event('Normal', 'NewRevision', messages.newRevision(t.c), 'Progressing');
  t.alert('info', alerts.newRevision(), true);
  t.effect({ kind: 'scaleTargetFromZero' });
  t.sync('Progressing');
}

/**
 * Step 15 (Flagger's checkCanaryStatus): a run in progress continues; anything else
 * (idle with a new revision, or Waiting) must pass confirm-rollout first. The first
 * refusal moves to Waiting with an event and alert; later refusals are silent.
 */
export function checkCanaryStatus(t: Tick): boolean {
  if (isAnalysing(t.phase)) return true;
  const gate = runGate(t, 'confirm-rollout', t.phase, {
    onPassed: (hook) => {
      t.info('ConfirmRolloutPassed', messages.confirmRolloutPassed(hook.name));
    },
  });
  if (gate.state === 'passed') startRun(t);
  if (gate.state === 'failed' && t.phase !== 'Waiting') {
    t.setPhase('Waiting');
    t.warn('WaitingForApproval', messages.waitingForApproval(t.c, gate.hook.name));
    if (gate.hook.muteAlert !== true) t.alert('warn', alerts.waitingForApproval());
  }
  return false;
}

/** Step 19: any rollback hook answering 2xx rolls the run back (Progressing/WaitingPromotion only). */
export function rollbackGate(t: Tick): boolean {
  if (!isRunningAnalysis(t.phase)) return true;
  const signal = rollbackSignal(t);
  if (signal.state === 'none') return true;
  if (signal.state === 'signaled') {
    t.warn('RollbackHookPassed', messages.rollbackHookPassed(signal.hook.name));
    t.warn('ManualRollback', messages.manualRollback(t.c));
    t.alert('warn', alerts.manualRollback());
    rollback(t);
  }
  return false;
}
