// Shared pieces of the command-running task types (cmd, bash, helm, kubectl).
import { type ScannedCommand, ArgvError, scanCommand } from '../argv.js';
import { HttpError } from '../errors.js';
import { describeExit, runProcess, succeeded } from '../exec.js';
import { type TaskContext, type TaskRequest, type TaskResult, abortReason, goBool } from './task.js';

/** metadata.cmd, required and non-blank. */
export function requireCmd(req: TaskRequest): string {
  const cmd = req.metadata['cmd'];
  if (cmd === undefined || cmd.trim() === '') throw new HttpError(400, 'cmd not found in metadata');
  return cmd;
}

export function scanOrReject(cmd: string): ScannedCommand {
  try {
    return scanCommand(cmd);
  } catch (err) {
    if (err instanceof ArgvError)
      throw new HttpError(400, `cannot parse cmd ${JSON.stringify(cmd)}: ${err.message}`);
    throw err;
  }
}

/** For tasks that run WITHOUT a shell: parse cmd into argv and refuse shell syntax. */
export function argvWithoutShell(cmd: string, type: string): string[] {
  const scanned = scanOrReject(cmd);
  if (scanned.shellSyntax.length > 0) {
    const found = [...new Set(scanned.shellSyntax)].join(' ');
    throw new HttpError(
      400,
      `cmd ${JSON.stringify(cmd)} uses shell syntax (${found}) but type "${type}" runs without a shell; quote it, or use type "bash"`,
    );
  }
  return scanned.argv;
}

export interface OutputFlags {
  readonly logOutput: boolean;
  readonly returnOutput: boolean;
}

/** logCmdOutput (default: on for blocking tasks, like Flagger) and returnCmdOutput. */
export function outputFlags(req: TaskRequest, blocking: boolean): OutputFlags {
  return {
    logOutput: goBool(req.metadata['logCmdOutput']) ?? blocking,
    returnOutput: blocking && goBool(req.metadata['returnCmdOutput']) === true,
  };
}

/** Runs argv and maps the outcome to a TaskResult with the message "command <cmd> failed: <output>: <err>". */
export async function runCommand(
  argv: readonly string[],
  shown: string,
  logOutput: boolean,
  ctx: TaskContext,
): Promise<TaskResult> {
  const result = await runProcess(argv, { signal: ctx.signal });
  if (logOutput && result.output !== '')
    ctx.logger.info({ command: shown, output: result.output }, 'command output');
  if (succeeded(result)) return { ok: true, output: result.output };
  const why = result.killed ? `${describeExit(result)} (${abortReason(ctx)})` : describeExit(result);
  return {
    ok: false,
    output: result.output,
    error: `command ${shown} failed: ${result.output.trimEnd()}: ${why}`,
  };
}
