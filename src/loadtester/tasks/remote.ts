// Helpers for task types that drive a remote service over HTTP (concord, ngrinder).
import { errorMessage } from '../errors.js';

export interface JsonCall {
  readonly method: string;
  readonly url: URL;
  readonly headers?: Record<string, string>;
  readonly body?: FormData;
  readonly signal: AbortSignal;
  readonly timeoutMs: number;
}

/** One request; non-2xx answers and non-JSON bodies are errors. */
export async function fetchJson(call: JsonCall): Promise<unknown> {
  const init: RequestInit = {
    method: call.method,
    headers: call.headers ?? {},
    signal: AbortSignal.any([call.signal, AbortSignal.timeout(call.timeoutMs)]),
  };
  if (call.body !== undefined) init.body = call.body;
  const res = await fetch(call.url, init);
  const text = await res.text();
  if (!res.ok) throw new Error(`${call.method} ${call.url.href}: HTTP ${res.status}: ${text.slice(0, 500)}`);
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new Error(
      `${call.method} ${call.url.href}: invalid JSON (${errorMessage(err)}): ${text.slice(0, 500)}`,
    );
  }
}

/** A non-negative number of seconds ("5", "0.5"), as milliseconds; undefined if not one. */
export function secondsToMs(value: string): number | undefined {
  return /^\d+(\.\d+)?$/.test(value.trim()) ? Number(value) * 1000 : undefined;
}
