// Each chat service against a local HTTP stand-in: the exact JSON received (§6), headers,
// URL handling, and error reporting without secrets.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createNotifier } from '../../../src/notifiers/factory.js';
import { NotifierError } from '../../../src/notifiers/notifier.js';
import { discordSlackUrl } from '../../../src/notifiers/discord.js';
import { hang } from '../metrics/stub-server.js';
import { type ChatStub, chatStub, jsonOf, message, ok, onlyRequest, slackBody } from './helpers.js';

let chat: ChatStub;
before(async () => {
  chat = await chatStub();
});
after(async () => {
  await chat.close();
});
beforeEach(() => {
  chat.requests.length = 0;
  chat.respond = ok;
});

const slackFields = [
  { title: 'Target', value: 'Deployment/podinfo.test', short: false },
  { title: 'Failed checks threshold', value: '5', short: false },
];

describe('slack', () => {
  it('posts the Slack payload with the Bearer token', async () => {
    const n = createNotifier({
      type: 'slack',
      url: `${chat.url}/services/T0/B0/secret`,
      token: 'xoxb-123',
      channel: 'alerts',
      username: 'flagger',
    });
    await n.post(message());
    const req = onlyRequest(chat);
    assert.equal(req.method, 'POST');
    assert.equal(req.url.pathname, '/services/T0/B0/secret');
    assert.equal(req.headers['content-type'], 'application/json');
    assert.equal(req.headers.authorization, 'Bearer xoxb-123');
    assert.deepEqual(
      jsonOf(req),
      slackBody({
        channel: 'alerts',
        text: 'New revision detected, progressing canary analysis.',
        fields: slackFields,
      }),
    );
  });

  it('uses "danger" for errors, "good" for warnings, and sends no token when none is set', async () => {
    const n = createNotifier({ type: 'slack', url: chat.url, channel: 'c', username: 'u' });
    await n.post(message({ severity: 'error', message: 'Failed checks threshold reached 5', fields: [] }));
    await n.post(message({ severity: 'warn', fields: [] }));
    const [err, warn] = chat.requests.map((r) => jsonOf(r) as { attachments: { color: string }[] });
    assert.equal(err?.attachments[0]?.color, 'danger');
    assert.equal(warn?.attachments[0]?.color, 'good');
    assert.equal(chat.requests[0]?.headers.authorization, undefined);
    assert.deepEqual(
      (jsonOf(chat.requests[0]!) as { attachments: { fields: unknown }[] }).attachments[0]?.fields,
      [],
    );
  });

  it('rejects an empty channel or username and a non-http URL', () => {
    assert.throws(
      () => createNotifier({ type: 'slack', url: chat.url, channel: '', username: 'u' }),
      /empty channel/,
    );
    assert.throws(
      () => createNotifier({ type: 'slack', url: chat.url, channel: 'c', username: '' }),
      /empty username/,
    );
    assert.throws(
      () => createNotifier({ type: 'slack', url: 'ftp://x/secret', channel: 'c', username: 'u' }),
      (e: unknown) => e instanceof NotifierError && e.kind === 'config' && !e.message.includes('secret'),
    );
  });
});

describe('discord', () => {
  it('appends /slack to the path and posts the Slack payload without a token', async () => {
    const n = createNotifier({
      type: 'discord',
      url: `${chat.url}/api/webhooks/1/abc?wait=true`,
      token: 'never-sent',
      channel: 'general',
      username: 'flagger',
    });
    await n.post(message({ severity: 'error', fields: [{ name: 'Cluster', value: 'prod' }] }));
    const req = onlyRequest(chat);
    assert.equal(req.url.pathname, '/api/webhooks/1/abc/slack');
    assert.equal(req.url.search, '?wait=true');
    assert.equal(req.headers.authorization, undefined);
    assert.deepEqual(jsonOf(req), {
      channel: 'general',
      username: 'flagger',
      icon_url: '',
      icon_emoji: ':rocket:',
      attachments: [
        {
          color: 'danger',
          author_name: 'podinfo.test',
          text: 'New revision detected, progressing canary analysis.',
          mrkdwn_in: ['text'],
          fields: [{ title: 'Cluster', value: 'prod', short: false }],
        },
      ],
    });
  });

  it('keeps a path that already ends with /slack and folds trailing slashes', () => {
    assert.equal(
      discordSlackUrl(new URL('https://d.example/api/webhooks/1/a/slack')).pathname,
      '/api/webhooks/1/a/slack',
    );
    assert.equal(
      discordSlackUrl(new URL('https://d.example/api/webhooks/1/a/')).pathname,
      '/api/webhooks/1/a/slack',
    );
  });
});

describe('rocket', () => {
  it('posts the Slack payload with Rocket.Chat colors', async () => {
    const n = createNotifier({ type: 'rocket', url: `${chat.url}/hooks/x`, channel: 'ops', username: 'bot' });
    await n.post(message());
    await n.post(message({ severity: 'error' }));
    const [info, error] = chat.requests.map((r) => jsonOf(r));
    assert.deepEqual(info, {
      channel: 'ops',
      username: 'bot',
      icon_url: '',
      icon_emoji: ':rocket:',
      attachments: [
        {
          color: '#0076D7',
          author_name: 'podinfo.test',
          text: 'New revision detected, progressing canary analysis.',
          mrkdwn_in: ['text'],
          fields: slackFields,
        },
      ],
    });
    assert.equal((error as { attachments: { color: string }[] }).attachments[0]?.color, '#FF0000');
  });
});

