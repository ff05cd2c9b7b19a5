// The one place the operator may still use @kubernetes/client-node at runtime, and only
// through a dynamic import: kubeconfig users with a credential plugin (`exec`, e.g.
// aws-iam-authenticator or gke-gcloud-auth-plugin, or a legacy `auth-provider` such as oidc)
// and clusters reached through a socks5 or https `proxy-url` (an http:// proxy is tunnelled
// by transport.ts itself). Reimplementing those would be a lot of code
// for few users, so they keep working through client-node's own implementation, and only
// they pay its memory (≈ 75 MB of RSS: its KubeConfig module loads every generated model).
// Everyone else (in-cluster, client certificates, tokens, token files) never loads it.
//
// The CLI and the dashboard build client-node KubeConfigs from the same loaded data with
// clientNodeOptions below, so kubeconfig parsing is shared.
import type { KubeConfig } from '@kubernetes/client-node';
import type { RequestOptions } from 'node:https';
import type { Credentials, RequestCredentials } from './credentials.js';
import type { CurrentConfig, KubeConfigData } from './kubeconfig.js';

/**
 * The proxy-url transport.ts handles itself: an http:// proxy in front of an https:// API
 * server (a CONNECT tunnel, the usual case). Other proxies (socks5, https://) are client-node's.
 */
export function tunnelProxy(config: CurrentConfig): URL | undefined {
  const proxy = config.cluster.proxyUrl;
  if (proxy === undefined || !config.cluster.server.startsWith('https:')) return undefined;
  const url = new URL(proxy);
  return url.protocol === 'http:' ? url : undefined;
}

/** True when the current user or cluster needs client-node (see the file comment). */
export function needsClientNode(config: CurrentConfig): boolean {
  return (
    config.user.exec !== undefined ||
    config.user.authProvider !== undefined ||
    (config.cluster.proxyUrl !== undefined && tunnelProxy(config) === undefined)
  );
}

/** Options of client-node's KubeConfig.loadFromOptions. */
export interface ClientNodeOptions {
  readonly clusters: KubeConfigData['clusters'];
  readonly users: readonly Record<string, unknown>[];
  readonly contexts: KubeConfigData['contexts'];
  readonly currentContext: string;
}

/**
 * Our kubeconfig data in client-node's shape (the field names are the same). A token file
 * becomes client-node's "tokenFile" auth provider, which re-reads it every minute.
 */
export function clientNodeOptions(kc: KubeConfigData): ClientNodeOptions {
  return {
    clusters: kc.clusters,
    users: kc.users.map(({ tokenFile, ...user }) =>
      tokenFile === undefined ||
      user.token !== undefined ||
      user.exec !== undefined ||
      user.authProvider !== undefined
        ? user
        : { ...user, authProvider: { name: 'tokenFile', config: { tokenFile } } },
    ),
    contexts: kc.contexts,
    currentContext: kc.currentContext,
  };
}

const buffer = (v: unknown): Buffer | undefined =>
  Buffer.isBuffer(v) ? v : typeof v === 'string' && v !== '' ? Buffer.from(v) : undefined;

/** Credentials computed by client-node for every request (it caches plugin output itself). */
class ClientNodeCredentials implements Credentials {
  readonly #kc: KubeConfig;
  readonly #useItsAgent: boolean;

  constructor(kc: KubeConfig, useItsAgent: boolean) {
    this.#kc = kc;
    this.#useItsAgent = useItsAgent;
  }

  async current(): Promise<RequestCredentials> {
    const opts: RequestOptions = {};
    await this.#kc.applyToHTTPSOptions(opts);
    const headers: Record<string, string> = {};
    const given = opts.headers !== undefined && !Array.isArray(opts.headers) ? opts.headers : {};
    for (const [k, v] of Object.entries(given)) if (typeof v === 'string') headers[k] = v;
    if (typeof opts.auth === 'string' && headers['Authorization'] === undefined)
      headers['Authorization'] = `Basic ${Buffer.from(opts.auth).toString('base64')}`;
    return {
      headers,
      tls: {
        ca: buffer(opts.ca),
        cert: buffer(opts.cert),
        key: buffer(opts.key),
        rejectUnauthorized: opts.rejectUnauthorized,
        servername: opts.servername,
      },
      // A proxy lives in client-node's agent (a new one per request, as client-node always did).
      agent: this.#useItsAgent && opts.agent instanceof Object ? opts.agent : undefined,
    };
  }

  rejected(): void {
    // client-node caches a plugin's credential until the expiry the plugin stated.
  }
}

/** Loads client-node (the only place the operator does) and authenticates through it. */
export async function clientNodeCredentials(kc: KubeConfigData, config: CurrentConfig): Promise<Credentials> {
  const { KubeConfig: ClientNodeKubeConfig } = await import('@kubernetes/client-node');
  const cn = new ClientNodeKubeConfig();
  const options = clientNodeOptions(kc);
  // client-node refuses a plain-http server unless TLS verification is "skipped" (there is no
  // TLS to verify); this transport allows it, so say so for such a cluster.
  cn.loadFromOptions({
    ...options,
    clusters: options.clusters.map((c) => (c.server.startsWith('http:') ? { ...c, skipTLSVerify: true } : c)),
  });
  return new ClientNodeCredentials(
    cn,
    config.cluster.proxyUrl !== undefined && tunnelProxy(config) === undefined,
  );
}
