// A real HTTP server standing in for webhook receivers (gates, hooks): records each
// payload by path and answers with a status the test can change at any time.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestContext } from 'node:test';

export interface ReceivedHook {
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: { name?: string; namespace?: string; phase?: string; metadata?: Record<string, string> };
}

export interface WebhookServer {
  readonly url: (path: string) => string;
  readonly received: ReceivedHook[];
  /** Status to answer on `path` (default 200). */
  setStatus(path: string, status: number): void;
  /** Never answer on `path` (a receiver that hangs); held requests are dropped at teardown. */
  hang(path: string): void;
  /** Answer `path` again from now on (requests already held stay held). */
  release(path: string): void;
  count(path: string): number;
}

export async function startWebhookServer(t: TestContext): Promise<WebhookServer> {
  const received: ReceivedHook[] = [];
  const statuses = new Map<string, number>();
  const hanging = new Set<string>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      let body: ReceivedHook['body'] = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ReceivedHook['body'];
      } catch {
        /* recorded as empty */
      }
      received.push({ path, headers: req.headers, body });
      if (hanging.has(path)) return;
      res.statusCode = statuses.get(path) ?? 200;
      res.end(res.statusCode < 300 ? 'OK' : `refused by ${path}`);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(
    () =>
      new Promise<void>((r) => {
        server.close(() => {
          r();
        });
        server.closeAllConnections();
      }),
  );
  const port = (server.address() as AddressInfo).port;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    received,
    setStatus: (path, status) => statuses.set(path, status),
    hang: (path) => hanging.add(path),
    release: (path) => hanging.delete(path),
    count: (path) => received.filter((r) => r.path === path).length,
  };
}
