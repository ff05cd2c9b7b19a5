// The dispatcher end to end against local chat stand-ins: secretRef overrides, the global
// notifier, templates, and outages that are logged and counted but never thrown.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { Registry } from 'prom-client';
import { createAlertDispatcher, sendAlert } from '../../../src/notifiers/dispatch.js';
import { ALERTS_TOTAL, registerAlertMetrics } from '../../../src/notifiers/metrics.js';
import type { AlertResolver } from '../../../src/notifiers/routing.js';
import { canary } from '../metrics/fixtures.js';
import { closedPort, hang } from '../metrics/stub-server.js';
import {
  type ChatStub,
  alertProvider,
  captureLogger,
  chatStub,
  jsonOf,
  slackBody,
  memResolver,
  message,
  ok,
  onlyRequest,
} from './helpers.js';

let chat: ChatStub;
let other: ChatStub;
let deadPort: number;
before(async () => {
  [chat, other] = await Promise.all([chatStub(), chatStub()]);
  deadPort = await closedPort();
});
after(async () => {
  await Promise.all([chat.close(), other.close()]);
});
beforeEach(() => {
  for (const s of [chat, other]) {
    s.requests.length = 0;
    s.respond = ok;
  }
});

const withAlerts = (alerts: unknown[]) =>
  canary([], { analysis: { interval: '1m', threshold: 5, stepWeight: 10, alerts } });
const oneAlert = withAlerts([{ name: 'team', severity: 'info', providerRef: { name: 'chat' } }]);
const alert = {
  severity: 'info',
  message: 'Canary analysis completed successfully, promotion finished.',
  fields: [],
} as const;

async function counts(registry: Registry): Promise<Record<string, number>> {
  const m = await registry.getSingleMetric(ALERTS_TOTAL)?.get();
  return Object.fromEntries(
    (m?.values ?? []).map((v) => [`${String(v.labels['provider'])}/${String(v.labels['result'])}`, v.value]),
  );
}

