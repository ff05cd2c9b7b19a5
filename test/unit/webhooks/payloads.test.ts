import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CanaryWebhook } from '../../../src/api/canary.js';
import { callWebhook } from '../../../src/webhooks/client.js';
import {
  canaryChecksum,
  eventWebhookPayload,
  eventWebhooksFor,
  webhookPayload,
} from '../../../src/webhooks/payloads.js';
import { canary } from '../metrics/fixtures.js';
import { startStub } from '../metrics/stub-server.js';

describe('event webhook payload', () => {
  const hook: CanaryWebhook = {
    name: 'events',
    type: 'event',
    url: 'http://127.0.0.1:1/',
    metadata: { eventMessage: 'spoofed', timestamp: '0', team: 'web' },
  };

  it('carries eventMessage, eventType and a ms timestamp that hook metadata cannot override', () => {
    const p = eventWebhookPayload(canary(), hook, {
      message: 'New revision detected!',
      eventType: 'Normal',
      timeMs: 1_700_000_000_123.7,
    });
    assert.deepEqual(p.metadata, {
      eventMessage: 'New revision detected!',
      eventType: 'Normal',
      timestamp: '1700000000123',
      team: 'web',
    });
    assert.equal(p.phase, 'Progressing');
  });

  it('reports the phase given for the event', () => {
    const p = eventWebhookPayload(canary(), hook, {
      message: 'Canary failed!',
      eventType: 'Warning',
      timeMs: 1,
      phase: 'Failed',
    });
    assert.equal(p.phase, 'Failed');
    assert.equal(p.metadata?.['eventType'], 'Warning');
  });

  it('is delivered as a POST like any hook', async () => {
    const server = await startStub((_req, res) => {
      res.writeHead(200);
      res.end();
    });
    try {
      const h = { ...hook, url: server.url };
      await callWebhook(
        h,
        eventWebhookPayload(canary(), h, { message: 'm', eventType: 'Warning', timeMs: 5 }),
      );
      const body = JSON.parse(server.requests[0]?.body ?? '') as { metadata: Record<string, string> };
      assert.equal(body.metadata['eventMessage'], 'm');
      assert.equal(body.metadata['timestamp'], '5');
    } finally {
      await server.close();
    }
  });
});

describe('eventWebhooksFor', () => {
  it("uses the canary's event hooks, replacing the global one", () => {
    const c = canary([], {
      analysis: {
        webhooks: [
          { name: 'gate', type: 'confirm-rollout', url: 'http://a/' },
          { name: 'ev', type: 'event', url: 'http://b/' },
        ],
      },
    });
    assert.deepEqual(
      eventWebhooksFor(c, 'http://global/').map((h) => h.name),
      ['ev'],
    );
  });

  it('falls back to the global hook named "events"', () => {
    assert.deepEqual(eventWebhooksFor(canary(), 'http://global/'), [
      { name: 'events', type: 'event', url: 'http://global/' },
    ]);
    assert.deepEqual(eventWebhooksFor(canary()), []);
  });
});

describe('canaryChecksum', () => {
  const base = { lastAppliedSpec: 'spec-1', trackedConfigs: { 'configmap/a': '1', 'secret/b': '2' } };

  it('is deterministic and independent of key order', () => {
    assert.equal(canaryChecksum(base), canaryChecksum({ ...base }));
    assert.equal(
      canaryChecksum(base),
      canaryChecksum({ lastAppliedSpec: 'spec-1', trackedConfigs: { 'secret/b': '2', 'configmap/a': '1' } }),
    );
    assert.match(canaryChecksum(base), /^[0-9a-f]{16}$/);
  });

  it('changes when lastAppliedSpec changes', () => {
    assert.notEqual(canaryChecksum(base), canaryChecksum({ ...base, lastAppliedSpec: 'spec-2' }));
  });

  it('changes when trackedConfigs change', () => {
    assert.notEqual(
      canaryChecksum(base),
      canaryChecksum({ ...base, trackedConfigs: { 'configmap/a': '1', 'secret/b': '3' } }),
    );
    assert.notEqual(
      canaryChecksum(base),
      canaryChecksum({ ...base, trackedConfigs: { 'configmap/a': '1' } }),
    );
  });

  it('treats a missing status like an empty one', () => {
    assert.equal(canaryChecksum(undefined), canaryChecksum({}));
    assert.equal(canaryChecksum({}), canaryChecksum({ trackedConfigs: {}, lastAppliedSpec: '' }));
  });

  it('is the checksum in payloads', () => {
    const c = canary();
    assert.equal(webhookPayload(c, { name: 'h', url: 'http://x/' }).checksum, canaryChecksum(c.status));
  });
});
