// The kubeconfig as plain data: clusters, users, contexts and the current context, read from
// YAML without @kubernetes/client-node (whose KubeConfig module loads every generated API
// model, ≈ 75 MB of RSS). The field names are client-node's, so one of its KubeConfig
// objects can be handed anywhere this type is expected (the CLI, the dashboard and the tests
// still build them), and normalizeKubeConfig reads either kind defensively.
import { dirname, isAbsolute, join } from 'node:path';
import { isRecord } from './json.js';

export interface KubeCluster {
  readonly name: string;
  /** Without a trailing slash. */
  readonly server: string;
  readonly caData?: string | undefined;
  readonly caFile?: string | undefined;
  readonly skipTLSVerify: boolean;
  readonly tlsServerName?: string | undefined;
  readonly proxyUrl?: string | undefined;
}

export interface KubeUser {
  readonly name: string;
  readonly token?: string | undefined;
  /** Re-read when it changes (projected ServiceAccount tokens rotate); client-node reads it once. */
  readonly tokenFile?: string | undefined;
  readonly certData?: string | undefined;
  readonly certFile?: string | undefined;
  readonly keyData?: string | undefined;
  readonly keyFile?: string | undefined;
  readonly username?: string | undefined;
  readonly password?: string | undefined;
  readonly impersonateUser?: string | undefined;
  /** Credential plugins: handled by client-node, loaded only when a user has one (see client-node-auth.ts). */
  readonly exec?: unknown;
  readonly authProvider?: unknown;
}

export interface KubeContext {
  readonly name: string;
  readonly cluster: string;
  readonly user: string;
  readonly namespace?: string | undefined;
}

export interface KubeConfigData {
  readonly clusters: readonly KubeCluster[];
  readonly users: readonly KubeUser[];
  readonly contexts: readonly KubeContext[];
  readonly currentContext: string;
}