describe('createAlertDispatcher', () => {
  it('posts to the Secret address with its token, adds Cluster, and counts the delivery', async () => {
    const registry = new Registry();
    const { logger, text } = captureLogger();
    const d = createAlertDispatcher({
      resolver: memResolver(
        {
          'test/chat': alertProvider('chat', 'test', {
            type: 'slack',
            channel: 'deploys',
            address: `http://127.0.0.1:${deadPort}/spec-address`,
            secretRef: { name: 'slack-secret' },
          }),
        },
        { 'test/slack-secret': { address: `${chat.url}/services/SECRETPATH`, token: 'xoxb-SECRET' } },
      ),
      logger,
      clusterName: 'prod-eu',
      count: registerAlertMetrics(registry),
    });
    const report = await d.send(oneAlert, alert, { phase: 'Succeeded' });
    assert.deepEqual(report, { sent: 1, failed: 0, invalid: 0 });
    const req = onlyRequest(chat);
    assert.equal(req.url.pathname, '/services/SECRETPATH');
    assert.equal(req.headers.authorization, 'Bearer xoxb-SECRET');
    assert.deepEqual(
      jsonOf(req),
      slackBody({
        channel: 'deploys',
        text: 'Canary analysis completed successfully, promotion finished.',
        fields: [{ title: 'Cluster', value: 'prod-eu', short: false }],
      }),
    );
    assert.deepEqual(await counts(registry), { 'slack/sent': 1 });
    assert.ok(!text().includes('SECRET'));
  });

  it('uses the global notifier (MS Teams over Slack) when the canary has no alerts', async () => {
    const d = createAlertDispatcher({
      resolver: memResolver({}),
      logger: captureLogger().logger,
      global: { slackUrl: other.url, slackChannel: 'general', msteamsUrl: `${chat.url}/teams` },
    });
    const report = await d.send(withAlerts([]), {
      ...alert,
      severity: 'error',
      message: 'Failed checks threshold reached 5',
    });
    assert.deepEqual(report, { sent: 1, failed: 0, invalid: 0 });
    assert.equal(other.requests.length, 0);
    const body = jsonOf(onlyRequest(chat)) as { themeColor: string; sections: { activityTitle: string }[] };
    assert.equal(body.themeColor, 'FF0000');
    assert.equal(body.sections[0]?.activityTitle, 'Failed checks threshold reached 5');
  });

  it('renders the messageTemplate, and sends the default text when the template has a typo', async () => {
    const { logger, lines } = captureLogger();
    const d = createAlertDispatcher({
      resolver: memResolver({
        'test/good': alertProvider('good', 'test', {
          type: 'webhook',
          address: `${chat.url}/good`,
          messageTemplate: '{{ name }} in {{ namespace }} is {{ phase }}: {{ message }}',
        }),
        'test/typo': alertProvider('typo', 'test', {
          type: 'webhook',
          address: `${other.url}/typo`,
          messageTemplate: '{{ nmae }}: {{ message }}',
        }),
      }),
      logger,
    });
    const c = withAlerts([
      { name: 'good', providerRef: { name: 'good' } },
      { name: 'typo', providerRef: { name: 'typo' } },
    ]);
    const report = await d.send(c, alert, { phase: 'Succeeded' });
    assert.deepEqual(report, { sent: 2, failed: 0, invalid: 0 });
    const good = jsonOf(onlyRequest(chat)) as { message: string };
    assert.equal(
      good.message,
      'podinfo in test is Succeeded: Canary analysis completed successfully, promotion finished.',
    );
    const typo = jsonOf(onlyRequest(other)) as { message: string };
    assert.equal(typo.message, 'Canary analysis completed successfully, promotion finished.');
    const warn = lines.find((l) => l['msg'] === 'alert messageTemplate error; sending the default text');
    assert.equal(warn?.['target'], 'alert typo (AlertProvider test/typo)');
    assert.match(String(warn['err']), /unknown variable "nmae"/);
  });

  it('an unreachable notifier neither throws nor stops the others, and is counted', async () => {
    const registry = new Registry();
    const { logger, lines } = captureLogger();
    const d = createAlertDispatcher({
      resolver: memResolver({
        'test/dead': alertProvider('dead', 'test', {
          type: 'msteams',
          address: `http://127.0.0.1:${deadPort}/x`,
        }),
        'test/live': alertProvider('live', 'test', { type: 'gchat', address: chat.url }),
        'test/broken': alertProvider('broken', 'test', { type: 'slack', secretRef: { name: 'absent' } }),
      }),
      logger,
      count: registerAlertMetrics(registry),
    });
    const c = withAlerts(['dead', 'live', 'broken'].map((n) => ({ name: n, providerRef: { name: n } })));
    const report = await d.send(c, alert);
    assert.deepEqual(report, { sent: 1, failed: 1, invalid: 1 });
    assert.equal(chat.requests.length, 1);
    assert.deepEqual(await counts(registry), { 'gchat/sent': 1, 'msteams/failed': 1, 'slack/invalid': 1 });
    const failed = lines.find((l) => l['msg'] === 'alert not delivered');
    assert.match(String(failed?.['err']), /^msteams notifier: 127\.0\.0\.1:\d+ unreachable: .*ECONNREFUSED/);
    const invalid = lines.find((l) => l['msg'] === 'alert not sent');
    assert.equal(invalid?.['err'], 'Secret test/absent referenced by AlertProvider test/broken not found');
  });

  it('bounds a hanging notifier by the post timeout', async () => {
    chat.respond = hang;
    const d = createAlertDispatcher({
      resolver: memResolver({
        'test/chat': alertProvider('chat', 'test', { type: 'rocket', address: chat.url }),
      }),
      logger: captureLogger().logger,
      timeoutMs: 100,
    });
    const t0 = Date.now();
    assert.deepEqual(await d.send(oneAlert, alert), { sent: 0, failed: 1, invalid: 0 });
    assert.ok(Date.now() - t0 < 5000, `took ${Date.now() - t0}ms`);
  });

  it('bounds a hanging provider lookup by the deadline', async () => {
    const stuck: AlertResolver = {
      getAlertProvider: () => new Promise<never>(() => undefined),
      getSecretData: () => new Promise<never>(() => undefined),
    };
    const registry = new Registry();
    const d = createAlertDispatcher({
      resolver: stuck,
      logger: captureLogger().logger,
      deadlineMs: 100,
      count: registerAlertMetrics(registry),
    });
    const t0 = Date.now();
    assert.deepEqual(await d.send(oneAlert, alert), { sent: 0, failed: 1, invalid: 0 });
    assert.ok(Date.now() - t0 < 5000);
    assert.deepEqual(await counts(registry), { 'unknown/failed': 1 });
  });

  it('returns promptly when the caller cancels', async () => {
    chat.respond = hang;
    const d = createAlertDispatcher({
      resolver: memResolver({
        'test/chat': alertProvider('chat', 'test', { type: 'webhook', address: chat.url }),
      }),
      logger: captureLogger().logger,
    });
    const ac = new AbortController();
    setTimeout(() => {
      ac.abort();
    }, 50);
    const t0 = Date.now();
    assert.deepEqual(await d.send(oneAlert, alert, { signal: ac.signal }), {
      sent: 0,
      failed: 1,
      invalid: 0,
    });
    assert.ok(Date.now() - t0 < 5000);
  });
});

describe('sendAlert', () => {
  it('bounds a notifier that ignores its signal by the deadline', async () => {
    const counted: string[] = [];
    const t0 = Date.now();
    const report = await sendAlert(
      [
        { notifier: { type: 'webhook', post: () => new Promise<never>(() => undefined) }, label: 'stuck' },
        { notifier: { type: 'slack', post: () => Promise.resolve() }, label: 'fine' },
      ],
      message(),
      { log: captureLogger().logger, deadlineMs: 100, count: (p, r) => counted.push(`${p}/${r}`) },
    );
    assert.deepEqual(report, { sent: 1, failed: 1, invalid: 0 });
    assert.ok(Date.now() - t0 < 5000);
    assert.deepEqual(counted.sort(), ['slack/sent', 'webhook/failed']);
  });

  it('turns a notifier that rejects or throws synchronously into a failure', async () => {
    const report = await sendAlert(
      [
        { notifier: { type: 'gchat', post: () => Promise.reject(new Error('boom')) }, label: 'x' },
        {
          notifier: {
            type: 'slack',
            post: () => {
              throw new Error('sync boom');
            },
          },
          label: 'y',
        },
      ],
      message(),
      { log: captureLogger().logger },
    );
    assert.deepEqual(report, { sent: 0, failed: 2, invalid: 0 });
  });
});

describe('registerAlertMetrics', () => {
  it('reuses the counter when registered twice on one registry', async () => {
    const registry = new Registry();
    registerAlertMetrics(registry)('slack', 'sent');
    registerAlertMetrics(registry)('slack', 'sent');
    assert.deepEqual(await counts(registry), { 'slack/sent': 2 });
  });
});
