// `flagger-ts watch <name>`: follows one canary through a Kubernetes watch (no polling)
// until it is Succeeded (exit 0) or Failed (exit 1), or --timeout passes (exit 3).
import { startWatch } from '../kube/watch.js';
import type { Command } from 'commander';
import type { Canary } from '../api/canary.js';
import { parseDurationMs } from '../api/defaults.js';
import { isRecord } from '../kube/json.js';
import { toKubeObject, type KubeObject } from '../kube/types.js';
import { hashValue } from '../targets/hash.js';
import { CliError, EXIT } from './common/errors.js';
import {
  addKubeOptions,
  connect,
  getCanaryObject,
  parseCanary,
  type Connection,
  type KubeFlags,
} from './common/kube.js';
import { stdoutWriter, type Writer } from './common/output.js';
import { readUserRequest, userRequestRef } from '../controller/user-requests.js';
import { canaryEvents } from './common/canary-view.js';
import { endNotes, RunTracker, terminalPhase, WatchPrinter, type Terminal } from './watch-render.js';

interface WatchFlags extends KubeFlags {
  readonly timeout?: string;
}

/** True when the target already runs something the canary has not started analysing. */
async function newRevisionPending(conn: Connection, c: Canary): Promise<boolean> {
  const t = c.spec.targetRef;
  if (t.kind === 'Service') return false;
  const target = await conn.client.get({
    apiVersion: t.apiVersion,
    kind: t.kind,
    namespace: c.metadata.namespace ?? '',
    name: t.name,
  });
  const spec = target?.['spec'];
  if (!isRecord(spec)) return false;
  const hash = hashValue(spec['template']);
  return hash !== c.status?.lastAppliedSpec && hash !== c.status?.lastPromotedSpec;
}

type WatchEnd = { kind: 'terminal'; phase: Terminal } | { kind: 'closed'; rv: string } | { kind: 'gone' };

/** One watch connection; resolves when the canary finishes, is deleted, or the stream ends. */
function watchOnce(
  conn: Connection,
  c: Canary,
  rv: string,
  onCanary: (c: Canary) => Terminal | undefined,
  signal: AbortSignal,
): Promise<WatchEnd> {
  const ns = c.metadata.namespace ?? '';
  return new Promise((resolve, reject) => {
    let lastRv = rv;
    let settled = false;
    let req: AbortController | undefined;
    const finish = (end: WatchEnd): void => {
      if (settled) return;
      settled = true;
      req?.abort();
      resolve(end);
    };
    signal.addEventListener('abort', () => {
      finish({ kind: 'closed', rv: lastRv });
    });
    const selector = encodeURIComponent(`metadata.name=${c.metadata.name}`);
    startWatch(
      conn.transport,
      {
        path: `/apis/flagger.app/v1beta1/namespaces/${ns}/canaries?fieldSelector=${selector}`,
        resourceVersion: rv,
        allowWatchBookmarks: true,
      },
      (type: string, obj: unknown) => {
        if (type === 'ERROR') {
          // 410 Gone: our resourceVersion expired; the caller re-reads and starts over.
          finish({ kind: 'closed', rv: '' });
          return;
        }
        if (
          isRecord(obj) &&
          isRecord(obj['metadata']) &&
          typeof obj['metadata']['resourceVersion'] === 'string'
        )
          lastRv = obj['metadata']['resourceVersion'];
        if (type === 'BOOKMARK') return;
        if (type === 'DELETED') {
          finish({ kind: 'gone' });
          return;
        }
        const canary = parseCanary(toKubeObject(obj, { apiVersion: 'flagger.app/v1beta1', kind: 'Canary' }));
        const t = onCanary(canary);
        if (t !== undefined) finish({ kind: 'terminal', phase: t });
      },
      (err: unknown) => {
        if (settled) return;
        if (err !== null && err !== undefined && !signal.aborted) {
          settled = true;
          reject(err instanceof Error ? err : new Error(JSON.stringify(err)));
          return;
        }
        finish({ kind: 'closed', rv: lastRv });
      },
    )
      .then((controller) => {
        req = controller;
        if (settled) controller.abort();
      })
      .catch((err: unknown) => {
        if (!settled) reject(err instanceof Error ? err : new Error(String(err)));
      });
  });
}

