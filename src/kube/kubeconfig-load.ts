// Where the kubeconfig comes from, in the order flagger-ts has always used (client-node's
// loadFromDefault): an explicit file, else KUBECONFIG (several paths, merged as kubectl does),
// else ~/.kube/config, else the in-cluster ServiceAccount. Never a silent fall back to
// http://localhost:8080: no configuration at all is an error naming what to set.
import { existsSync, readFileSync } from 'node:fs';
import { isIPv6 } from 'node:net';
import { delimiter, join } from 'node:path';
import { parse, YAMLParseError } from 'yaml';
import { kubeConfigFromDocument, mergeKubeConfigs, type KubeConfigData } from './kubeconfig.js';

export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** What the loader looks at; tests replace the environment and the ServiceAccount directory. */
export interface KubeConfigSources {
  readonly env?: NodeJS.ProcessEnv;
  readonly serviceAccountDir?: string;
}

/** Thrown when nothing says where the API server is (callers turn it into a CLI message). */
export class NoKubeConfigError extends Error {
  override readonly name = 'NoKubeConfigError';
}

/** One kubeconfig file; errors name the file, never its contents (they hold credentials). */
export function loadKubeConfigFile(file: string): KubeConfigData {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new Error(`cannot read kubeconfig ${file}: ${code}`, { cause: err });
  }
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    // The parser's message quotes the offending line, which may hold a token: only say where.
    const line = err instanceof YAMLParseError ? err.linePos?.[0].line : undefined;
    throw new Error(
      `kubeconfig ${file} is not valid YAML${line === undefined ? '' : ` (line ${String(line)})`}`,
    );
  }
  try {
    return kubeConfigFromDocument(doc, file);
  } catch (err) {
    throw new Error(`kubeconfig ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/**
 * The in-cluster configuration: the API server from KUBERNETES_SERVICE_HOST/PORT, the
 * ServiceAccount's CA, its token file (re-read as the kubelet rotates it) and namespace.
 */
export function inClusterKubeConfig(sources: KubeConfigSources = {}): KubeConfigData {
  const env = sources.env ?? process.env;
  const dir = sources.serviceAccountDir ?? SERVICE_ACCOUNT_DIR;
  const host = env['KUBERNETES_SERVICE_HOST'];
  const port = env['KUBERNETES_SERVICE_PORT'];
  if (host === undefined || host === '' || port === undefined || port === '') {
    throw new NoKubeConfigError(
      'in-cluster configuration needs KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT',
    );
  }
  // client-node's rule, kept: the well-known plain-http ports are spoken to in plain http.
  const scheme = port === '80' || port === '8080' || port === '8001' ? 'http' : 'https';
  const server = `${scheme}://${isIPv6(host) ? `[${host}]` : host}:${port}`;
  const nsFile = join(dir, 'namespace');
  const namespace = existsSync(nsFile) ? readFileSync(nsFile, 'utf8').trim() : undefined;
  return {
    clusters: [{ name: 'inCluster', server, caFile: join(dir, 'ca.crt'), skipTLSVerify: false }],
    users: [{ name: 'inClusterUser', tokenFile: join(dir, 'token') }],
    contexts: [
      {
        name: 'inClusterContext',
        cluster: 'inCluster',
        user: 'inClusterUser',
        namespace: namespace === '' ? undefined : namespace,
      },
    ],
    currentContext: 'inClusterContext',
  };
}

/** KUBECONFIG's paths that exist (kubectl skips missing ones); an error if none does. */
function fromKubeconfigEnv(value: string): KubeConfigData {
  const files = value.split(delimiter).filter((f) => f !== '');
  const present = files.filter((f) => existsSync(f));
  if (present.length === 0) throw new Error(`KUBECONFIG names no existing file (${files.join(', ')})`);
  return mergeKubeConfigs(present.map(loadKubeConfigFile));
}

/**
 * `file` when given, else KUBECONFIG, ~/.kube/config, in-cluster. Throws NoKubeConfigError
 * when none of them is there.
 */
export function loadKubeConfig(file?: string, sources: KubeConfigSources = {}): KubeConfigData {
  if (file !== undefined && file !== '') return loadKubeConfigFile(file);
  const env = sources.env ?? process.env;
  const fromEnv = env['KUBECONFIG'];
  if (fromEnv !== undefined && fromEnv !== '') return fromKubeconfigEnv(fromEnv);
  const home = env['HOME'];
  if (home !== undefined && home !== '') {
    const config = join(home, '.kube', 'config');
    if (existsSync(config)) return loadKubeConfigFile(config);
  }
  if (existsSync(join(sources.serviceAccountDir ?? SERVICE_ACCOUNT_DIR, 'token'))) {
    return inClusterKubeConfig(sources);
  }
  throw new NoKubeConfigError(
    'no Kubernetes configuration found: set KUBECONFIG, pass --kubeconfig, or run inside a cluster',
  );
}
