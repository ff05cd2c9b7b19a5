// HTTP(S) to the API server without @kubernetes/client-node: one keep-alive agent for all
// requests (watches included), the kubeconfig's TLS settings and credentials on each. The
// operator talks to the API server only through this (object API, discovery, informers), so
// its process never loads client-node unless the kubeconfig needs a credential plugin (see
// client-node-auth.ts).
import {
  Agent as HttpAgent,
  request as httpRequest,
  type IncomingMessage,
  type OutgoingHttpHeaders,
} from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest, type RequestOptions } from 'node:https';
import { TunnelAgent } from '../webhooks/proxy.js';
import { clientNodeCredentials, needsClientNode, tunnelProxy } from './client-node-auth.js';
import {
  StaticCredentials,
  type Credentials,
  type RequestCredentials,
  type TlsOptions,
} from './credentials.js';
import { currentConfig, normalizeKubeConfig, type CurrentConfig, type KubeConfigData } from './kubeconfig.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface ApiRequest {
  readonly method: HttpMethod;
  /** e.g. /apis/apps/v1/namespaces/x/deployments/y; may carry a query string of its own. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string>> | undefined;
  readonly headers?: Readonly<Record<string, string>> | undefined;
  readonly body?: string | undefined;
  readonly signal?: AbortSignal | undefined;
}

export interface ApiResponse {
  readonly status: number;
  readonly text: string;
}

/**
 * What a metric provider needs to call an API of the cluster itself (externalmetrics): the
 * server and the request options that carry TLS settings and credentials. client-node's
 * KubeConfig has the same two methods, so tests may still hand one of those.
 */
export interface ApiServerAccess {
  getCurrentCluster(): { readonly server: string } | null;
  applyToHTTPSOptions(opts: RequestOptions): Promise<void>;
}

const USER_AGENT = 'flagger-ts';

const sameBuffer = (a: Buffer | undefined, b: Buffer | undefined): boolean =>
  a === b || (a !== undefined && b !== undefined && a.equals(b));

/** Two requests with equal TLS options can share a connection. */
function sameTls(a: TlsOptions, b: TlsOptions): boolean {
  return (
    sameBuffer(a.ca, b.ca) &&
    sameBuffer(a.cert, b.cert) &&
    sameBuffer(a.key, b.key) &&
    a.rejectUnauthorized === b.rejectUnauthorized &&
    a.servername === b.servername
  );
}

function sameCredentials(a: RequestCredentials, b: RequestCredentials): boolean {
  const ha = Object.entries(a.headers);
  return (
    sameTls(a.tls, b.tls) &&
    ha.length === Object.keys(b.headers).length &&
    ha.every(([k, v]) => b.headers[k] === v)
  );
}

/** The TLS options that are set, in the form node's agents take. */
function tlsAgentOptions(tls: TlsOptions): Record<string, Buffer | boolean | string> {
  const out: Record<string, Buffer | boolean | string> = {};
  for (const [k, v] of Object.entries(tls)) if (v !== undefined) out[k] = v as Buffer | boolean | string;
  return out;
}

async function readBody(res: IncomingMessage): Promise<string> {
  res.setEncoding('utf8');
  let text = '';
  for await (const chunk of res) text += chunk as string;
  return text;
}

export class KubeTransport implements ApiServerAccess {
  /** The API server's base URL, without a trailing slash. */
  readonly server: string;
  /** The context's namespace, else "default": where a namespaced object without one goes. */
  readonly namespace: string;
  /** True when the kubeconfig needs client-node (credential plugin or proxy; see client-node-auth.ts). */
  readonly usesClientNode: boolean;
  readonly #https: boolean;
  /** The kubeconfig's http:// proxy-url, tunnelled with CONNECT. */
  readonly #proxy: URL | undefined;
  readonly #credentials: () => Promise<Credentials>;
  /**
   * The keep-alive agent every request goes through, and the TLS options it was made for:
   * without keep-alive, every request against a real API server is a new TLS handshake (a CPU
   * hot spot of a 200-canary run, docs/benchmarks.md). Replaced when the TLS options change
   * (a rotated client certificate). Bearer tokens travel in headers, not in the agent.
   */
  #shared: { tls: TlsOptions; agent: HttpAgent } | undefined;
  readonly #keepAlive: boolean;