export async function runWatch(name: string, flags: WatchFlags, w: Writer): Promise<Terminal> {
  const timeoutMs = parseDurationMs(flags.timeout ?? '30m');
  if (timeoutMs === undefined)
    throw new CliError(`--timeout: "${flags.timeout ?? ''}" is not a duration`, EXIT.usage);
  const conn = connect(flags);
  const ns = conn.namespace;
  const obj: KubeObject = await getCanaryObject(conn, ns, name);
  let canary = parseCanary(obj);
  const startedAt = new Date().toISOString();
  const printer = new WatchPrinter(w, canary);
  // Follows a run to its end: the one under way, or, when the canary is already Succeeded
  // or Failed, the next one (started before `kubectl set image`, it must not report the
  // previous run). A run is ours once a non-final phase or a new revision hash is seen.
  const run = new RunTracker(canary);
  const show = (c: Canary): Terminal | undefined => {
    canary = c;
    w.write(printer.update(c, Date.now()));
    return run.ended(c);
  };
  show(canary);
  if (terminalPhase(canary) !== undefined) {
    w.write(
      (await newRevisionPending(conn, canary))
        ? '          (a new revision is waiting to be picked up by the operator)\n'
        : `          (${canary.status?.phase ?? ''} already; following the next run — start one with kubectl set image …)\n`,
    );
  }

  const timeout = AbortSignal.timeout(timeoutMs);
  let rv = obj.metadata.resourceVersion ?? '';
  // Bounded: each round either ends the watch or reconnects, and the timeout stops both.
  for (let round = 0; !timeout.aborted; round++) {
    if (rv === '') {
      const fresh = await getCanaryObject(conn, ns, name);
      rv = fresh.metadata.resourceVersion ?? '';
      // A run that finished while we were reconnecting counts as finished.
      const t = show(parseCanary(fresh));
      if (t !== undefined && round > 0) return await finished(conn, canary, t, startedAt, w);
    }
    const end = await watchOnce(conn, canary, rv, show, timeout);
    if (end.kind === 'terminal') return await finished(conn, canary, end.phase, startedAt, w);
    if (end.kind === 'gone') throw new CliError(`canary ${name} was deleted from namespace ${ns}`);
    rv = end.rv;
  }
  throw new CliError(
    `canary ${name} is still ${canary.status?.phase || 'Pending'} after ${flags.timeout ?? '30m'} (raise --timeout, or see flagger-ts status ${name} -n ${ns})`,
    EXIT.timeout,
  );
}

/** The last lines: who ended the run by hand, and why a failed run failed. */
async function finished(
  conn: Connection,
  c: Canary,
  phase: Terminal,
  since: string,
  w: Writer,
): Promise<Terminal> {
  const ns = c.metadata.namespace ?? '';
  const [events, gate] = await Promise.all([
    conn.client.list('v1', 'Event', ns).catch(() => []),
    conn.client.get(userRequestRef(ns, c.metadata.name)).catch(() => undefined),
  ]);
  w.write(endNotes(c, phase, canaryEvents(events, c.metadata.name), readUserRequest(gate), since));
  return phase;
}

export function registerWatchCommand(program: Command): void {
  const cmd = program
    .command('watch')
    .argument('<name>', 'canary name')
    .description('follow a canary until it is Succeeded (exit 0) or Failed (exit 1)')
    .option('--timeout <duration>', 'give up after this long (exit 3)', '30m');
  addKubeOptions(cmd).action(async (name: string, flags: WatchFlags) => {
    const end = await runWatch(name, flags, stdoutWriter());
    if (end === 'Failed') {
      process.stderr.write(`flagger-ts: canary ${name} Failed (see: flagger-ts status ${name})\n`);
      process.exitCode = EXIT.failed;
    }
  });
}
