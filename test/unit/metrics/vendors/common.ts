// Shared shape of the vendor API fakes: an HTTPS server on 127.0.0.1 (self-signed)
// whose answer is the value a test sets — a number, null (no data) or an error.
import type http from 'node:http';
import { type RecordedRequest, type StubServer, selfSignedCert, startStub } from '../stub-server.js';

export interface VendorState {
  /** The value the next query reports; null = the backend has no data for it. */
  value: number | null;
  /** When set, queries fail with this HTTP status and the vendor's error body. */
  failWith?: number | undefined;
}

export interface VendorServer {
  readonly url: string;
  readonly requests: RecordedRequest[];
  readonly state: VendorState;
  close(): Promise<void>;
}

/** Sends a JSON answer; returns true so handlers can `return json(...)`. */
export function json(res: http.ServerResponse, status: number, body: unknown): true {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
  return true;
}

export async function startVendor(
  handler: (req: RecordedRequest, res: http.ServerResponse, state: VendorState) => unknown,
): Promise<VendorServer> {
  const tls = selfSignedCert();
  if (tls === undefined) throw new Error('openssl is needed for the HTTPS vendor fakes');
  const state: VendorState = { value: null };
  const stub: StubServer = await startStub((req, res) => {
    handler(req, res, state);
  }, tls);
  return { url: stub.url, requests: stub.requests, state, close: () => stub.close() };
}
