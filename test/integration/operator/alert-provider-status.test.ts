// AlertProviders get their own Ready condition on a real API server (status subresource,
// the operator's status patch): Configured, or why alert routing cannot use them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventually, type TestEnv } from '../../harness/cluster.js';
import { canaryScenario } from '../../harness/scenario.js';

interface Condition {
  readonly type: string;
  readonly status: string;
  readonly reason: string;
  readonly message: string;
}

async function ready(env: TestEnv, name: string): Promise<Condition | undefined> {
  const ref = { apiVersion: 'flagger.app/v1beta1', kind: 'AlertProvider', namespace: env.namespace, name };
  const obj = await env.kube.get(ref);
  return ((obj?.['status'] as { conditions?: Condition[] } | undefined)?.conditions ?? []).find(
    (c) => c.type === 'Ready',
  );
}

test('each AlertProvider reports whether alerts can be routed through it', async (t) => {
  const s = await canaryScenario(t, 'apstatus', { start: false });
  const { env } = s;
  const provider = (name: string, spec: Record<string, unknown>) =>
    env.kube.create({
      apiVersion: 'flagger.app/v1beta1',
      kind: 'AlertProvider',
      metadata: { name, namespace: env.namespace },
      spec,
    });
  await env.kube.create({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'no-address', namespace: env.namespace },
    stringData: { token: 'secret-token' },
  });
  await provider('ok', { type: 'slack', channel: 'ops', address: 'https://hooks.slack.com/services/T/B/X' });
  await provider('no-secret', { type: 'msteams', secretRef: { name: 'missing' } });
  await provider('no-key', { type: 'discord', secretRef: { name: 'no-address' } });
  await s.startOperator();

  const expect = async (name: string, status: string, reason: string, message: RegExp): Promise<void> => {
    const c = await eventually(`AlertProvider ${name} Ready ${reason}`, async () => {
      const r = await ready(env, name);
      return r?.reason === reason ? r : undefined;
    });
    assert.equal(c.status, status);
    assert.match(c.message, message);
    assert.doesNotMatch(c.message, /secret-token|hooks\.slack\.com/);
  };
  await expect('ok', 'True', 'Configured', /slack notifier is configured/);
  await expect('no-secret', 'False', 'SecretMissing', /Secret .*\/missing referenced by .* not found/);
  await expect('no-key', 'False', 'SecretMissing', /has no "address" key/);

  // Fixing the Secret is seen at the next re-check or when the provider changes.
  await env.kube.create({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'missing', namespace: env.namespace },
    stringData: { address: 'https://outlook.office.com/webhook/x' },
  });
  await env.kube.mergePatch(
    { apiVersion: 'flagger.app/v1beta1', kind: 'AlertProvider', namespace: env.namespace, name: 'no-secret' },
    { spec: { channel: 'touched' } },
  );
  await expect('no-secret', 'True', 'Configured', /msteams notifier is configured/);
});
