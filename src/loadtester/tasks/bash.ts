// type `bash`: a blocking task, `bash -c <cmd>` (the only task type that uses a shell).
import { checkShellScript } from '../allow-list.js';
import { outputFlags, requireCmd, runCommand, scanOrReject } from './process-task.js';
import { type Task, type TaskFactory, taskHash } from './task.js';

export const bashTask: TaskFactory = (req, env): Task => {
  const cmd = requireCmd(req);
  if (env.allowList) {
    const scanned = scanOrReject(cmd);
    checkShellScript(env.allowList, cmd, scanned.argv, scanned.shellSyntax);
  }
  const { logOutput, returnOutput } = outputFlags(req, true);
  return {
    type: 'bash',
    canary: req.canary,
    hash: taskHash(req.canary, cmd),
    blocking: true,
    returnOutput,
    description: cmd,
    run: (ctx) => runCommand(['bash', '-c', cmd], cmd, logOutput, ctx),
  };
};
