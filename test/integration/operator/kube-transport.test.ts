// The operator's own transport (no client-node) against the real local API server: the
// cluster's kubeconfig (CA and client certificate files) and the same material as data,
// ServiceAccount tokens inline, from a rotating file (a revoked token is replaced at the
// first 401), from an exec plugin, through an http:// proxy-url; a watch (410 Gone and the
// informer's relist are in test/unit/controller/informer-watch.test.ts, against a fake server);
// and the operator's process started for real without loading client-node.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createKubeClient } from '../../../src/kube/client.js';
import { isAlreadyExists, isKindNotServed } from '../../../src/kube/errors.js';
import { isRecord } from '../../../src/kube/json.js';
import { currentConfig, type KubeConfigData } from '../../../src/kube/kubeconfig.js';
import { loadKubeConfigFile } from '../../../src/kube/kubeconfig-load.js';
import { KubeTransport } from '../../../src/kube/transport.js';
import { startWatch } from '../../../src/kube/watch.js';
import { eventually, testEnv, type TestEnv } from '../../harness/cluster.js';
import { startProxy } from '../../harness/forward-proxy.js';
import { clientNodeModules, moduleTrace } from '../../harness/module-trace.js';
import { spawnOperator } from '../../harness/operator-process.js';

/** The username the API server sees for this transport (SelfSubjectReview: allowed for everyone). */
async function whoAmI(t: KubeTransport): Promise<string> {
  const res = await t.request({
    method: 'POST',
    path: '/apis/authentication.k8s.io/v1/selfsubjectreviews',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' }),
  });
  assert.equal(res.status, 201, res.text);
  const body = JSON.parse(res.text) as unknown;
  const status = isRecord(body) ? body['status'] : undefined;
  const info = isRecord(status) ? status['userInfo'] : undefined;
  return isRecord(info) && typeof info['username'] === 'string' ? info['username'] : '';
}

/** The cluster's kubeconfig with another user (the CA and server stay). */
function withUser(env: TestEnv, user: Record<string, unknown>): KubeConfigData {
  const kc = loadKubeConfigFile(env.cluster.kubeconfig);
  const current = currentConfig(kc);
  return {
    clusters: [current.cluster],
    users: [{ name: 'u', ...user }],
    contexts: [{ name: 'x', cluster: current.cluster.name, user: 'u' }],
    currentContext: 'x',
  };
}

async function serviceAccountToken(env: TestEnv, name: string): Promise<string> {
  await env.kube.create({
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name, namespace: env.namespace },
  });
  const res = await env.core.createNamespacedServiceAccountToken({
    name,
    namespace: env.namespace,
    body: { spec: { audiences: [], expirationSeconds: 600 } },
  });
  const token = res.status?.token;
  assert.ok(token !== undefined && token !== '');
  return token;
}

test('the transport reads, writes, discovers and watches with the cluster kubeconfig', async (t) => {
  const env = await testEnv(t, 'transport');
  const transport = new KubeTransport(loadKubeConfigFile(env.cluster.kubeconfig));
  t.after(() => {
    transport.close();
  });
  const client = createKubeClient(transport);
  const ns = env.namespace;
  const cm = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'a', namespace: ns, labels: { k: 'v' } },
    data: { x: '1' },
  };
  const created = await client.create(cm);
  assert.equal(isAlreadyExists(await client.create(cm).catch((e: unknown) => e)), true);
  await client.mergePatch(
    { apiVersion: 'v1', kind: 'ConfigMap', namespace: ns, name: 'a' },
    { data: { x: '2' } },
  );
  const listed = await client.list('v1', 'ConfigMap', ns, { labelSelector: 'k=v' });
  assert.deepEqual(
    listed.map((o) => o['data']),
    [{ x: '2' }],
  );
  const gadget = { apiVersion: 'nothing.flagger-ts.test/v1', kind: 'Gadget', namespace: ns, name: 'g' };
  assert.equal(isKindNotServed(await client.get(gadget).catch((e: unknown) => e)), true);

  // A watch from the list's resourceVersion sees the next change.
  const events: string[] = [];
  const watch = await startWatch(
    transport,
    {
      path: `/api/v1/namespaces/${ns}/configmaps`,
      resourceVersion: created.metadata.resourceVersion ?? '',
      allowWatchBookmarks: true,
    },
    (type, obj) => {
      if (isRecord(obj) && isRecord(obj['metadata']))
        events.push(`${type} ${String(obj['metadata']['name'])}`);
    },
    () => undefined,
  );
  t.after(() => {
    watch.abort();
  });
  await client.create({ ...cm, metadata: { name: 'b', namespace: ns } });
  await eventually('the watch saw b', () => (events.includes('ADDED b') ? true : undefined));
  assert.ok(events.includes('MODIFIED a'), events.join(', '));
});