/** The current context resolved: what a connection is made from. */
export interface CurrentConfig {
  readonly context: string;
  readonly cluster: KubeCluster;
  readonly user: KubeUser;
  /** The context's namespace, else "default" (where a namespaced object without one goes). */
  readonly namespace: string;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** A relative file path in a kubeconfig is relative to the kubeconfig file (as kubectl reads it). */
const under = (dir: string | undefined, file: string | undefined): string | undefined =>
  file === undefined || dir === undefined || isAbsolute(file) ? file : join(dir, file);

function cluster(raw: unknown, i: number, dir: string | undefined): KubeCluster {
  const name = isRecord(raw) ? str(raw['name']) : undefined;
  if (name === undefined) throw new Error(`clusters[${i}].name is missing`);
  const c = isRecord(raw) ? raw['cluster'] : undefined;
  if (!isRecord(c)) throw new Error(`clusters[${i}].cluster is missing`);
  const server = str(c['server']);
  if (server === undefined) throw new Error(`clusters[${i}].cluster.server is missing`);
  return {
    name,
    server: server.replace(/\/$/, ''),
    caData: str(c['certificate-authority-data']),
    caFile: under(dir, str(c['certificate-authority'])),
    skipTLSVerify: c['insecure-skip-tls-verify'] === true,
    tlsServerName: str(c['tls-server-name']),
    proxyUrl: str(c['proxy-url']),
  };
}

function user(raw: unknown, i: number, dir: string | undefined): KubeUser {
  const name = isRecord(raw) ? str(raw['name']) : undefined;
  if (name === undefined) throw new Error(`users[${i}].name is missing`);
  const u = isRecord(raw) && isRecord(raw['user']) ? raw['user'] : {};
  return {
    name,
    token: str(u['token']),
    tokenFile: under(dir, str(u['tokenFile']) ?? str(u['token-file'])),
    certData: str(u['client-certificate-data']),
    certFile: under(dir, str(u['client-certificate'])),
    keyData: str(u['client-key-data']),
    keyFile: under(dir, str(u['client-key'])),
    username: str(u['username']),
    password: str(u['password']),
    impersonateUser: str(u['as']),
    exec: isRecord(u['exec']) ? u['exec'] : undefined,
    authProvider: isRecord(u['auth-provider']) ? u['auth-provider'] : undefined,
  };
}

function context(raw: unknown, i: number): KubeContext {
  const name = isRecord(raw) ? str(raw['name']) : undefined;
  if (name === undefined) throw new Error(`contexts[${i}].name is missing`);
  const c = isRecord(raw) ? raw['context'] : undefined;
  if (!isRecord(c)) throw new Error(`contexts[${i}].context is missing`);
  const clusterName = str(c['cluster']);
  if (clusterName === undefined) throw new Error(`contexts[${i}].context.cluster is missing`);
  return { name, cluster: clusterName, user: str(c['user']) ?? '', namespace: str(c['namespace']) };
}

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/**
 * A parsed kubeconfig document (YAML already decoded). `file` makes relative paths
 * (certificate-authority, client-certificate, client-key, token file) relative to it.
 */
export function kubeConfigFromDocument(doc: unknown, file?: string): KubeConfigData {
  const dir = file === undefined ? undefined : dirname(file);
  const d = isRecord(doc) ? doc : {};
  return {
    clusters: list(d['clusters']).map((c, i) => cluster(c, i, dir)),
    users: list(d['users']).map((u, i) => user(u, i, dir)),
    contexts: list(d['contexts']).map((c, i) => context(c, i)),
    currentContext: str(d['current-context']) ?? '',
  };
}

/**
 * Several kubeconfig files (KUBECONFIG=a:b) as kubectl merges them: the first file that sets
 * current-context wins, and so does the first cluster, user or context of a name.
 */
export function mergeKubeConfigs(configs: readonly KubeConfigData[]): KubeConfigData {
  const firstByName = <T extends { readonly name: string }>(
    pick: (c: KubeConfigData) => readonly T[],
  ): T[] => {
    const seen = new Map<string, T>();
    for (const c of configs) for (const e of pick(c)) if (!seen.has(e.name)) seen.set(e.name, e);
    return [...seen.values()];
  };
  return {
    clusters: firstByName((c) => c.clusters),
    users: firstByName((c) => c.users),
    contexts: firstByName((c) => c.contexts),
    currentContext: configs.find((c) => c.currentContext !== '')?.currentContext ?? '',
  };
}

/** The kubeconfig with the current cluster's server replaced (Flagger's -master, Go's clientcmd). */
export function withServer(kc: KubeConfigData, server: string): KubeConfigData {
  const current = kc.contexts.find((c) => c.name === kc.currentContext)?.cluster;
  return {
    ...kc,
    clusters: kc.clusters.map((c) => (c.name === current ? { ...c, server: server.replace(/\/$/, '') } : c)),
  };
}

/** The same kubeconfig with another current context (--context). */
export function withContext(kc: KubeConfigData, name: string): KubeConfigData {
  if (!kc.contexts.some((c) => c.name === name)) {
    const known = kc.contexts.map((c) => c.name).join(', ') || '(none)';
    throw new Error(`context "${name}" not found in kubeconfig; available: ${known}`);
  }
  return { ...kc, currentContext: name };
}

/**
 * Reads a kubeconfig shaped like client-node's KubeConfig (whose loader leaves `null` where a
 * field is absent, and describes an in-cluster token file as the auth provider "tokenFile")
 * or like ours, into clean data.
 */
export function normalizeKubeConfig(kc: KubeConfigData): KubeConfigData {
  return {
    clusters: kc.clusters.map((c) => ({
      name: c.name,
      server: c.server.replace(/\/$/, ''),
      caData: str(c.caData),
      caFile: str(c.caFile),
      skipTLSVerify: c.skipTLSVerify,
      tlsServerName: str(c.tlsServerName),
      proxyUrl: str(c.proxyUrl),
    })),
    users: kc.users.map((u) => {
      const provider = isRecord(u.authProvider) ? u.authProvider : undefined;
      const providerConfig = provider !== undefined && isRecord(provider['config']) ? provider['config'] : {};
      const providerTokenFile =
        provider?.['name'] === 'tokenFile' ? str(providerConfig['tokenFile']) : undefined;
      return {
        name: u.name,
        token: str(u.token),
        tokenFile: str(u.tokenFile) ?? providerTokenFile,
        certData: str(u.certData),
        certFile: str(u.certFile),
        keyData: str(u.keyData),
        keyFile: str(u.keyFile),
        username: str(u.username),
        password: str(u.password),
        impersonateUser: str(u.impersonateUser),
        exec: isRecord(u.exec) ? u.exec : undefined,
        authProvider: providerTokenFile === undefined ? provider : undefined,
      };
    }),
    contexts: kc.contexts.map((c) => ({
      name: c.name,
      cluster: c.cluster,
      user: str(c.user) ?? '',
      namespace: str(c.namespace),
    })),
    currentContext: str(kc.currentContext) ?? '',
  };
}

/** The current context's cluster and user; throws naming what is missing. */
export function currentConfig(kc: KubeConfigData): CurrentConfig {
  const ctx = kc.contexts.find((c) => c.name === kc.currentContext);
  if (ctx === undefined) {
    throw new Error(
      kc.currentContext === ''
        ? 'the kubeconfig has no current context'
        : `the kubeconfig's current context "${kc.currentContext}" is not defined`,
    );
  }
  const c = kc.clusters.find((x) => x.name === ctx.cluster);
  if (c === undefined)
    throw new Error(`the kubeconfig has no cluster "${ctx.cluster}" (context "${ctx.name}")`);
  // A context without a user, or naming an undefined one, connects anonymously (as kubectl does).
  const u = kc.users.find((x) => x.name === ctx.user) ?? { name: ctx.user };
  return { context: ctx.name, cluster: c, user: u, namespace: ctx.namespace ?? 'default' };
}
