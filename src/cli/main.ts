#!/usr/bin/env node
// flagger-ts command-line entry point: the operator and (later) the load tester and
// the user-facing commands all hang off this one binary.
import { Command } from 'commander';
import { VERSION } from '../controller/operator.js';
import { registerControllerCommand } from './controller-command.js';
import { registerLoadtesterCommand } from './loadtester-command.js';

const program = new Command();
program
  .name('flagger-ts')
  .description('progressive delivery for Kubernetes, compatible with Flagger')
  .version(VERSION);
registerControllerCommand(program);
registerLoadtesterCommand(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`flagger-ts: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
