#!/usr/bin/env node
// flagger-ts command-line entry point: the operator, the load tester and the
// user-facing commands (status, watch, promote/abort/retry, validate, simulate) all hang
// off this one binary, which also works as the kubectl plugin `kubectl flagger-ts`.
import { Command } from 'commander';
import { VERSION } from '../controller/operator.js';
import { CliError } from './common/errors.js';
import { registerControllerCommand } from './controller-command.js';
import { registerDashboardCommand } from './dashboard-command.js';
import { registerLoadtesterCommand } from './loadtester-command.js';
import { registerRequestCommands } from './request-command.js';
import { registerSimulateCommand } from './simulate-command.js';
import { registerStatusCommand } from './status-command.js';
import { registerValidateCommand } from './validate-command.js';
import { registerWatchCommand } from './watch-command.js';

// `flagger-ts validate ... | head -1`: a reader that goes away is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

const program = new Command();
program
  .name(process.env['KUBECTL_PLUGINS_CALLER'] === undefined ? 'flagger-ts' : 'kubectl flagger-ts')
  .description('progressive delivery for Kubernetes, compatible with Flagger')
  .version(VERSION);
registerControllerCommand(program);
registerLoadtesterCommand(program);
registerStatusCommand(program);
registerWatchCommand(program);
registerRequestCommands(program);
registerValidateCommand(program);
registerSimulateCommand(program);
registerDashboardCommand(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`flagger-ts: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(err instanceof CliError ? err.exitCode : 1);
});
