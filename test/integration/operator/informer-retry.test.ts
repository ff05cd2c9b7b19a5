// Start-up before the API is ready: an informer whose first list fails (here: the CRD
// does not exist yet, 404) keeps retrying with back-off and syncs once the kind is served,
// instead of failing the operator's start-up.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiException } from '@kubernetes/client-node';
import { eventually, testEnv } from '../../harness/cluster.js';
import { Informer } from '../../../src/controller/informer.js';
import { KubeTransport } from '../../../src/kube/transport.js';

test('an informer retries its first list until a late CRD is served', async (t) => {
  const env = await testEnv(t, 'informer');
  const group = `late-${env.namespace}.flagger-ts.test`;
  const errors: unknown[] = [];
  const informer = new Informer(new KubeTransport(env.kc), {
    path: `/apis/${group}/v1/namespaces/${env.namespace}/gadgets`,
    apiVersion: `${group}/v1`,
    kind: 'Gadget',
    retryMs: 200,
    onError: (err) => errors.push(err),
  });
  const started = informer.start();
  t.after(() => {
    informer.stop();
  });
  await eventually('the first list failed', () => (errors.length > 0 ? true : undefined));
  assert.equal(informer.synced, false);

  const name = `gadgets.${group}`;
  await env.apiext.createCustomResourceDefinition({
    body: {
      metadata: { name },
      spec: {
        group,
        scope: 'Namespaced',
        names: { plural: 'gadgets', singular: 'gadget', kind: 'Gadget' },
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: { openAPIV3Schema: { type: 'object', x_kubernetes_preserve_unknown_fields: true } },
          },
        ],
      },
    },
  });
  t.after(async () => {
    await env.apiext.deleteCustomResourceDefinition({ name }).catch((err: unknown) => {
      if (!(err instanceof ApiException) || err.code !== 404) throw err;
    });
  });
  await started;
  assert.equal(informer.synced, true);
  assert.ok(errors.length >= 1);
  // Now watching: a new object reaches the cache.
  await env.custom.createNamespacedCustomObject({
    group,
    version: 'v1',
    namespace: env.namespace,
    plural: 'gadgets',
    body: { apiVersion: `${group}/v1`, kind: 'Gadget', metadata: { name: 'g1' } },
  });
  await eventually('g1 in the cache', () => informer.get(env.namespace, 'g1'));
});