  /**
   * `keepAlive: false` for short-lived transports (the dashboard's per-user watches), whose idle
   * connections would otherwise outlive them; `now` is the clock of rotating-file checks (tests).
   */
  constructor(kc: KubeConfigData, opts: { now?: () => number; keepAlive?: boolean } = {}) {
    this.#keepAlive = opts.keepAlive ?? true;
    const data = normalizeKubeConfig(kc);
    const config: CurrentConfig = currentConfig(data);
    this.server = config.cluster.server;
    this.namespace = config.namespace;
    this.#https = new URL(this.server).protocol === 'https:';
    this.usesClientNode = needsClientNode(config);
    this.#proxy = tunnelProxy(config);
    let credentials: Promise<Credentials> | undefined;
    this.#credentials = () =>
      (credentials ??= this.usesClientNode
        ? clientNodeCredentials(data, config)
        : Promise.resolve(
            new StaticCredentials(config, opts.now === undefined ? {} : { now: opts.now }),
          )).catch((err: unknown) => {
        credentials = undefined; // client-node could not be loaded: try again at the next request
        throw err;
      });
  }

  /** Sends the request and reads the whole answer. A 401 is retried once if the credentials rotated. */
  async request(req: ApiRequest): Promise<ApiResponse> {
    const credentials = await this.#credentials();
    const sent = await credentials.current();
    const res = await this.#send(req, sent);
    const answer = { status: res.statusCode ?? 0, text: await readBody(res) };
    if (answer.status !== 401) return answer;
    // A 401 means the request was not processed: safe to send again, even a write.
    credentials.rejected();
    const fresh = await credentials.current();
    if (sameCredentials(sent, fresh)) return answer;
    const again = await this.#send(req, fresh);
    return { status: again.statusCode ?? 0, text: await readBody(again) };
  }

  /**
   * Sends the request and returns the answer as a stream (watches), whatever its status; the
   * caller reads or destroys it. Aborting `req.signal` ends the stream.
   */
  async open(req: ApiRequest): Promise<IncomingMessage> {
    const credentials = await this.#credentials();
    const res = await this.#send(req, await credentials.current());
    if (res.statusCode === 401) credentials.rejected();
    return res;
  }

  /** For the externalmetrics provider (see ApiServerAccess). */
  getCurrentCluster(): { readonly server: string } {
    return { server: this.server };
  }

  async applyToHTTPSOptions(opts: RequestOptions): Promise<void> {
    const c = await (await this.#credentials()).current();
    const given =
      opts.headers === undefined || Array.isArray(opts.headers) ? {} : (opts.headers as OutgoingHttpHeaders);
    opts.headers = { ...given, ...c.headers };
    Object.assign(opts, tlsAgentOptions(c.tls));
    opts.agent = c.agent ?? this.#agent(c.tls);
  }

  /** Closes the kept-alive connections (watches end with an error). */
  close(): void {
    this.#shared?.agent.destroy();
    this.#shared = undefined;
  }

  #agent(tls: TlsOptions): HttpAgent {
    if (this.#shared !== undefined && sameTls(this.#shared.tls, tls)) return this.#shared.agent;
    this.#shared?.agent.destroy();
    // TCP keep-alive probes every 30 s notice a dead peer on an idle watch (as client-node did).
    const base = { keepAlive: this.#keepAlive, keepAliveMsecs: 30_000 };
    const agent =
      this.#proxy !== undefined
        ? new TunnelAgent(this.#proxy, { ...base, ...tlsAgentOptions(tls) })
        : this.#https
          ? new HttpsAgent({ ...base, ...tlsAgentOptions(tls) })
          : new HttpAgent(base);
    this.#shared = { tls, agent };
    return agent;
  }

  #send(req: ApiRequest, c: RequestCredentials, retried = false): Promise<IncomingMessage> {
    const url = new URL(this.server + req.path);
    for (const [k, v] of Object.entries(req.query ?? {})) url.searchParams.set(k, v);
    const headers: OutgoingHttpHeaders = {
      Accept: 'application/json',
      'User-Agent': USER_AGENT,
      ...req.headers,
      ...c.headers,
    };
    if (req.body !== undefined) headers['Content-Length'] = Buffer.byteLength(req.body);
    const send = this.#https ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const r = send(url, {
        method: req.method,
        headers,
        agent: c.agent ?? this.#agent(c.tls),
        ...(req.signal === undefined ? {} : { signal: req.signal }),
      });
      r.once('response', resolve);
      r.once('error', (err: NodeJS.ErrnoException) => {
        // A kept-alive connection that the server closed while it was idle (kube-apiserver
        // after 90 s) fails the next request sent on it before the server read it: send it once
        // more on a fresh connection, as Go's client does.
        const stale = r.reusedSocket && (err.code === 'ECONNRESET' || err.code === 'EPIPE');
        if (stale && !retried && req.signal?.aborted !== true) resolve(this.#send(req, c, true));
        else reject(err);
      });
      r.end(req.body);
    });
  }
}
