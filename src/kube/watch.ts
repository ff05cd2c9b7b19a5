// A raw watch: GET <path>?watch=true streams one JSON event per line ({"type": ADDED |
// MODIFIED | DELETED | BOOKMARK | ERROR, "object": ...}) until the server ends it or we abort.
// Same contract as client-node's Watch, which the informers used before: `start` resolves
// once the server has answered; `onDone` is called exactly once (null when the server closed
// the stream, the error otherwise, including a non-200 answer and our own abort).
import { KubeApiError, statusDetails } from './errors.js';
import { isRecord } from './json.js';
import type { KubeTransport } from './transport.js';

export type WatchEventHandler = (type: string, object: unknown) => void;
export type WatchDoneHandler = (err: unknown) => void;

export interface WatchRequest {
  /** The collection path; may carry a query string (labelSelector ...). */
  readonly path: string;
  /** Where to resume; '' = from now (the server sends the current state first). */
  readonly resourceVersion: string;
  /** BOOKMARK events keep resourceVersion fresh while nothing changes (fewer 410s on restart). */
  readonly allowWatchBookmarks?: boolean;
  /** Ask for another representation (metadata-only watches). */
  readonly accept?: string;
  /** The server ends the watch after this long (client-go: 5–10 min); default: the server's own limit. */
  readonly timeoutSeconds?: number;
}

/** Feeds every complete line of the stream to `onLine`; a partial line waits for the next chunk. */
class LineSplitter {
  readonly #onLine: (line: string) => void;
  #rest = '';

  constructor(onLine: (line: string) => void) {
    this.#onLine = onLine;
  }

  push(chunk: string): void {
    const text = this.#rest + chunk;
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      const line = text.slice(start, nl).trim();
      if (line !== '') this.#onLine(line);
      start = nl + 1;
    }
    this.#rest = text.slice(start);
  }
}

/**
 * Starts a watch. The returned controller aborts it (onDone then gets the abort error). A line
 * that is not JSON is skipped, as client-node did.
 */
export async function startWatch(
  transport: KubeTransport,
  req: WatchRequest,
  onEvent: WatchEventHandler,
  onDone: WatchDoneHandler,
): Promise<AbortController> {
  const controller = new AbortController();
  let done = false;
  const finish = (err: unknown): void => {
    if (done) return;
    done = true;
    controller.abort();
    onDone(err);
  };
  const query: Record<string, string> = { watch: 'true' };
  if (req.resourceVersion !== '') query['resourceVersion'] = req.resourceVersion;
  if (req.allowWatchBookmarks === true) query['allowWatchBookmarks'] = 'true';
  if (req.timeoutSeconds !== undefined) query['timeoutSeconds'] = String(req.timeoutSeconds);
  try {
    const res = await transport.open({
      method: 'GET',
      path: req.path,
      query,
      headers: req.accept === undefined ? undefined : { Accept: req.accept },
      signal: controller.signal,
    });
    if (res.statusCode !== 200) {
      res.setEncoding('utf8');
      let text = '';
      for await (const chunk of res) text += chunk as string;
      const status = statusDetails(res.statusCode ?? 0, text);
      finish(
        new KubeApiError('list', undefined, { ...status, message: `watch ${req.path}: ${status.message}` }),
      );
      return controller;
    }
    const lines = new LineSplitter((line) => {
      let event: unknown;
      try {
        event = JSON.parse(line);
      } catch {
        return;
      }
      if (isRecord(event) && typeof event['type'] === 'string') onEvent(event['type'], event['object']);
    });
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      if (!done) lines.push(chunk);
    });
    res.once('end', () => {
      finish(null);
    });
    res.once('error', finish);
    res.once('close', () => {
      // 'close' without 'end': the connection dropped mid-stream.
      finish(res.complete ? null : new Error(`watch ${req.path}: connection closed`));
    });
  } catch (err) {
    finish(err);
  }
  return controller;
}
