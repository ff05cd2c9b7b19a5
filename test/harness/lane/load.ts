// HTTP clients of the lane: a background load loop (bounded in requests and time) that keeps
// the router's metrics moving while the operator analyses, and single requests for A/B and
// session-affinity checks. Plain node:http with keep-alive, so a Host header can be set
// (fetch forbids it) and no proxy settings of the environment apply. Only loopback or pod
// addresses of the lane are ever targeted (the caller passes the lane router's URL).
import { Agent, request } from 'node:http';

export interface Target {
  /** The router's URL inside the lane, e.g. http://127.0.0.1:PORT */
  readonly url: string;
  /** The Host header routes match on. */
  readonly host: string;
  readonly path?: string;
}

export interface Answer {
  readonly status: number;
  /** The pod that answered (the pod-server's x-pod header), '' when a router answered. */
  readonly pod: string;
  readonly version: string;
  readonly setCookie: readonly string[];
}

const agent = new Agent({ keepAlive: true, maxSockets: 16 });

export function send(
  target: Target,
  headers: Record<string, string> = {},
  timeoutMs = 5_000,
): Promise<Answer> {
  const u = new URL(target.path ?? '/', target.url);
  return new Promise((resolve, reject) => {
    const req = request(
      u,
      { method: 'GET', agent, headers: { host: target.host, ...headers }, timeout: timeoutMs },
      (res) => {
        res.resume();
        res.on('end', () => {
          const header = (name: string): string => {
            const v = res.headers[name];
            return typeof v === 'string' ? v : '';
          };
          resolve({
            status: res.statusCode ?? 0,
            pod: header('x-pod'),
            version: header('x-version'),
            setCookie: res.headers['set-cookie'] ?? [],
          });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`request to ${u.href} (Host ${target.host}) timed out`)));
    req.on('error', reject);
    req.end();
  });
}

export interface LoadTally {
  sent: number;
  /** Answers by HTTP status ('error' for a failed connection). */
  readonly byStatus: Record<string, number>;
}

export interface LoadLoop {
  readonly tally: LoadTally;
  /** Stops sending and resolves once in-flight requests ended. */
  stop(): Promise<LoadTally>;
}

export interface LoadOptions {
  readonly concurrency?: number;
  /** Hard bounds: the loop stops by itself after this many requests or this long. */
  readonly maxRequests?: number;
  readonly maxMs?: number;
  readonly headers?: Record<string, string>;
}

export function startLoad(target: Target, o: LoadOptions = {}): LoadLoop {
  const tally: LoadTally = { sent: 0, byStatus: {} };
  const maxRequests = o.maxRequests ?? 200_000;
  const deadline = Date.now() + (o.maxMs ?? 300_000);
  let running = true;
  const worker = async (): Promise<void> => {
    while (running && tally.sent < maxRequests && Date.now() < deadline) {
      tally.sent++;
      let key: string;
      try {
        key = String((await send(target, o.headers)).status);
      } catch {
        key = 'error';
        await new Promise((r) => setTimeout(r, 20));
      }
      tally.byStatus[key] = (tally.byStatus[key] ?? 0) + 1;
    }
  };
  const workers = Array.from({ length: o.concurrency ?? 4 }, () => worker());
  return {
    tally,
    stop: async () => {
      running = false;
      await Promise.all(workers);
      return tally;
    },
  };
}
