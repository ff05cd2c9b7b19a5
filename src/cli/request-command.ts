// `flagger-ts promote|abort|retry <name>`: leave a request for the operator in the
// canary's `<name>-flagger-ts-gate` ConfigMap (see controller/user-requests.ts for why
// not on the Canary) and wait until the operator acknowledges it.
import type { Command } from 'commander';
import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import { parseDurationMs } from '../api/defaults.js';
import { judgeUserRequest, type UserAction, type UserRequest } from '../core/index.js';
import {
  readUserRequest,
  userRequestConfigMap,
  userRequestRef,
  type StoredUserRequest,
} from '../controller/user-requests.js';
import { isAlreadyExists } from '../kube/errors.js';
import type { KubeObject } from '../kube/types.js';
import { CliError, EXIT } from './common/errors.js';
import {
  addKubeOptions,
  connect,
  explainKubeError,
  getCanaryObject,
  parseCanary,
  type Connection,
  type KubeFlags,
} from './common/kube.js';
import { paint, stdoutWriter, type Writer } from './common/output.js';

interface RequestFlags extends KubeFlags {
  readonly wait?: boolean;
  readonly timeout?: string;
  readonly force?: boolean;
}

const DESCRIPTIONS: Readonly<Record<UserAction, string>> = {
  promote: 'skip the rest of the analysis and promote the canary now',
  abort: 'roll the canary back now (all traffic to the primary, canary scaled to zero)',
  retry: 'run the analysis of a Failed canary again, for the same revision',
};

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function requester(conn: Connection): string {
  const user = conn.user;
  let local = '';
  try {
    local = userInfo().username;
  } catch {
    // no local account name (containers): the kubeconfig user is enough
  }
  return [local, user].filter((x) => x !== '').join('@') || 'unknown';
}

/** Creates the request ConfigMap, or replaces an older request in it. */
async function writeRequest(conn: Connection, cm: KubeObject): Promise<void> {
  try {
    await conn.client.create(cm);
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
    const current = await conn.client.get(userRequestRef(cm.metadata.namespace ?? '', cm.metadata.name));
    await conn.client.replace({
      ...cm,
      metadata: { ...cm.metadata, resourceVersion: current?.metadata.resourceVersion },
    });
  }
}

async function waitForAck(
  conn: Connection,
  namespace: string,
  canary: string,
  id: string,
  timeoutMs: number,
): Promise<StoredUserRequest | undefined> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const stored = readUserRequest(await conn.client.get(userRequestRef(namespace, canary)));
    if (stored === undefined || stored.request.id !== id) {
      throw new CliError(
        `the request for canary ${canary} was replaced or deleted before the operator acted on it`,
      );
    }
    if (stored.ack?.id === id) return stored;
    await sleep(Math.min(500, Math.max(0, deadline - Date.now())));
  }
  return undefined;
}

export async function runRequest(
  action: UserAction,
  name: string,
  flags: RequestFlags,
  w: Writer,
): Promise<void> {
  const conn = connect(flags);
  const ns = conn.namespace;
  const obj = await getCanaryObject(conn, ns, name);
  const canary = parseCanary(obj);
  const phase = canary.status?.phase ?? '';
  const revision = canary.status?.lastAppliedSpec ?? '';
  const request: UserRequest = { id: randomUUID(), action, revision };
  // The operator's own rule, checked here too so a pointless request fails at once.
  const verdict = judgeUserRequest(request, phase, revision, canary.spec.suspend === true);
  if (verdict.kind === 'reject' && flags.force !== true) {
    throw new CliError(`canary ${name} in namespace ${ns}: ${verdict.message}`);
  }
  const timeoutMs = parseDurationMs(flags.timeout ?? '60s');
  if (timeoutMs === undefined)
    throw new CliError(`--timeout: "${flags.timeout ?? ''}" is not a duration`, EXIT.usage);
  const cm = userRequestConfigMap({
    namespace: ns,
    canary: name,
    canaryUid: obj.metadata.uid ?? '',
    request,
    requestedAt: new Date().toISOString(),
    requestedBy: requester(conn),
  });
  try {
    await writeRequest(conn, cm);
  } catch (err) {
    throw explainKubeError(err, `write ConfigMap ${cm.metadata.name} in namespace ${ns}`);
  }
  w.write(
    `${action} requested for canary ${name} in namespace ${ns} (request ${request.id}, phase ${phase || 'none'})\n`,
  );
  if (flags.wait === false) return;
  let stored: StoredUserRequest | undefined;
  try {
    stored = await waitForAck(conn, ns, name, request.id, timeoutMs);
  } catch (err) {
    throw explainKubeError(err, `read ConfigMap ${cm.metadata.name} in namespace ${ns}`);
  }
  if (stored?.ack === undefined) {
    throw new CliError(
      `the operator did not act on the ${action} request within ${flags.timeout ?? '60s'}: is flagger-ts running and watching namespace ${ns}? The request stays in ConfigMap ${cm.metadata.name} and is acted on when the operator sees it.`,
      EXIT.timeout,
    );
  }
  if (stored.ack.outcome === 'rejected')
    throw new CliError(`the operator rejected the ${action} request: ${stored.ack.message}`);
  w.write(`${paint(w, 'green', '✓')} ${stored.ack.message}\n`);
}

export function registerRequestCommands(program: Command): void {
  for (const action of ['promote', 'abort', 'retry'] as const) {
    const cmd = program
      .command(action)
      .argument('<name>', 'canary name')
      .description(DESCRIPTIONS[action])
      .option('--no-wait', 'return once the request is written, without waiting for the operator')
      .option('--timeout <duration>', 'how long to wait for the operator to act', '60s')
      .option('--force', 'write the request even if the canary is in a phase where it will be rejected');
    addKubeOptions(cmd).action(async (name: string, flags: RequestFlags) => {
      await runRequest(action, name, flags, stdoutWriter());
    });
  }
}
