// Keptn (metrics.keptn.sh/v1beta1), through the operator's own Kubernetes access.
// Query: keptnmetric|analysis/<namespace>/<name>[/<timeframe>[/<k=v;k2=v2>]], lower-cased
// first (as Flagger does, so names and arguments are lower case too).
// - keptnmetric: the KeptnMetric's status.value, parsed as a float.
// - analysis: creates an Analysis of the AnalysisDefinition <name> (timeframe.recent,
//   default 1m; args), polls it every second until status.state is Completed, returns 1
//   when status.pass is true and 0 otherwise, and deletes it. Bounded by 10 s.
import { randomUUID } from 'node:crypto';
import type { KubeClient } from '../../kube/client.js';
import type { KubeObject, ObjectRef } from '../../kube/types.js';
import {
  type MetricProvider,
  NoValuesError,
  ProviderConfigError,
  ProviderHttpError,
  ProviderUnreachableError,
} from './provider.js';
import type { ProviderFactory } from './registry.js';

export const KEPTN_API_VERSION = 'metrics.keptn.sh/v1beta1';
export const KEPTN_ANALYSIS_TIMEOUT_MS = 10_000;
const POLL_MS = 1_000;

export interface KeptnQuery {
  readonly kind: 'KeptnMetric' | 'Analysis';
  readonly namespace: string;
  readonly name: string;
  readonly timeframe: string;
  readonly args: Readonly<Record<string, string>>;
}

export function parseKeptnQuery(query: string): KeptnQuery {
  const parts = query.toLowerCase().replace(/\n$/, '').trim().split('/');
  if (parts.length < 3) {
    throw new ProviderHttpError(
      'unexpected query format. query must be in the format <keptnmetric|analysis>/<namespace>/<resourceName>/<duration>/<arguments>',
      0,
      '',
    );
  }
  const [resource = '', namespace = '', name = '', timeframe, rawArgs] = parts;
  let kind: KeptnQuery['kind'];
  if (resource === 'keptnmetric' || resource === 'keptnmetrics') kind = 'KeptnMetric';
  else if (resource === 'analysis' || resource === 'analyses') kind = 'Analysis';
  else {
    throw new ProviderHttpError(
      "unexpected resource kind provided in the query. must be one of: ['keptnmetric', 'analysis']",
      0,
      '',
    );
  }
  const args: Record<string, string> = {};
  for (const pair of kind === 'Analysis' && rawArgs !== undefined ? rawArgs.split(';') : []) {
    const kv = pair.split('=');
    if (kv.length === 2 && kv[0] !== undefined && kv[1] !== undefined) args[kv[0]] = kv[1];
  }
  return { kind, namespace, name, timeframe: kind === 'Analysis' ? (timeframe ?? '1m') : '', args };
}

export interface KeptnOptions {
  readonly client: KubeClient;
  readonly analysisTimeoutMs?: number | undefined;
  readonly pollMs?: number | undefined;
}

const errText = (err: unknown): string => (err instanceof Error ? err.message : String(err));
// A function, so TypeScript does not narrow `signal.aborted` across awaits.
const aborted = (signal: AbortSignal | undefined): boolean => signal?.aborted === true;

function record(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined;
}

export class KeptnProvider implements MetricProvider {
  readonly #client: KubeClient;
  readonly #timeoutMs: number;
  readonly #pollMs: number;

  constructor(o: KeptnOptions) {
    this.#client = o.client;
    this.#timeoutMs = o.analysisTimeoutMs ?? KEPTN_ANALYSIS_TIMEOUT_MS;
    this.#pollMs = o.pollMs ?? POLL_MS;
  }

  async runQuery(query: string, signal?: AbortSignal): Promise<number> {
    const q = parseKeptnQuery(query);
    return q.kind === 'KeptnMetric' ? this.#metric(q, signal) : this.#analysis(q, signal);
  }

  /** Flagger's Keptn provider is always online: it only talks to the API server. */
  isOnline(): Promise<boolean> {
    return Promise.resolve(true);
  }

  async #metric(q: KeptnQuery, signal: AbortSignal | undefined): Promise<number> {
    const where = `${q.namespace}/${q.name}`;
    let obj: KubeObject | undefined;
    try {
      obj = await this.#client.get(
        { apiVersion: KEPTN_API_VERSION, kind: 'KeptnMetric', namespace: q.namespace, name: q.name },
        { signal },
      );
    } catch (err) {
      if (aborted(signal)) throw err;
      throw new ProviderUnreachableError(`could not retrieve KeptnMetric ${where}: ${errText(err)}`);
    }
    if (obj === undefined)
      throw new ProviderHttpError(`could not retrieve KeptnMetric ${where}: not found`, 404, '');
    const value = record(obj['status'])?.['value'];
    if (typeof value !== 'string') {
      throw new NoValuesError(`could not retrieve KeptnMetric - no value found in resource ${where}`);
    }
    const n = value.trim() === '' ? Number.NaN : Number(value);
    if (Number.isNaN(n)) {
      throw new ProviderHttpError(
        `could not parse value of KeptnMetric ${where} to float: "${value.slice(0, 40)}"`,
        200,
        '',
      );
    }
    return n;
  }

  async #analysis(q: KeptnQuery, signal: AbortSignal | undefined): Promise<number> {
    const where = `${q.namespace}/${q.name}`;
    const name = `${q.name}-${randomUUID().slice(0, 6)}`;
    const ref: ObjectRef = { apiVersion: KEPTN_API_VERSION, kind: 'Analysis', namespace: q.namespace, name };
    try {
      await this.#client.create(
        {
          apiVersion: KEPTN_API_VERSION,
          kind: 'Analysis',
          metadata: { name, namespace: q.namespace },
          spec: { analysisDefinition: { name: q.name }, timeframe: { recent: q.timeframe }, args: q.args },
        },
        { signal },
      );
    } catch (err) {
      if (aborted(signal)) throw err;
      throw new ProviderHttpError(`could not create Keptn Analysis ${where}: ${errText(err)}`, 0, '');
    }
    try {
      return await this.#await(ref, where, signal);
    } finally {
      // Best effort, as Flagger: a leftover Analysis is harmless and visible.
      await this.#client.delete(ref).catch(() => undefined);
    }
  }

  async #await(ref: ObjectRef, where: string, signal: AbortSignal | undefined): Promise<number> {
    const deadline = Date.now() + this.#timeoutMs;
    for (;;) {
      await new Promise((r) => setTimeout(r, this.#pollMs));
      if (aborted(signal)) throw signal?.reason instanceof Error ? signal.reason : new Error('aborted');
      if (Date.now() > deadline) {
        throw new ProviderUnreachableError(
          `encountered timeout while waiting for Keptn Analysis ${where} to be finished`,
          true,
        );
      }
      let obj: KubeObject | undefined;
      try {
        obj = await this.#client.get(ref, { signal });
      } catch (err) {
        if (aborted(signal)) throw err;
        throw new ProviderHttpError(
          `could not check status of created Keptn Analysis ${where}: ${errText(err)}`,
          0,
          '',
        );
      }
      const status = record(obj?.['status']);
      if (status?.['state'] === 'Completed' && typeof status['pass'] === 'boolean')
        return status['pass'] ? 1 : 0;
    }
  }
}

export const createKeptn: ProviderFactory = ({ kube, timeoutMs }) => {
  if (kube === undefined)
    throw new ProviderConfigError('could not initialize KeptnProvider: no KubeConfig provided');
  return new KeptnProvider({ client: kube.client, analysisTimeoutMs: timeoutMs });
};
