// A fake Prometheus for analysis tests: a real local HTTP server whose answers are
// chosen by rules (the first rule whose pattern occurs in the query answers; else 100),
// plus MetricCheckDeps backed by in-memory templates and secrets.
import type { ServerResponse } from 'node:http';
import type { MetricTemplate } from '../../../src/api/metric-template.js';
import type { MetricCheckDeps } from '../../../src/metrics/analysis.js';
import { type StubServer, sendJson, startStub, vectorBody } from './stub-server.js';

export type Rule = [pattern: string, respond: (res: ServerResponse) => void];

export class FakePrometheus {
  rules: Rule[] = [];
  #server: StubServer | undefined;

  async start(): Promise<void> {
    this.#server = await startStub((req, res) => {
      const q = req.url.searchParams.get('query') ?? '';
      const rule = this.rules.find(([pattern]) => q.includes(pattern));
      if (rule) rule[1](res);
      else sendJson(res, 200, vectorBody('100'));
    });
  }

  get server(): StubServer {
    if (!this.#server) throw new Error('FakePrometheus not started');
    return this.#server;
  }

  get url(): string {
    return this.server.url;
  }

  reset(): void {
    this.rules = [];
    this.server.requests.length = 0;
  }

  queries(): string[] {
    return this.server.requests.map((r) => r.url.searchParams.get('query') ?? '');
  }

  close(): Promise<void> {
    return this.server.close();
  }
}

/** Answers with a one-series vector holding `v`. */
export const value =
  (v: string) =>
  (res: ServerResponse): void => {
    sendJson(res, 200, vectorBody(v));
  };

export interface Lookups {
  templates: string[];
  secrets: string[];
}

export function metricDeps(
  metricsServer: string,
  templates: MetricTemplate[] = [],
  secrets: Record<string, Record<string, string>> = {},
  over: Partial<MetricCheckDeps> = {},
): MetricCheckDeps & { lookups: Lookups } {
  const lookups: Lookups = { templates: [], secrets: [] };
  return {
    metricsServer,
    meshProvider: 'istio',
    lookups,
    getMetricTemplate: (ns, name) => {
      lookups.templates.push(`${ns}/${name}`);
      return Promise.resolve(templates.find((t) => t.metadata.name === name && t.metadata.namespace === ns));
    },
    getSecretData: (ns, name) => {
      lookups.secrets.push(`${ns}/${name}`);
      return Promise.resolve(secrets[`${ns}/${name}`]);
    },
    ...over,
  };
}
