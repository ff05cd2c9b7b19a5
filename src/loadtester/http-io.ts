// Request-body reading with a hard size limit, and plain-text replies.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError } from './errors.js';

export interface Reply {
  readonly status: number;
  readonly body?: string;
  readonly contentType?: string;
}

/** Reads the whole body, rejecting with 413 as soon as it is known to exceed `limit` bytes. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const tooLarge = (): HttpError => new HttpError(413, `request body larger than ${limit} bytes`);
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    return Promise.reject(tooLarge());
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (err: Error | null): void => {
      if (done) return;
      done = true;
      req.off('data', onData);
      if (err) {
        req.resume();
        reject(err);
      } else resolve(Buffer.concat(chunks, size));
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) finish(tooLarge());
      else chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => {
      finish(null);
    });
    req.once('error', (err) => {
      finish(new HttpError(400, `reading the request body failed: ${err.message}`));
    });
  });
}

/** Writes a reply unless the response is already under way or the client went away. */
export function sendReply(res: ServerResponse, reply: Reply, closeConnection = false): void {
  if (res.headersSent || res.writableEnded || res.destroyed) return;
  const headers: Record<string, string> = {};
  if (reply.body !== undefined) headers['content-type'] = reply.contentType ?? 'text/plain; charset=utf-8';
  if (closeConnection) headers['connection'] = 'close';
  res.writeHead(reply.status, headers);
  res.end(reply.body);
}
