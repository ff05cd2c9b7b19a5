// Parses a `hey` command line (https://github.com/rakyll/hey flags) into a load plan for
// the built-in generator. Go `flag` syntax: -f v, -f=v, --f v; booleans only as -f or
// -f=true; parsing stops at the first non-flag word (the URL) or `--`.
import { readFileSync } from 'node:fs';
import { parseDurationMs } from '../api/defaults.js';

export class HeyFlagError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HeyFlagError';
  }
}

export interface HeyPlan {
  readonly url: URL;
  readonly method: string;
  /** Lower-case header names; -H values override the defaults. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer | undefined;
  /** Total requests (-n); ignored when durationMs is set. */
  readonly requests: number;
  readonly concurrency: number;
  /** Requests per second per worker (-q); 0 = unlimited. */
  readonly qpsPerWorker: number;
  /** -z; undefined = run until `requests` are done. */
  readonly durationMs: number | undefined;
  /** -t; 0 = none. */
  readonly requestTimeoutMs: number;
  readonly disableKeepAlive: boolean;
  readonly disableRedirects: boolean;
  /** What was ignored or capped, for the report. */
  readonly notes: readonly string[];
}

/** Caps that keep one load test from exhausting the load tester. */
export const HEY_MAX_WORKERS = 1000;
export const HEY_MAX_BODY_FILE_BYTES = 10 * 1024 * 1024;

type Kind = 'int' | 'float' | 'string' | 'duration' | 'list' | 'bool';
const FLAGS: Readonly<Record<string, Kind>> = {
  n: 'int',
  c: 'int',
  q: 'float',
  z: 'duration',
  t: 'int',
  m: 'string',
  H: 'list',
  A: 'string',
  d: 'string',
  D: 'string',
  T: 'string',
  a: 'string',
  x: 'string',
  host: 'string',
  o: 'string',
  cpus: 'int',
  h2: 'bool',
  'disable-compression': 'bool',
  'disable-keepalive': 'bool',
  'disable-redirects': 'bool',
};

interface RawFlags {
  readonly values: Map<string, string>;
  readonly headers: string[];
  readonly positional: string[];
}

function parseFlagWords(args: readonly string[]): RawFlags {
  const values = new Map<string, string>();
  const headers: string[] = [];
  let i = 0;
  for (; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--') {
      i++;
      break;
    }
    if (!arg.startsWith('-') || arg === '-') break;
    const body = arg.startsWith('--') ? arg.slice(2) : arg.slice(1);
    const eq = body.indexOf('=');
    const name = eq < 0 ? body : body.slice(0, eq);
    if (name === '' || name.startsWith('-')) throw new HeyFlagError(`bad flag syntax: ${arg}`);
    if (name === 'h' || name === 'help') throw new HeyFlagError('hey -h: help requested');
    const kind = Object.hasOwn(FLAGS, name) ? FLAGS[name] : undefined;
    if (kind === undefined) throw new HeyFlagError(`flag provided but not defined: -${name}`);
    let value: string;
    if (eq >= 0) value = body.slice(eq + 1);
    else if (kind === 'bool') value = 'true';
    else {
      const next = args[i + 1];
      if (next === undefined) throw new HeyFlagError(`flag needs an argument: -${name}`);
      value = next;
      i++;
    }
    if (kind === 'list') headers.push(value);
    else values.set(name, value);
  }
  return { values, headers, positional: args.slice(i) };
}

function num(raw: RawFlags, name: string, fallback: number, integer: boolean): number {
  const v = raw.values.get(name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || (integer && !Number.isInteger(n))) {
    throw new HeyFlagError(`invalid value ${JSON.stringify(v)} for flag -${name}`);
  }
  return n;
}

function bool(raw: RawFlags, name: string): boolean {
  const v = raw.values.get(name);
  if (v === undefined || v === 'false' || v === '0') return false;
  if (v === 'true' || v === '1') return true;
  throw new HeyFlagError(`invalid boolean value ${JSON.stringify(v)} for flag -${name}`);
}