test('client certificate and CA as data, tokens inline, from a rotating file, from an exec plugin', async (t) => {
  const env = await testEnv(t, 'transport-auth');
  const dir = mkdtempSync(join(tmpdir(), 'flagger-ts-transport-'));
  t.after(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const files = currentConfig(loadKubeConfigFile(env.cluster.kubeconfig));
  const b64 = (file: string | undefined): string => readFileSync(file ?? '').toString('base64');
  const asData = new KubeTransport({
    ...withUser(env, { certData: b64(files.user.certFile), keyData: b64(files.user.keyFile) }),
    clusters: [{ ...files.cluster, caFile: undefined, caData: b64(files.cluster.caFile) }],
  });
  const admin = await whoAmI(new KubeTransport(loadKubeConfigFile(env.cluster.kubeconfig)));
  assert.equal(await whoAmI(asData), admin, 'the same identity from data as from files');

  const a = await serviceAccountToken(env, 'a');
  const b = await serviceAccountToken(env, 'b');
  const sa = (name: string): string => `system:serviceaccount:${env.namespace}:${name}`;
  assert.equal(await whoAmI(new KubeTransport(withUser(env, { token: a }))), sa('a'));

  // A token file, as the kubelet projects it: re-read after a minute...
  const tokenFile = join(dir, 'token');
  writeFileSync(tokenFile, a);
  let now = 0;
  const rotating = new KubeTransport(withUser(env, { tokenFile }), { now: () => now });
  assert.equal(await whoAmI(rotating), sa('a'));
  writeFileSync(tokenFile, b);
  assert.equal(await whoAmI(rotating), sa('a'), 'within the minute: the token read before');
  now = 61_000;
  assert.equal(await whoAmI(rotating), sa('b'));
  // ... and at once when the API server rejects the one it holds (here: its ServiceAccount is gone).
  writeFileSync(tokenFile, a);
  now = 130_000;
  assert.equal(await whoAmI(rotating), sa('a'));
  writeFileSync(tokenFile, b);
  await env.kube.delete({ apiVersion: 'v1', kind: 'ServiceAccount', namespace: env.namespace, name: 'a' });
  await eventually('the deleted ServiceAccount token is rejected', async () => {
    const res = await new KubeTransport(withUser(env, { token: a })).request({
      method: 'GET',
      path: '/version',
    });
    return res.status === 401 ? true : undefined;
  });
  assert.equal(await whoAmI(rotating), sa('b'), 'the 401 made it read the file again');

  // An exec credential plugin (client-node, loaded for this case).
  const plugin = join(dir, 'plugin.mjs');
  writeFileSync(
    plugin,
    `process.stdout.write(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: ${JSON.stringify(b)} } }));`,
  );
  const exec = new KubeTransport(
    withUser(env, {
      exec: { apiVersion: 'client.authentication.k8s.io/v1', command: process.execPath, args: [plugin] },
    }),
  );
  assert.equal(exec.usesClientNode, true);
  assert.equal(await whoAmI(exec), sa('b'));
});

test('the API server through an http:// proxy-url', async (t) => {
  const env = await testEnv(t, 'transport-proxy');
  const proxy = await startProxy();
  t.after(() => {
    proxy.server.closeAllConnections();
    proxy.server.close();
  });
  const kc = loadKubeConfigFile(env.cluster.kubeconfig);
  const transport = new KubeTransport({
    ...kc,
    clusters: kc.clusters.map((c) => ({ ...c, proxyUrl: proxy.url })),
  });
  t.after(() => {
    transport.close();
  });
  assert.equal(transport.usesClientNode, false);
  const ns = await createKubeClient(transport).get({
    apiVersion: 'v1',
    kind: 'Namespace',
    name: env.namespace,
  });
  assert.equal(ns?.metadata.name, env.namespace);
  assert.equal(proxy.log[0]?.method, 'CONNECT');
});

test('the operator process runs against the API server without loading client-node', async (t) => {
  const env = await testEnv(t, 'transport-process');
  const trace = moduleTrace();
  t.after(() => {
    trace.remove();
  });
  const op = spawnOperator(t, env, [], { nodeArgs: trace.nodeArgs, env: trace.env });
  await op.port();
  op.kill();
  const modules = trace.resolved();
  assert.ok(modules.some((u) => u.endsWith('/dist/src/controller/operator.js')));
  assert.deepEqual(clientNodeModules(modules), []);
});
