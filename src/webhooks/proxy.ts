// Sending a request through an HTTP proxy (AlertProvider `proxy`, --slack-proxy-url):
// plain-HTTP targets use the absolute-form request line through the proxy; HTTPS targets
// get a CONNECT tunnel, with TLS to the target inside it, so the proxy never sees the
// payload or the secret in the URL's path.
import http from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';

/** Proxy credentials from `http://user:pass@proxy:3128` as a Proxy-Authorization header. */
export function proxyAuthorization(proxy: URL): Record<string, string> {
  if (proxy.username === '') return {};
  const user = decodeURIComponent(proxy.username);
  const pass = decodeURIComponent(proxy.password);
  return { 'proxy-authorization': `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}` };
}

const defaultPort = (u: URL): string => u.port || (u.protocol === 'https:' ? '443' : '80');

/**
 * A keep-alive https.Agent whose connections are CONNECT tunnels through `proxy`. `options`
 * are the TLS options inside the tunnel (the API server's CA, a client certificate ...: the
 * kubeconfig's proxy-url, src/kube/transport.ts).
 */
export class TunnelAgent extends https.Agent {
  readonly #proxy: URL;

  constructor(proxy: URL, options: https.AgentOptions = {}) {
    super({ keepAlive: true, ...options });
    this.#proxy = proxy;
  }

  override createConnection(
    options: http.ClientRequestArgs,
    callback?: (err: Error | null, stream: Duplex) => void,
  ): Duplex | null | undefined {
    const host = options.hostname ?? options.host ?? 'localhost';
    const port = String(options.port ?? 443);
    const authority = `${host}:${port}`;
    const connect = http.request({
      host: this.#proxy.hostname,
      port: defaultPort(this.#proxy),
      method: 'CONNECT',
      path: authority,
      headers: { host: authority, ...proxyAuthorization(this.#proxy) },
    });
    const fail = (err: Error): void => {
      callback?.(err, undefined as unknown as Duplex);
    };
    connect.once('connect', (res, socket) => {
      if (res.statusCode !== 200) {
        socket.destroy();
        fail(
          new Error(`proxy ${this.#proxy.host} refused CONNECT ${authority}: HTTP ${String(res.statusCode)}`),
        );
        return;
      }
      // The agent has worked out the SNI name (tls-server-name, else the host; none for an IP).
      const tlsOptions = options as tls.ConnectionOptions;
      const secure = tls.connect({ ...tlsOptions, socket, servername: tlsOptions.servername ?? host });
      callback?.(null, secure);
    });
    connect.once('error', fail);
    connect.end();
    return undefined;
  }
}

// One agent per proxy keeps tunnels reusable across alerts.
const tunnels = new Map<string, TunnelAgent>();

export interface ProxiedRequest {
  /** Where to connect: the proxy for plain HTTP, the target (through the tunnel) for HTTPS. */
  readonly options: http.RequestOptions;
  readonly secure: boolean;
}

/** Request options that send a request for `target` through `proxy`. */
export function proxiedRequest(target: URL, proxy: URL, headers: Record<string, string>): ProxiedRequest {
  if (target.protocol === 'https:') {
    let agent = tunnels.get(proxy.href);
    if (!agent) {
      agent = new TunnelAgent(proxy);
      tunnels.set(proxy.href, agent);
    }
    return {
      secure: true,
      options: {
        hostname: target.hostname,
        port: defaultPort(target),
        path: `${target.pathname}${target.search}`,
        headers,
        agent,
      },
    };
  }
  return {
    secure: false,
    options: {
      hostname: proxy.hostname,
      port: defaultPort(proxy),
      path: target.href,
      headers: { ...headers, host: target.host, ...proxyAuthorization(proxy) },
    },
  };
}
