// A minimal SignalFlow v2 websocket client: connect to <stream>/connect, authenticate,
// execute one program on one channel and collect its data points until END_OF_CHANNEL.
// Messages: https://dev.splunk.com/observability/docs/signalflow/messages/ — text
// messages are JSON; data messages are binary: a 20-byte header (version, type, flags
// [1 = gzip, 2 = JSON], reserved, 16-byte channel name), then (after gunzip) a
// timestamp (u64), a count (u32) and count × 17-byte points: value type (u8:
// 1 long, 2 double, 3 int32), tsId (8 bytes), value (8 bytes, big-endian).
import { gunzipSync } from 'node:zlib';

// ws is loaded on the first SignalFlow query: most operators never use SignalFx.
let wsModule: Promise<typeof import('ws')> | undefined;
const loadWs = (): Promise<typeof import('ws')> => (wsModule ??= import('ws'));

export interface SignalFlowPoint {
  readonly tsId: string;
  readonly value: number | undefined;
}

export interface SignalFlowRequest {
  readonly streamUrl: string;
  readonly token: string;
  readonly program: string;
  readonly startMs: number;
  readonly stopMs: number;
  readonly timeoutMs: number;
  readonly insecureSkipVerify?: boolean | undefined;
  readonly signal?: AbortSignal | undefined;
}

export class SignalFlowError extends Error {
  override readonly name = 'SignalFlowError';
  readonly timedOut: boolean;
  readonly transport: boolean;
  constructor(message: string, o: { timedOut?: boolean; transport?: boolean } = {}) {
    super(message);
    this.timedOut = o.timedOut === true;
    this.transport = o.transport === true;
  }
}

const CHANNEL = 'ch-1';

function decodeBinary(buf: Buffer): SignalFlowPoint[] | Record<string, unknown> | undefined {
  if (buf.length <= 20)
    throw new SignalFlowError(`expected SignalFlow message of at least 21 bytes, got ${buf.length}`);
  const flags = buf.readUInt8(2);
  let rest = buf.subarray(20);
  if ((flags & 1) !== 0) rest = gunzipSync(rest);
  if ((flags & 2) !== 0) return JSON.parse(rest.toString('utf8')) as Record<string, unknown>;
  if (buf.readUInt8(1) !== 5) return undefined; // only data messages (type 5) carry points
  const count = rest.readUInt32BE(8);
  const points: SignalFlowPoint[] = [];
  for (let i = 0; i < count; i++) {
    const at = 12 + 17 * i;
    const type = rest.readUInt8(at);
    const tsId = rest.readBigInt64BE(at + 1).toString();
    const v = at + 9;
    const value =
      type === 1
        ? Number(rest.readBigInt64BE(v))
        : type === 2
          ? rest.readDoubleBE(v)
          : type === 3
            ? rest.readInt32BE(v)
            : undefined;
    points.push({ tsId, value });
  }
  return points;
}

/** Runs the program and resolves with every point received on its channel, in order. */
export async function runSignalFlow(r: SignalFlowRequest): Promise<SignalFlowPoint[]> {
  const { default: WebSocket } = await loadWs();
  return new Promise((resolve, reject) => {
    const points: SignalFlowPoint[] = [];
    const url = `${r.streamUrl.replace(/\/+$/, '')}/connect`;
    const ws = new WebSocket(url, {
      rejectUnauthorized: r.insecureSkipVerify !== true,
      handshakeTimeout: r.timeoutMs,
    });
    let settled = false;
    const finish = (err: SignalFlowError | undefined): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      r.signal?.removeEventListener('abort', onAbort);
      ws.removeAllListeners();
      ws.on('error', () => undefined); // a late socket error after terminate is not news
      ws.terminate();
      if (err === undefined) resolve(points);
      else reject(err);
    };
    const timer = setTimeout(() => {
      finish(new SignalFlowError(`signalflow did not finish within ${r.timeoutMs}ms`, { timedOut: true }));
    }, r.timeoutMs);
    const onAbort = (): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      ws.terminate();
      reject(r.signal?.reason instanceof Error ? r.signal.reason : new Error('aborted'));
    };
    r.signal?.addEventListener('abort', onAbort, { once: true });

    const handleJson = (m: Record<string, unknown>): void => {
      const type = m['type'];
      if (type === 'authenticated') {
        ws.send(
          JSON.stringify({
            type: 'execute',
            program: r.program,
            channel: CHANNEL,
            start: r.startMs,
            stop: r.stopMs,
            resolution: 0,
            maxDelay: 0,
            immediate: true,
            timezone: '',
          }),
        );
      } else if (type === 'error') {
        const msg = typeof m['message'] === 'string' ? m['message'] : JSON.stringify(m);
        finish(
          new SignalFlowError(`error executing query: ${JSON.stringify(m['error'] ?? '')} ${msg}`.trim()),
        );
      } else if (type === 'control-message' && m['channel'] === CHANNEL) {
        const event = m['event'];
        if (event === 'END_OF_CHANNEL') finish(undefined);
        else if (event === 'CHANNEL_ABORT') {
          const abort = m['abortInfo'] as { sf_job_abortReason?: unknown } | undefined;
          finish(
            new SignalFlowError(
              `error executing query: channel aborted ${JSON.stringify(abort?.sf_job_abortReason ?? '')}`.trim(),
            ),
          );
        }
      }
    };

    ws.on('open', () => {
      ws.send(JSON.stringify({ type: 'authenticate', token: r.token }));
    });
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      try {
        if (!isBinary) {
          handleJson(JSON.parse(data.toString('utf8')) as Record<string, unknown>);
          return;
        }
        const decoded = decodeBinary(data);
        if (Array.isArray(decoded)) points.push(...decoded);
        else if (decoded !== undefined) handleJson(decoded);
      } catch (err) {
        finish(
          new SignalFlowError(
            `error decoding signalflow message: ${err instanceof Error ? err.message : String(err)}`,
          ),
        );
      }
    });
    ws.on('error', (err) => {
      finish(new SignalFlowError(`request failed: ${err.message}`, { transport: true }));
    });
    ws.on('close', (code, reason) => {
      finish(
        new SignalFlowError(`signalflow connection closed (${code} ${reason.toString('utf8')})`, {
          transport: true,
        }),
      );
    });
  });
}
