// `flagger-ts dashboard` as a user runs it: the compiled CLI with a kubeconfig, on
// loopback, printing a single-use login link. The page shows the kubeconfig user (from a
// SelfSubjectReview); with --read-only every action is refused; foreign Host headers
// (DNS rebinding) and reused login links are refused.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { eventually, testEnv } from '../../harness/cluster.js';
import { podinfoCanary } from '../../harness/fixtures.js';
import { FLAGGER_CRDS, installCrds } from '../../harness/kubectl.js';
import { launchBrowser, newUserPage, text } from './browser.js';

const CLI = new URL('../../../src/cli/main.js', import.meta.url).pathname;

test('local dashboard: kubeconfig user, single-use login link, read-only, loopback Host only', async (t) => {
  const env = await testEnv(t, 'dash-local');
  installCrds(env.cluster, FLAGGER_CRDS);
  await env.kube.create(podinfoCanary(env.namespace));
  const child = spawn(
    process.execPath,
    [
      CLI,
      'dashboard',
      '--kubeconfig',
      env.cluster.kubeconfig,
      '--port',
      '0',
      '--namespaces',
      env.namespace,
      '--read-only',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  t.after(() => child.kill('SIGTERM'));
  const lines: string[] = [];
  createInterface({ input: child.stdout }).on('line', (l) => lines.push(l));
  const link = await eventually('the login link on stdout', () =>
    lines
      .map((l) => /login link: (http:\/\/127\.0\.0\.1:\d+\/login\?code=\S+)/.exec(l)?.[1])
      .find((x) => x !== undefined),
  );
  const base = link.replace(/login\?code=.*$/, '');

  const browser = await launchBrowser(t);
  const user = await newUserPage(browser);
  await user.page.goto(link);
  await user.page.waitForSelector(`tr[data-canary="${env.namespace}/podinfo"]`);
  const who = await text(user.page, '#who');
  assert.match(who, /read-only/);
  assert.doesNotMatch(who, /^unknown/, `the kubeconfig user as the API server names it (${who})`);
  await user.page.goto(`${base}canaries/${env.namespace}/podinfo`);
  await user.page.waitForSelector('#weight');
  assert.match(await text(user.page, '#main'), /Read-only dashboard/);

  // The link worked once; a second browser cannot use it.
  const second = await newUserPage(browser);
  const again = await second.page.goto(link);
  assert.equal(again?.status(), 401);
  // Actions are refused in read-only mode even with a valid session and CSRF token.
  const cookie = (await user.page.browserContext().cookies()).find((c) => c.name === 'fts_session');
  assert.ok(cookie);
  const session = (await (
    await fetch(`${base}api/session`, { headers: { Cookie: `fts_session=${cookie.value}` } })
  ).json()) as { csrf: string };
  const res = await fetch(`${base}api/canaries/${env.namespace}/podinfo/abort`, {
    method: 'POST',
    headers: {
      Cookie: `fts_session=${cookie.value}`,
      Origin: base.replace(/\/$/, ''),
      'X-CSRF-Token': session.csrf,
      'Content-Type': 'application/json',
    },
    body: '{}',
  });
  assert.equal(res.status, 403);
  assert.match(((await res.json()) as { error: string }).error, /read-only/);
  // DNS rebinding: a page on another name pointing at 127.0.0.1 gets nothing.

  const status = await new Promise<number>((resolve, reject) => {
    const r = request(base, { headers: { Host: 'attacker.example' } }, (rs) => {
      rs.resume();
      resolve(rs.statusCode ?? 0);
    });
    r.on('error', reject);
    r.end();
  });
  assert.equal(status, 421);
});
