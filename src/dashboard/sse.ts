// A server-sent-events channel to one browser tab. Data is pushed when a Kubernetes
// watch reports a change (coalesced for a few milliseconds so a burst of events makes
// one message); the only timer is a comment line that keeps idle proxies from closing
// the connection, never a poll of the API server.
import type { IncomingMessage, ServerResponse } from 'node:http';

const HEARTBEAT_MS = 20_000;
const COALESCE_MS = 25;

export class SseChannel {
  readonly #res: ServerResponse;
  readonly #heartbeat: NodeJS.Timeout;
  readonly #onClose: (() => void)[] = [];
  #pending: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(req: IncomingMessage, res: ServerResponse) {
    this.#res = res;
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Accel-Buffering': 'no',
      Connection: 'keep-alive',
    });
    res.write(': connected\n\n');
    this.#heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
    req.on('close', () => {
      this.close();
    });
  }

  get closed(): boolean {
    return this.#closed;
  }

  onClose(fn: () => void): void {
    this.#onClose.push(fn);
  }

  send(event: string, data: unknown): void {
    if (this.#closed) return;
    this.#res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  /** Calls `render` once after a short quiet period; repeated calls within it coalesce. */
  schedule(render: () => void): void {
    if (this.#closed || this.#pending !== undefined) return;
    this.#pending = setTimeout(() => {
      this.#pending = undefined;
      if (!this.#closed) render();
    }, COALESCE_MS);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#heartbeat);
    if (this.#pending !== undefined) clearTimeout(this.#pending);
    for (const fn of this.#onClose) fn();
    this.#res.end();
  }
}
