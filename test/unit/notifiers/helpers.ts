// Shared fixtures for notifier tests: alert messages, AlertProviders, a capturing logger
// and a recording chat-service stub.
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { pino, type Logger } from 'pino';
import { type AlertProvider, AlertProviderSchema } from '../../../src/api/alert-provider.js';
import type { AlertMessage } from '../../../src/notifiers/notifier.js';
import type { AlertResolver } from '../../../src/notifiers/routing.js';
import { type RecordedRequest, type StubServer, startStub } from '../metrics/stub-server.js';

export const message = (over: Partial<AlertMessage> = {}): AlertMessage => ({
  canaryName: 'podinfo',
  namespace: 'test',
  phase: 'Progressing',
  severity: 'info',
  message: 'New revision detected, progressing canary analysis.',
  fields: [
    { name: 'Target', value: 'Deployment/podinfo.test' },
    { name: 'Failed checks threshold', value: '5' },
  ],
  ...over,
});

export function alertProvider(name: string, namespace: string, spec: Record<string, unknown>): AlertProvider {
  return AlertProviderSchema.parse({
    apiVersion: 'flagger.app/v1beta1',
    kind: 'AlertProvider',
    metadata: { name, namespace },
    spec,
  });
}

/** A resolver over in-memory maps keyed "ns/name"; records lookups. */
export function memResolver(
  providers: Record<string, unknown>,
  secrets: Record<string, Record<string, string>> = {},
): AlertResolver & { lookups: string[] } {
  const lookups: string[] = [];
  return {
    lookups,
    getAlertProvider: (ns, name) => {
      lookups.push(`provider ${ns}/${name}`);
      return providers[`${ns}/${name}`];
    },
    getSecretData: (ns, name) => {
      lookups.push(`secret ${ns}/${name}`);
      return Promise.resolve(secrets[`${ns}/${name}`]);
    },
  };
}

export interface CapturedLogger {
  readonly logger: Logger;
  readonly lines: Record<string, unknown>[];
  /** Every log line as raw JSON text (for "never logs the secret" checks). */
  readonly text: () => string;
}

export function captureLogger(): CapturedLogger {
  const lines: Record<string, unknown>[] = [];
  const raw: string[] = [];
  const logger = pino(
    { level: 'debug' },
    {
      write: (s: string) => {
        raw.push(s);
        lines.push(JSON.parse(s) as Record<string, unknown>);
      },
    },
  );
  return { logger, lines, text: () => raw.join('') };
}

export type Responder = (req: RecordedRequest, res: ServerResponse) => void | Promise<void>;

export const ok: Responder = (_req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end('ok');
};

export interface ChatStub extends StubServer {
  /** How the next requests are answered (default: 200 "ok"). */
  respond: Responder;
}

/** A chat-service stand-in whose answer can be swapped per test. */
export async function chatStub(): Promise<ChatStub> {
  const self: { respond: Responder } = { respond: ok };
  const stub = await startStub((req, res) => self.respond(req, res));
  return Object.assign(self, stub);
}

export function onlyRequest(stub: StubServer): RecordedRequest {
  assert.equal(stub.requests.length, 1, `expected one request, got ${stub.requests.length}`);
  const r = stub.requests[0];
  assert.ok(r);
  return r;
}

export const jsonOf = (r: RecordedRequest): unknown => JSON.parse(r.body);

/** The Slack payload Flagger sends, written out once: tests name only what differs. */
export function slackBody(o: {
  channel: string;
  text: string;
  fields: readonly { title: string; value: string; short: boolean }[];
  color?: string;
}): unknown {
  return {
    channel: o.channel,
    username: 'flagger',
    icon_url: '',
    icon_emoji: ':rocket:',
    attachments: [
      {
        color: o.color ?? 'good',
        author_name: 'podinfo.test',
        text: o.text,
        mrkdwn_in: ['text'],
        fields: o.fields,
      },
    ],
  };
}
