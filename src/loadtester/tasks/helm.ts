// types `helm`, `helmv3` (both run the `helm` binary, as in Flagger's load tester v0.38)
// and `kubectl`: blocking tasks that run a fixed binary with cmd split into argv.
import { argvWithoutShell, outputFlags, requireCmd, runCommand } from './process-task.js';
import { type Task, type TaskFactory, taskHash } from './task.js';

function binaryTask(type: string, binary: string): TaskFactory {
  return (req, env): Task => {
    const cmd = requireCmd(req);
    const argv = [binary, ...argvWithoutShell(cmd, type)];
    const shown = `${binary} ${cmd}`;
    env.allowList?.check(argv, shown);
    const { logOutput, returnOutput } = outputFlags(req, true);
    return {
      type,
      canary: req.canary,
      hash: taskHash(req.canary, cmd),
      blocking: true,
      returnOutput,
      description: shown,
      run: (ctx) => runCommand(argv, shown, logOutput, ctx),
    };
  };
}

export const helmTask = binaryTask('helm', 'helm');
export const helmv3Task = binaryTask('helmv3', 'helm');
export const kubectlTask = binaryTask('kubectl', 'kubectl');
