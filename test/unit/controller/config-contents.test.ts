// A tracked ConfigMap is read once per resourceVersion, not once per reconcile; Secrets
// are never kept (the caller reads them).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigMapContents } from '../../../src/controller/config-contents.js';
import { FakeKubeClient } from '../../../src/kube/fake-client.js';
import type { KubeObject } from '../../../src/kube/types.js';

const configMap = (data: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'app-config', namespace: 'test' },
  data,
});

test('a ConfigMap is fetched again only when its resourceVersion changes', async () => {
  const client = new FakeKubeClient();
  client.seed(configMap({ color: 'blue' }));
  // The metadata informer's view: whatever the server stores now.
  const metadata = {
    get: (ns: string, name: string): KubeObject | undefined => {
      const live = client.peek({ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns, name });
      return live ? { ...live, data: undefined } : undefined;
    },
  };
  const contents = new ConfigMapContents(metadata, client);
  const lookup = contents.lookup('test');

  const first = await lookup('configmap', 'app-config');
  assert.deepEqual(first?.['data'], { color: 'blue' });
  assert.equal(client.requests.count('get'), 1);
  await lookup('configmap', 'app-config');
  await lookup('configmap', 'app-config');
  assert.equal(client.requests.count('get'), 1, 'unchanged: served from memory');

  client.seed(configMap({ color: 'green' }));
  const changed = await lookup('configmap', 'app-config');
  assert.deepEqual(changed?.['data'], { color: 'green' });
  assert.equal(client.requests.count('get'), 2);

  assert.equal(await lookup('secret', 'app-secret'), undefined, 'secrets are left to the caller');
  assert.equal(await lookup('configmap', 'missing'), null, 'absent is reported as null');
});
