// type `cmd` (the default): an async task. Unlike Flagger (`sh -c`), the command runs
// WITHOUT a shell: it is split into argv, and shell syntax is refused with a 400 that
// points to type `bash`. `hey ...` runs on the built-in load generator.
import { argvWithoutShell, outputFlags, requireCmd, runCommand } from './process-task.js';
import { heyPlanOrReject, runHey } from './hey.js';
import { type Task, type TaskFactory, taskHash } from './task.js';

export const cmdTask: TaskFactory = (req, env): Task => {
  const cmd = requireCmd(req);
  const argv = argvWithoutShell(cmd, 'cmd');
  env.allowList?.check(argv, cmd);
  const { logOutput } = outputFlags(req, false);
  const base = {
    type: 'cmd',
    canary: req.canary,
    hash: taskHash(req.canary, cmd),
    blocking: false,
    returnOutput: false,
    description: cmd,
  };
  if (argv[0] === 'hey') {
    const plan = heyPlanOrReject(argv.slice(1), cmd);
    return { ...base, run: (ctx) => runHey(plan, cmd, ctx) };
  }
  return { ...base, run: (ctx) => runCommand(argv, cmd, logOutput, ctx) };
};