function buildHeaders(raw: RawFlags): Record<string, string> {
  const headers: Record<string, string> = {
    'user-agent': 'flagger-ts-loadtester (hey-compatible)',
    'content-type': raw.values.get('T') ?? 'text/html',
  };
  if (!bool(raw, 'disable-compression')) headers['accept-encoding'] = 'gzip';
  const accept = raw.values.get('A');
  if (accept !== undefined) headers['accept'] = accept;
  const auth = raw.values.get('a');
  if (auth !== undefined) {
    if (!auth.includes(':')) throw new HeyFlagError('-a must be user:password');
    headers['authorization'] = `Basic ${Buffer.from(auth).toString('base64')}`;
  }
  const host = raw.values.get('host');
  if (host !== undefined) headers['host'] = host;
  for (const h of raw.headers) {
    const m = /^([\w-]+):\s*(.*)$/.exec(h);
    if (!m?.[1]) throw new HeyFlagError(`could not parse the provided header ${JSON.stringify(h)}`);
    headers[m[1].toLowerCase()] = m[2] ?? '';
  }
  return headers;
}

function readBodyFlag(raw: RawFlags): Buffer | undefined {
  const file = raw.values.get('D');
  if (file === undefined) {
    const d = raw.values.get('d');
    return d === undefined ? undefined : Buffer.from(d);
  }
  let body: Buffer;
  try {
    body = readFileSync(file);
  } catch (err) {
    throw new HeyFlagError(`cannot read -D ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (body.length > HEY_MAX_BODY_FILE_BYTES)
    throw new HeyFlagError(`-D ${file} is larger than ${HEY_MAX_BODY_FILE_BYTES} bytes`);
  return body;
}

function parseTarget(raw: RawFlags, notes: string[]): URL {
  const [target, ...extra] = raw.positional;
  if (target === undefined) throw new HeyFlagError('hey: the URL to load is missing');
  if (extra.length > 0) notes.push(`ignored arguments after the URL: ${extra.join(' ')}`);
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new HeyFlagError(`invalid URL ${JSON.stringify(target)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new HeyFlagError(`unsupported URL scheme ${url.protocol}`);
  return url;
}

/** `args` are the words after `hey`. */
export function parseHeyArgs(args: readonly string[]): HeyPlan {
  const raw = parseFlagWords(args);
  const notes: string[] = [];
  if (raw.values.has('x'))
    throw new HeyFlagError('-x (HTTP proxy) is not supported by the built-in load generator');
  const o = raw.values.get('o');
  if (o !== undefined && o !== 'csv')
    throw new HeyFlagError(`invalid output type ${JSON.stringify(o)}; only csv is supported`);
  if (o !== undefined) notes.push('-o csv ignored: the built-in generator reports a summary');
  if (bool(raw, 'h2')) notes.push('-h2 ignored: HTTP/1.1 is used');
  if (raw.values.has('cpus')) notes.push('-cpus ignored');

  const z = raw.values.get('z');
  const durationMs = z === undefined ? undefined : parseDurationMs(z);
  if (z !== undefined && (durationMs === undefined || durationMs < 0))
    throw new HeyFlagError(`invalid value ${JSON.stringify(z)} for flag -z`);
  const requests = num(raw, 'n', 200, true);
  let concurrency = num(raw, 'c', 50, true);
  if (concurrency <= 0 || (!durationMs && requests <= 0))
    throw new HeyFlagError('-n and -c cannot be smaller than 1');
  if (!durationMs && requests < concurrency) throw new HeyFlagError('-n cannot be less than -c');
  if (concurrency > HEY_MAX_WORKERS) {
    notes.push(`-c ${concurrency} capped at ${HEY_MAX_WORKERS} workers`);
    concurrency = HEY_MAX_WORKERS;
  }
  const qps = num(raw, 'q', 0, false);
  const timeoutS = num(raw, 't', 20, true);
  if (qps < 0 || timeoutS < 0) throw new HeyFlagError('-q and -t cannot be negative');
  return {
    url: parseTarget(raw, notes),
    method: (raw.values.get('m') ?? 'GET').toUpperCase(),
    headers: buildHeaders(raw),
    body: readBodyFlag(raw),
    requests,
    concurrency,
    qpsPerWorker: qps,
    durationMs: durationMs === 0 ? undefined : durationMs,
    requestTimeoutMs: timeoutS * 1000,
    disableKeepAlive: bool(raw, 'disable-keepalive'),
    disableRedirects: bool(raw, 'disable-redirects'),
    notes,
  };
}