describe('msteams', () => {
  it('posts a MessageCard with the fields as facts', async () => {
    const n = createNotifier({ type: 'msteams', url: `${chat.url}/webhookb2/abc`, token: 'unused' });
    await n.post(message({ severity: 'error', message: 'Failed checks threshold reached 5' }));
    const req = onlyRequest(chat);
    assert.equal(req.headers.authorization, undefined);
    assert.deepEqual(jsonOf(req), {
      '@type': 'MessageCard',
      '@context': 'http://schema.org/extensions',
      themeColor: 'FF0000',
      summary: 'podinfo.test',
      sections: [
        {
          activityTitle: 'Failed checks threshold reached 5',
          activitySubtitle: 'podinfo.test',
          facts: [
            { name: 'Target', value: 'Deployment/podinfo.test' },
            { name: 'Failed checks threshold', value: '5' },
          ],
        },
      ],
    });
    await n.post(message({ severity: 'warn' }));
    assert.equal((jsonOf(chat.requests[1]!) as { themeColor: string }).themeColor, '0076D7');
  });
});

describe('gchat', () => {
  it('posts a card: header, the message section, one section per field', async () => {
    const n = createNotifier({ type: 'gchat', url: `${chat.url}/v1/spaces/S/messages?key=k&token=t` });
    await n.post(message());
    const req = onlyRequest(chat);
    assert.equal(req.url.searchParams.get('token'), 't');
    assert.deepEqual(jsonOf(req), {
      cards: [
        {
          header: { title: 'Flagger', subtitle: 'podinfo.test', imageUrl: 'https://flagger.app/favicon.png' },
          sections: [
            {
              widgets: [
                {
                  textParagraph: {
                    text: '<font color=#848484><strong>New revision detected, progressing canary analysis.</strong></font>',
                  },
                },
              ],
            },
            {
              widgets: [
                {
                  textParagraph: {
                    text: 'Target<br><font color=#848484><strong>Deployment/podinfo.test</strong></font>',
                  },
                },
              ],
            },
            {
              widgets: [
                {
                  textParagraph: {
                    text: 'Failed checks threshold<br><font color=#848484><strong>5</strong></font>',
                  },
                },
              ],
            },
          ],
        },
      ],
    });
  });
});

describe('webhook (flagger-ts generic JSON)', () => {
  it('posts the documented payload with the Bearer token', async () => {
    const n = createNotifier({ type: 'webhook', url: `${chat.url}/alerts`, token: 's3cr3t' });
    await n.post(message({ severity: 'warn', message: 'Canary is waiting for approval.' }));
    const req = onlyRequest(chat);
    assert.equal(req.url.pathname, '/alerts');
    assert.equal(req.headers.authorization, 'Bearer s3cr3t');
    assert.deepEqual(jsonOf(req), {
      name: 'podinfo',
      namespace: 'test',
      phase: 'Progressing',
      severity: 'warn',
      message: 'Canary is waiting for approval.',
      fields: [
        { name: 'Target', value: 'Deployment/podinfo.test' },
        { name: 'Failed checks threshold', value: '5' },
      ],
    });
  });

  it('omits an unknown phase', async () => {
    const n = createNotifier({ type: 'webhook', url: chat.url });
    await n.post(message({ phase: undefined, fields: [] }));
    assert.equal('phase' in (jsonOf(onlyRequest(chat)) as object), false);
  });
});

describe('transport errors', () => {
  it('a non-2xx answer is an error naming the host and status, never the path or query', async () => {
    chat.respond = (_req, res) => {
      res.writeHead(404);
      res.end('no_service');
    };
    const n = createNotifier({
      type: 'slack',
      url: `${chat.url}/services/SECRETPATH?k=QUERYSECRET`,
      channel: 'c',
      username: 'u',
    });
    await assert.rejects(n.post(message()), (e: unknown) => {
      assert.ok(e instanceof NotifierError);
      assert.equal(e.kind, 'status');
      assert.equal(e.status, 404);
      assert.equal(e.message, `slack notifier: 127.0.0.1:${chat.port} answered HTTP 404: no_service`);
      return true;
    });
  });

  it('3xx is an error too; 204 is success', async () => {
    const n = createNotifier({ type: 'msteams', url: chat.url });
    chat.respond = (_req, res) => {
      res.writeHead(204);
      res.end();
    };
    await n.post(message());
    chat.respond = (_req, res) => {
      res.writeHead(302, { location: '/elsewhere' });
      res.end();
    };
    await assert.rejects(n.post(message()), /answered HTTP 302$/);
  });

  it('a server that never answers times out at the configured timeout', async () => {
    chat.respond = hang;
    const n = createNotifier({ type: 'gchat', url: `${chat.url}/x?key=SECRET`, timeoutMs: 150 });
    const t0 = Date.now();
    await assert.rejects(n.post(message()), (e: unknown) => {
      assert.ok(e instanceof NotifierError);
      assert.equal(e.kind, 'timeout');
      assert.ok(!e.message.includes('SECRET'));
      return true;
    });
    const took = Date.now() - t0;
    assert.ok(took >= 140 && took < 2000, `took ${took}ms`);
  });
});
