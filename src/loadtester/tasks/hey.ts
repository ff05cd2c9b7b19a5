// `hey ...` commands run on the built-in load generator (no hey binary needed).
import { HttpError } from '../errors.js';
import { type HeyPlan, HeyFlagError, parseHeyArgs } from '../hey-flags.js';
import { runLoad } from '../load-generator.js';
import { formatReport } from '../load-report.js';
import type { TaskContext, TaskResult } from './task.js';

export function heyPlanOrReject(args: readonly string[], cmd: string): HeyPlan {
  try {
    return parseHeyArgs(args);
  } catch (err) {
    if (err instanceof HeyFlagError)
      throw new HttpError(400, `invalid hey command ${JSON.stringify(cmd)}: ${err.message}`);
    throw err;
  }
}

/** A -z run ends this long before the task timeout, so it finishes on its own. */
export function timeoutMargin(timeoutMs: number): number {
  return Math.min(1000, timeoutMs / 10);
}

export async function runHey(plan: HeyPlan, cmd: string, ctx: TaskContext): Promise<TaskResult> {
  ctx.logger.info({ command: cmd, target: plan.url.origin }, 'load test started (built-in generator)');
  const report = await runLoad(plan, {
    signal: ctx.signal,
    maxDurationMs: ctx.timeoutMs - timeoutMargin(ctx.timeoutMs),
  });
  const output = formatReport(report);
  ctx.logger.info({ command: cmd, report }, 'load test finished');
  if (report.interrupted === undefined) return { ok: true, output };
  return { ok: false, output, error: `load test ${cmd} interrupted: ${report.interrupted}` };
}
