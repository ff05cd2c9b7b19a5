#!/usr/bin/env node
// flagger-ts command-line entry point: the operator, the load tester and the
// user-facing commands (status, watch, promote/abort/retry, validate, simulate) all hang
// off this one binary, which also works as the kubectl plugin `kubectl flagger-ts`.
//
// Each command's module is imported only when that command runs (all of them for --help or an
// unknown command): the operator's process must not load what the dashboard needs
// (@kubernetes/client-node's typed clients, ≈ 75 MB of RSS; see src/kube/client-node-auth.ts),
// and the load tester need not load the operator.
import { Command } from 'commander';
import { VERSION } from '../controller/version.js';
import { CliError } from './common/errors.js';

type Register = (program: Command) => void;

/** Command names → the module that registers them, in the order help lists them. */
const COMMANDS: readonly { readonly names: readonly string[]; readonly load: () => Promise<Register> }[] = [
  {
    names: ['controller'],
    load: async () => (await import('./controller-command.js')).registerControllerCommand,
  },
  {
    names: ['loadtester'],
    load: async () => (await import('./loadtester-command.js')).registerLoadtesterCommand,
  },
  { names: ['status'], load: async () => (await import('./status-command.js')).registerStatusCommand },
  { names: ['watch'], load: async () => (await import('./watch-command.js')).registerWatchCommand },
  {
    names: ['promote', 'abort', 'retry'],
    load: async () => (await import('./request-command.js')).registerRequestCommands,
  },
  { names: ['validate'], load: async () => (await import('./validate-command.js')).registerValidateCommand },
  { names: ['simulate'], load: async () => (await import('./simulate-command.js')).registerSimulateCommand },
  {
    names: ['dashboard'],
    load: async () => (await import('./dashboard-command.js')).registerDashboardCommand,
  },
];

/** The commands to register: the one named on the command line, else all (help, typos). */
function wanted(argv: readonly string[]): typeof COMMANDS {
  const name = argv.slice(2).find((a) => !a.startsWith('-'));
  const one = COMMANDS.filter((c) => name !== undefined && c.names.includes(name));
  return one.length > 0 ? one : COMMANDS;
}

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

async function main(): Promise<void> {
  for (const c of wanted(process.argv)) (await c.load())(program);
  await program.parseAsync(process.argv);
}

main().catch((err: unknown) => {
  process.stderr.write(`flagger-ts: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(err instanceof CliError ? err.exitCode : 1);
});
