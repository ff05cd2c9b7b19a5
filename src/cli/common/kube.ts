// Connecting the user-facing commands to a cluster the way kubectl does: KUBECONFIG (or
// --kubeconfig), --context, the context's namespace unless -n is given, and -A.
import { KubeConfig } from '@kubernetes/client-node';
import type { Command } from 'commander';
import { validateCanary } from '../../api/validate.js';
import type { Canary } from '../../api/canary.js';
import { createKubeClient, type KubeClient } from '../../kube/client.js';
import { KubeApiError } from '../../kube/errors.js';
import type { KubeObject } from '../../kube/types.js';
import { routerProviders } from '../../routers/registry.js';
import { CliError, errorText } from './errors.js';

export interface KubeFlags {
  readonly kubeconfig?: string;
  readonly context?: string;
  readonly namespace?: string;
  readonly allNamespaces?: boolean;
}

export interface Connection {
  readonly kc: KubeConfig;
  readonly client: KubeClient;
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

/**
 * The kubeconfig the way kubectl finds it (--kubeconfig, KUBECONFIG, ~/.kube/config, in-cluster),
 * failing with what to set instead of client-node's silent fall back to http://localhost:8080.
 */
export function loadKubeConfig(flags: Pick<KubeFlags, 'kubeconfig' | 'context'>): KubeConfig {
  const kc = new KubeConfig();
  try {
    if (flags.kubeconfig !== undefined) kc.loadFromFile(flags.kubeconfig);
    else kc.loadFromDefault();
  } catch (err) {
    throw new CliError(`cannot load kubeconfig: ${errorText(err)} (set KUBECONFIG or pass --kubeconfig)`);
  }
  if (flags.context !== undefined) {
    if (kc.getContextObject(flags.context) === null) {
      const known = kc.getContexts().map((c) => c.name);
      throw new CliError(
        `context "${flags.context}" not found in kubeconfig; available: ${known.join(', ') || '(none)'}`,
      );
    }
    kc.setCurrentContext(flags.context);
  }
  const cluster = kc.getCurrentCluster();
  if (cluster === null) {
    throw new CliError('the kubeconfig has no current cluster: set KUBECONFIG, --kubeconfig or --context');
  }
  // With no kubeconfig anywhere, client-node falls back to http://localhost:8080 and the
  // first request fails with a TLS message that points nowhere useful.
  if (
    flags.kubeconfig === undefined &&
    cluster.name === 'cluster' &&
    cluster.server === 'http://localhost:8080'
  ) {
    throw new CliError(
      'no Kubernetes configuration found: set KUBECONFIG, pass --kubeconfig, or run inside a cluster',
    );
  }
  return kc;
}

export function connect(flags: KubeFlags): Connection {
  const kc = loadKubeConfig(flags);
  const context = kc.getCurrentContext();
  const namespace = flags.namespace ?? kc.getContextObject(context)?.namespace ?? 'default';
  return { kc, client: createKubeClient(kc), namespace, context };
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
