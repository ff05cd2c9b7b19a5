// Connecting the user-facing commands to a cluster the way kubectl does: KUBECONFIG (or
// --kubeconfig), --context, the context's namespace unless -n is given, and -A.
import type { Command } from 'commander';
import { validateCanary } from '../../api/validate.js';
import type { Canary } from '../../api/canary.js';
import { createKubeClient, type KubeClient } from '../../kube/client.js';
import { KubeApiError } from '../../kube/errors.js';
import { currentConfig, type KubeConfigData } from '../../kube/kubeconfig.js';
import { KubeTransport } from '../../kube/transport.js';
import type { KubeObject } from '../../kube/types.js';
import { routerProviders } from '../../routers/registry.js';
import { CliError, errorText } from './errors.js';
import { loadKubeConfigData } from './kubeconfig-flags.js';

export interface KubeFlags {
  readonly kubeconfig?: string;
  readonly context?: string;
  readonly namespace?: string;
  readonly allNamespaces?: boolean;
}

export interface Connection {
  /** The loaded kubeconfig (the dashboard turns it into client-node's KubeConfig). */
  readonly kubeConfig: KubeConfigData;
  /** Raw requests and watches; shared with `client`. */
  readonly transport: KubeTransport;
  readonly client: KubeClient;
  /** The kubeconfig user's name (for the requester of promote/abort/retry). */
  readonly user: string;
  /** -n, else the context's namespace, else "default". */
  readonly namespace: string;
  /** For messages: the context in use. */
  readonly context: string;
}

export function addKubeOptions(cmd: Command, o: { allNamespaces?: boolean } = {}): Command {
  cmd
    .option('-n, --namespace <namespace>', 'namespace (default: the kubeconfig context namespace)')
    .option('--context <name>', 'kubeconfig context to use')
    .option('--kubeconfig <path>', 'kubeconfig file (default: KUBECONFIG, then ~/.kube/config)');
  if (o.allNamespaces === true) cmd.option('-A, --all-namespaces', 'across all namespaces');
  return cmd;
}

export function connect(flags: KubeFlags): Connection {
  const data = loadKubeConfigData(flags);
  const current = currentConfig(data);
  const transport = new KubeTransport(data);
  return {
    kubeConfig: data,
    transport,
    client: createKubeClient(transport),
    user: current.user.name,
    namespace: flags.namespace ?? current.namespace,
    context: current.context,
  };
}

/** API failures as something to act on (RBAC, unreachable server), not a stack trace. */
export function explainKubeError(err: unknown, what: string): CliError {
  if (err instanceof CliError) return err;
  if (err instanceof KubeApiError) {
    if (err.code === 403)
      return new CliError(`not allowed to ${what}: ${err.message} (check your RBAC role)`);
    if (err.code === 401)
      return new CliError(`unauthorized to ${what}: your kubeconfig credentials were rejected`);
    return new CliError(`cannot ${what}: ${err.message}`);
  }
  const text = errorText(err);
  if (/ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ETIMEDOUT|fetch failed/.test(text)) {
    return new CliError(`cannot reach the Kubernetes API server to ${what}: ${text} (is the cluster up?)`);
  }
  return new CliError(`cannot ${what}: ${text}`);
}

export const canaryRef = (namespace: string, name: string) =>
  ({ apiVersion: 'flagger.app/v1beta1', kind: 'Canary', namespace, name }) as const;

export async function getCanaryObject(
  conn: Connection,
  namespace: string,
  name: string,
): Promise<KubeObject> {
  let obj: KubeObject | undefined;
  try {
    obj = await conn.client.get(canaryRef(namespace, name));
  } catch (err) {
    throw explainKubeError(err, `get canary ${name} in namespace ${namespace}`);
  }
  if (obj === undefined) {
    throw new CliError(
      `canary ${name} not found in namespace ${namespace} (list canaries with: flagger-ts status -n ${namespace}, or -A)`,
    );
  }
  return obj;
}

/** Validates with the operator's own rules: the canary, or why the operator refuses it. */
export function checkCanary(obj: KubeObject): { ok: true; canary: Canary } | { ok: false; reason: string } {
  const v = validateCanary(obj, { noCrossNamespaceRefs: false, knownProviders: routerProviders() });
  return v.ok ? v : { ok: false, reason: v.errors.map((e) => e.message).join('; ') };
}

/** Parsed with the operator's own schema; a canary the operator would reject is reported as such. */
export function parseCanary(obj: KubeObject): Canary {
  const v = validateCanary(obj, { noCrossNamespaceRefs: false, knownProviders: routerProviders() });
  if (v.ok) return v.canary;
  throw new CliError(
    `canary ${obj.metadata.name} in namespace ${obj.metadata.namespace ?? ''} is invalid: ${v.errors.map((e) => e.message).join('; ')}`,
  );
}
