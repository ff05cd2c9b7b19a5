// The chart's in-cluster dashboard (dashboard.enabled=true) on the real control plane:
// its ServiceAccount and RBAC are applied as rendered, and the dashboard runs as a local
// process with the Deployment's own arguments under a TokenRequest token of that
// ServiceAccount (KWOK pods run no containers). That identity is enough to review a
// user's token and write the audit Event, and reads no canary itself; the user, bound to
// the chart's -view/-act ClusterRoles, sees and acts with their own token.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { createKubeClient } from '../../../src/kube/client.js';
import { statusCode } from '../../../src/kube/errors.js';
import { eventually, testEnv } from '../../harness/cluster.js';
import { podinfoCanary } from '../../harness/fixtures.js';
import { FLAGGER_CRDS, installCrds } from '../../harness/kubectl.js';
import { serviceAccountKubeconfig } from '../packaging/identity.js';
import { findObject, helmTemplate } from '../packaging/tools.js';

const CLI = new URL('../../../src/cli/main.js', import.meta.url).pathname;

/** Reads server-sent events until `want` matches one; returns its data. */
async function firstEvent(
  url: string,
  cookie: string,
  want: (event: string, data: string) => boolean,
): Promise<string> {
  const ctl = new AbortController();
  const res = await fetch(url, { headers: { Cookie: cookie }, signal: ctl.signal });
  assert.equal(res.status, 200);
  const reader = res.body!.getReader() as ReadableStreamDefaultReader<Uint8Array>;
  const decoder = new TextDecoder();
  let buf = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error('stream ended');
      buf += decoder.decode(value, { stream: true });
      for (const block of buf.split('\n\n')) {
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event !== undefined && data !== undefined && want(event, data)) return data;
      }
    }
  } finally {
    ctl.abort();
  }
}

test('chart dashboard: its ServiceAccount reviews tokens and writes audit Events; users act as themselves', async (t) => {
  const env = await testEnv(t, 'dash-chart');
  const ns = env.namespace;
  installCrds(env.cluster, FLAGGER_CRDS);
  const objs = helmTemplate('flagger-ts', {
    release: ns,
    namespace: ns,
    values: { dashboard: { enabled: true, namespaces: [ns] } },
  }).filter((o) => o.metadata.name.endsWith('-dashboard') || o.metadata.name.includes('-dashboard-'));
  assert.deepEqual(objs.map((o) => o.kind).sort(), [
    'ClusterRole',
    'ClusterRole',
    'ClusterRole',
    'ClusterRoleBinding',
    'Deployment',
    'Service',
    'ServiceAccount',
  ]);
  for (const o of objs) {
    await env.kube.create(o);
    if (o.metadata.namespace === undefined)
      t.after(() => env.kube.delete({ apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name }));
  }
  const name = `${ns}-flagger-ts-dashboard`;
  const deployment = findObject(objs, 'Deployment', name);
  const container = (deployment['spec'] as { template: { spec: { containers: { args: string[] }[] } } })
    .template.spec.containers[0]!;
  // The pod's arguments, but on loopback and any free port.
  const args = container.args
    .filter((a) => !a.startsWith('--listen-address=') && !a.startsWith('--port='))
    .concat(['--listen-address=127.0.0.1', '--port=0']);
  assert.equal(args[0], 'dashboard');
  const sa = await serviceAccountKubeconfig(t, env, ns, name);

  // The dashboard's own identity reads no canary.
  await assert.rejects(
    createKubeClient(sa.kc).list('flagger.app/v1beta1', 'Canary', ns),
    (err) => statusCode(err) === 403,
  );

  // A user bound to the chart's ClusterRoles in this namespace, and a canary to act on.
  await env.kube.create({
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: 'alice', namespace: ns },
  });
  for (const role of ['view', 'act'])
    await env.kube.create({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: `alice-${role}`, namespace: ns },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: `${name}-${role}` },
      subjects: [{ kind: 'ServiceAccount', name: 'alice', namespace: ns }],
    });
  const canary = await env.kube.create(podinfoCanary(ns));
  await env.kube.patchStatus(
    { apiVersion: 'flagger.app/v1beta1', kind: 'Canary', namespace: ns, name: 'podinfo' },
    { phase: 'Progressing', canaryWeight: 10, lastAppliedSpec: 'rev-a' },
  );
  const aliceToken = (
    await env.core.createNamespacedServiceAccountToken({
      name: 'alice',
      namespace: ns,
      body: { spec: { audiences: [] } },
    })
  ).status?.token;
  assert.ok(aliceToken);

  const child = spawn(process.execPath, [CLI, ...args, '--kubeconfig', sa.kubeconfigPath], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  t.after(() => child.kill('SIGTERM'));
  const out: string[] = [];
  createInterface({ input: child.stdout }).on('line', (l) => out.push(l));
  const base = await eventually('the dashboard URL', () =>
    out.map((l) => /dashboard on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(l)?.[1]).find((x) => x !== undefined),
  );
  const origin = base.replace(/\/$/, '');

  const login = await fetch(`${base}login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { Origin: origin, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token: aliceToken }).toString(),
  });
  assert.equal(login.status, 303, 'TokenReview with the chart ServiceAccount accepted alice');
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  const bad = await fetch(`${base}login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { Origin: origin, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: 'token=not-a-token',
  });
  assert.equal(bad.status, 401);

  const list = await firstEvent(`${base}api/stream/list`, cookie, (e) => e === 'list');
  assert.match(list, new RegExp(`"namespace":"${ns}","name":"podinfo","phase":"Progressing"`));
  const session = (await (await fetch(`${base}api/session`, { headers: { Cookie: cookie } })).json()) as {
    user: string;
    csrf: string;
  };
  assert.equal(session.user, `system:serviceaccount:${ns}:alice`);
  const abort = await fetch(`${base}api/canaries/${ns}/podinfo/abort`, {
    method: 'POST',
    headers: {
      Cookie: cookie,
      Origin: origin,
      'X-CSRF-Token': session.csrf,
      'Content-Type': 'application/json',
    },
    body: JSON.stringify({ comment: 'stop it', revision: 'rev-a' }),
  });
  assert.equal(abort.status, 202, await abort.clone().text());
  const event = await eventually('the audit Event', async () =>
    (await env.core.listNamespacedEvent({ namespace: ns })).items.find(
      (e) => e.reason === 'UserActionRequested',
    ),
  );
  assert.equal(event.source?.component, 'flagger-ts-dashboard');
  assert.equal(event.involvedObject.uid, canary.metadata.uid);
  assert.match(
    event.message ?? '',
    new RegExp(`^abort requested by system:serviceaccount:${ns}:alice for revision rev-a .*: stop it$`),
  );
});
