// How a request proves who it is and whom it trusts, from the kubeconfig's current cluster and
// user: CA (file or data), client certificate and key (file or data), bearer token (inline or
// a file that rotates), basic auth, impersonation, insecure-skip-tls-verify, tls-server-name.
// Credential plugins (exec, auth-provider) and proxies are client-node's business: see
// client-node-auth.ts, loaded only for a kubeconfig that needs it.
import type { Agent } from 'node:http';
import type { CurrentConfig } from './kubeconfig.js';
import { RotatingFile } from './rotating-file.js';

/** The TLS options of a request; two requests with equal options can share a connection. */
export interface TlsOptions {
  readonly ca?: Buffer | undefined;
  readonly cert?: Buffer | undefined;
  readonly key?: Buffer | undefined;
  /** Only set for insecure-skip-tls-verify; otherwise node's default (verify) applies. */
  readonly rejectUnauthorized?: boolean | undefined;
  readonly servername?: string | undefined;
}

export interface RequestCredentials {
  /** Authorization, Impersonate-User ...: secrets, never logged. */
  readonly headers: Readonly<Record<string, string>>;
  readonly tls: TlsOptions;
  /** An agent of the credential plugin's own (a proxy's); otherwise the transport's keep-alive agent. */
  readonly agent?: Agent | undefined;
}

export interface Credentials {
  /** What the next request sends. */
  current(): Promise<RequestCredentials>;
  /** The API server answered 401: the next current() re-reads whatever may have rotated. */
  rejected(): void;
}

/** A value given inline (base64 in the kubeconfig) or as a file that may rotate. */
type Source = { readonly data: Buffer } | { readonly file: RotatingFile };

function source(
  data: string | undefined,
  file: string | undefined,
  now: (() => number) | undefined,
): Source | undefined {
  if (file !== undefined) return { file: new RotatingFile(file, now === undefined ? {} : { now }) };
  if (data !== undefined) return { data: Buffer.from(data, 'base64') };
  return undefined;
}

const read = (s: Source | undefined): Buffer | undefined =>
  s === undefined ? undefined : 'data' in s ? s.data : s.file.read();

/** The credentials of a kubeconfig user this module handles itself (no exec, no auth-provider). */
export class StaticCredentials implements Credentials {
  readonly #ca: Source | undefined;
  readonly #cert: Source | undefined;
  readonly #key: Source | undefined;
  readonly #tokenFile: RotatingFile | undefined;
  readonly #fixed: Record<string, string> = {};
  readonly #insecure: boolean;
  readonly #servername: string | undefined;

  constructor(config: CurrentConfig, opts: { now?: () => number } = {}) {
    const { cluster, user } = config;
    this.#ca = source(cluster.caData, cluster.caFile, opts.now);
    this.#cert = source(user.certData, user.certFile, opts.now);
    this.#key = source(user.keyData, user.keyFile, opts.now);
    this.#insecure = cluster.skipTLSVerify;
    this.#servername = cluster.tlsServerName;
    if (user.token !== undefined) this.#fixed['Authorization'] = `Bearer ${user.token}`;
    else if (user.tokenFile !== undefined)
      this.#tokenFile = new RotatingFile(user.tokenFile, opts.now === undefined ? {} : { now: opts.now });
    else if (user.username !== undefined) {
      const basic = Buffer.from(`${user.username}:${user.password ?? ''}`).toString('base64');
      this.#fixed['Authorization'] = `Basic ${basic}`;
    }
    if (user.impersonateUser !== undefined) this.#fixed['Impersonate-User'] = user.impersonateUser;
  }

  current(): Promise<RequestCredentials> {
    const headers = { ...this.#fixed };
    const token = this.#tokenFile?.read().toString('utf8').trim();
    if (token !== undefined && token !== '') headers['Authorization'] = `Bearer ${token}`;
    return Promise.resolve({
      headers,
      tls: {
        ca: read(this.#ca),
        cert: read(this.#cert),
        key: read(this.#key),
        rejectUnauthorized: this.#insecure ? false : undefined,
        servername: this.#servername,
      },
    });
  }

  rejected(): void {
    this.#tokenFile?.invalidate();
    for (const s of [this.#cert, this.#key]) if (s !== undefined && 'file' in s) s.file.invalidate();
  }
}
