// Each AlertProvider gets a Ready condition saying whether alert routing can use it, and
// why not (issue 10 item 11), written by the same loop as the MetricTemplates' Ready.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AlertProviderStatusLoop,
  alertProviderHealth,
} from '../../../src/controller/alert-provider-status.js';
import { FakeKubeClient } from '../../../src/kube/fake-client.js';
import type { KubeObject } from '../../../src/kube/types.js';
import { captureLogger } from '../notifiers/helpers.js';

const provider = (name: string, spec: Record<string, unknown>): KubeObject => ({
  apiVersion: 'flagger.app/v1beta1',
  kind: 'AlertProvider',
  metadata: { name, namespace: 'test', generation: 1 },
  spec,
});

const secret = (name: string, data: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name, namespace: 'test' },
  data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
});

const signal = new AbortController().signal;

describe('AlertProvider Ready condition', () => {
  const client = new FakeKubeClient();
  client.seed(
    secret('with-address', { address: 'https://hooks.slack.com/services/T/B/SECRET' }),
    secret('no-address', { token: 't' }),
  );
  const health = (spec: Record<string, unknown>) => alertProviderHealth(provider('p', spec), client, signal);

  it('is True when routing could build the notifier', async () => {
    assert.deepEqual(await health({ type: 'slack', address: 'https://hooks.slack.com/services/x' }), {
      status: 'True',
      reason: 'Configured',
      message: 'slack notifier is configured',
    });
    assert.equal((await health({ type: 'msteams', secretRef: { name: 'with-address' } })).status, 'True');
  });

  it('is InvalidProvider for an unknown type (stored under Flagger-less CRDs) or no address at all', async () => {
    const unknown = await health({ type: 'pagerduty', address: 'https://x' });
    assert.equal(unknown.reason, 'InvalidProvider');
    assert.match(unknown.message, /spec\.type.*slack/);
    const none = await health({ type: 'slack' });
    assert.equal(none.reason, 'InvalidProvider');
    assert.match(none.message, /spec\.address or spec\.secretRef/);
  });

  it('is InvalidProvider for an address that is not a URL, without quoting it', async () => {
    const h = await health({ type: 'slack', address: 'not a url with-secret-token' });
    assert.equal(h.reason, 'InvalidProvider');
    assert.doesNotMatch(h.message, /with-secret-token/);
  });

  it('is SecretMissing for a missing Secret or one without "address", never quoting a value', async () => {
    const missing = await health({ type: 'slack', secretRef: { name: 'gone' } });
    assert.equal(missing.reason, 'SecretMissing');
    assert.match(missing.message, /Secret test\/gone .*not found/);
    const noKey = await health({ type: 'slack', secretRef: { name: 'no-address' } });
    assert.equal(noKey.reason, 'SecretMissing');
    assert.match(noKey.message, /has no "address" key/);
    const ok = await health({ type: 'slack', secretRef: { name: 'with-address' } });
    assert.doesNotMatch(JSON.stringify(ok), /SECRET/);
  });

  it('is SecretUnreadable when the Secret cannot be read', async () => {
    client.fail({ verb: 'get', kind: 'Secret', status: { code: 403, reason: 'Forbidden', message: 'no' } });
    const h = await health({ type: 'slack', secretRef: { name: 'with-address' } });
    assert.equal(h.reason, 'SecretUnreadable');
  });

  it('is written to the provider status by the status loop', async () => {
    const c = new FakeKubeClient();
    const stored = provider('gone-secret', { type: 'discord', secretRef: { name: 'gone' } });
    c.seed(stored);
    const loop = new AlertProviderStatusLoop({
      client: c,
      list: () => [
        c.peek({
          apiVersion: 'flagger.app/v1beta1',
          kind: 'AlertProvider',
          namespace: 'test',
          name: 'gone-secret',
        }) ?? stored,
      ],
      logger: captureLogger().logger,
      pollMs: 10,
    });
    loop.start();
    const deadline = Date.now() + 5_000;
    type Cond = { type?: string; status?: string; reason?: string };
    let cond: Cond | undefined;
    while (Date.now() < deadline && cond === undefined) {
      await new Promise((r) => setTimeout(r, 20));
      const live = c.peek({
        apiVersion: 'flagger.app/v1beta1',
        kind: 'AlertProvider',
        namespace: 'test',
        name: 'gone-secret',
      });
      cond = (live?.['status'] as { conditions?: Cond[] } | undefined)?.conditions?.find(
        (x) => x.type === 'Ready',
      );
    }
    await loop.stop();
    assert.ok(cond, 'no Ready condition written');
    assert.equal(cond.status, 'False');
    assert.equal(cond.reason, 'SecretMissing');
  });
});
