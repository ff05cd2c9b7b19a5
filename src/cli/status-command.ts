// `flagger-ts status [name]`: the canaries of a namespace (or -A) as a table, or one
// canary in detail: progress, recent metric checks and why it failed.
import type { Command } from 'commander';
import type { KubeObject } from '../kube/types.js';
import { readUserRequest, userRequestRef } from '../controller/user-requests.js';
import {
  canaryEvents,
  detailOf,
  invalidRowOf,
  rowOf,
  type CanaryDetail,
  type CanaryRow,
} from './common/canary-view.js';
import { CliError, EXIT } from './common/errors.js';
import {
  addKubeOptions,
  checkCanary,
  connect,
  explainKubeError,
  getCanaryObject,
  parseCanary,
  type Connection,
  type KubeFlags,
} from './common/kube.js';
import { parseOutput, stdoutWriter, structured, type Writer } from './common/output.js';
import { renderDetail, renderList } from './status-render.js';

interface StatusFlags extends KubeFlags {
  readonly output?: string;
  readonly checks?: string;
}

/** One row per canary, sorted; an invalid one is marked, never fatal for the list. */
export function rowsOf(items: readonly KubeObject[]): CanaryRow[] {
  return items
    .map((obj) => {
      const v = checkCanary(obj);
      return v.ok ? rowOf(v.canary) : invalidRowOf(obj, v.reason);
    })
    .sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`));
}

async function listCanaries(conn: Connection, namespace: string | undefined): Promise<CanaryRow[]> {
  try {
    return rowsOf(await conn.client.list('flagger.app/v1beta1', 'Canary', namespace));
  } catch (err) {
    throw explainKubeError(
      err,
      `list canaries${namespace === undefined ? '' : ` in namespace ${namespace}`}`,
    );
  }
}

export async function canaryDetail(conn: Connection, namespace: string, name: string): Promise<CanaryDetail> {
  const canary = parseCanary(await getCanaryObject(conn, namespace, name));
  try {
    const t = canary.spec.targetRef;
    // Services (plain, Knative) have no pod template to show images of.
    const workload = (n: string): Promise<KubeObject | undefined> =>
      t.kind === 'Service'
        ? Promise.resolve(undefined)
        : conn.client
            .get({ apiVersion: t.apiVersion, kind: t.kind, namespace, name: n })
            .catch(() => undefined);
    const [events, gate, target, primary] = await Promise.all([
      conn.client.list('v1', 'Event', namespace),
      conn.client.get(userRequestRef(namespace, name)),
      workload(t.name),
      workload(`${t.name}-primary`),
    ]);
    return detailOf(canary, canaryEvents(events, name), readUserRequest(gate), { target, primary });
  } catch (err) {
    throw explainKubeError(err, `read events of canary ${name} in namespace ${namespace}`);
  }
}

export async function runStatus(name: string | undefined, flags: StatusFlags, w: Writer): Promise<void> {
  const format = parseOutput(flags.output);
  const conn = connect(flags);
  const now = Date.now();
  if (name !== undefined) {
    if (flags.allNamespaces === true)
      throw new CliError('-A cannot be used with a canary name; use -n', EXIT.usage);
    const detail = await canaryDetail(conn, conn.namespace, name);
    const limit = Number(flags.checks ?? '10');
    w.write(format === 'table' ? renderDetail(w, detail, now, limit) : structured(detail, format));
    return;
  }
  const all = flags.allNamespaces === true;
  const rows = await listCanaries(conn, all ? undefined : conn.namespace);
  if (format !== 'table') {
    w.write(structured(rows, format));
    return;
  }
  if (rows.length === 0) {
    w.write(all ? 'No canaries found.\n' : `No canaries found in namespace ${conn.namespace}.\n`);
    return;
  }
  w.write(renderList(w, rows, all, now));
}

export function registerStatusCommand(program: Command): void {
  const cmd = program
    .command('status')
    .argument('[name]', 'a canary to show in detail')
    .description('list canaries, or show one with its recent checks and why it failed')
    .option('-o, --output <format>', 'table, json or yaml', 'table')
    .option('--checks <n>', 'how many recent checks to show', '10');
  addKubeOptions(cmd, { allNamespaces: true }).action(
    async (name: string | undefined, flags: StatusFlags) => {
      await runStatus(name, flags, stdoutWriter());
    },
  );
}
