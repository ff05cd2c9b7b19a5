// Splunk Observability SignalFlow fake: websocket /v2/signalflow/connect (authenticate,
// execute → STREAM_START, JOB_START, metadata, binary data messages, END_OF_CHANNEL)
// and REST GET /v2/metric?limit=1 with X-SF-Token.
// https://dev.splunk.com/observability/docs/signalflow/messages/
import { WebSocketServer } from 'ws';
import type { VendorServer, VendorState } from './common.js';
import { json } from './common.js';
import { type RecordedRequest, selfSignedCert } from '../stub-server.js';
import https from 'node:https';
import type { AddressInfo } from 'node:net';

/** A binary data message: 20-byte header, then timestamp, count and 17-byte points. */
export function dataMessage(channel: string, ts: number, points: { tsId: bigint; value: number }[]): Buffer {
  const header = Buffer.alloc(20);
  header.writeUInt8(1, 0); // version
  header.writeUInt8(5, 1); // data message
  header.write(channel, 4, 16, 'utf8');
  const body = Buffer.alloc(12 + 17 * points.length);
  body.writeBigUInt64BE(BigInt(ts), 0);
  body.writeUInt32BE(points.length, 8);
  points.forEach((p, i) => {
    body.writeUInt8(2, 12 + 17 * i); // double
    body.writeBigInt64BE(p.tsId, 13 + 17 * i);
    body.writeDoubleBE(p.value, 21 + 17 * i);
  });
  return Buffer.concat([header, body]);
}

export interface SplunkServer extends VendorServer {
  /** Extra time series to report (tests of "more than one series"). */
  series: number;
  readonly programs: string[];
}

export async function startSplunk(token: string): Promise<SplunkServer> {
  const tls = selfSignedCert();
  if (tls === undefined) throw new Error('openssl is needed for the HTTPS vendor fakes');
  const state: VendorState = { value: null };
  const requests: RecordedRequest[] = [];
  const programs: string[] = [];
  const server = https.createServer(tls, (req, res) => {
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    requests.push({ method: req.method ?? '', url, headers: req.headers, body: '' });
    if (req.headers['x-sf-token'] !== token) return json(res, 401, { code: 401, message: 'Unauthorized' });
    if (url.pathname !== '/v2/metric') return json(res, 404, { code: 404, message: 'Not found' });
    return json(res, 200, { count: 1, results: [{ name: 'demo.trans.latency' }] });
  });
  const wss = new WebSocketServer({ server, path: '/v2/signalflow/connect' });
  const out: SplunkServer = {
    url: '',
    requests,
    state,
    series: 1,
    programs,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
  wss.on('connection', (ws) => {
    let authed = false;
    ws.on('message', (raw: Buffer) => {
      const m = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
      if (m['type'] === 'authenticate') {
        if (m['token'] !== token) {
          ws.send(
            JSON.stringify({
              type: 'error',
              error: 401,
              errorType: 'UNAUTHORIZED',
              message: 'Invalid authentication token',
            }),
          );
          ws.close(4401, 'Unauthorized');
          return;
        }
        authed = true;
        ws.send(JSON.stringify({ type: 'authenticated', orgId: 'org1', userId: 'user1' }));
        return;
      }
      if (m['type'] !== 'execute' || !authed) return;
      const channel = String(m['channel']);
      const program = typeof m['program'] === 'string' ? m['program'] : '';
      programs.push(program);
      const start = Number(m['start']);
      const stop = Number(m['stop']);
      if (!program.includes('publish(') || !(start < stop)) {
        ws.send(
          JSON.stringify({
            type: 'error',
            channel,
            error: 400,
            errorType: 'ANALYTICS_PROGRAM_ERROR',
            message: 'Invalid program',
          }),
        );
        return;
      }
      ws.send(
        JSON.stringify({ type: 'control-message', channel, event: 'STREAM_START', timestampMs: Date.now() }),
      );
      ws.send(
        JSON.stringify({
          type: 'control-message',
          channel,
          event: 'JOB_START',
          handle: 'job1',
          timestampMs: Date.now(),
        }),
      );
      if (state.value !== null) {
        const points = Array.from({ length: out.series }, (_, i) => ({
          tsId: BigInt(1000 + i),
          value: state.value ?? 0,
        }));
        for (const p of points) {
          ws.send(
            JSON.stringify({
              type: 'metadata',
              channel,
              tsId: String(p.tsId),
              properties: { sf_metric: 'demo' },
            }),
          );
        }
        ws.send(
          dataMessage(
            channel,
            start,
            points.map((p) => ({ ...p, value: p.value + 100 })),
          ),
        );
        ws.send(dataMessage(channel, stop, points));
      }
      ws.send(
        JSON.stringify({
          type: 'control-message',
          channel,
          event: 'END_OF_CHANNEL',
          timestampMs: Date.now(),
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(out, { url: `https://127.0.0.1:${port}` });
}
