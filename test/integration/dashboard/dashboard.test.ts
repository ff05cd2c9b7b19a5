// The dashboard in a real browser (Debian's headless Chromium) against the real control
// plane and operator. Users are ServiceAccounts logging in with their own tokens (the
// in-cluster `--auth token` mode): RBAC — the API server's decision, not the page —
// decides what each sees and does; the audit names who acted; the page moves live.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Watch } from '@kubernetes/client-node';
import type { Page } from 'puppeteer-core';
import { userRequestRef, readUserRequest } from '../../../src/controller/user-requests.js';
import { startDashboard, type Dashboard } from '../../../src/dashboard/server.js';
import { DEFAULTS } from '../../../src/dashboard/config.js';
import { isRecord } from '../../../src/kube/json.js';
import { silentLogger } from '../../../src/telemetry/logger.js';
import { canaryStatus, setImage, waitForPhase } from '../../harness/canary.js';
import { testEnv, type TestEnv } from '../../harness/cluster.js';
import { podinfoCanary } from '../../harness/fixtures.js';
import { canaryScenario } from '../../harness/scenario.js';
import { startWebhookServer } from '../../harness/webhook-server.js';
import { clickNow, launchBrowser, loginWithToken, newUserPage, screenshot, text } from './browser.js';
import { userWithRole } from './rbac-fixtures.js';

async function tokenDashboard(env: TestEnv, namespaces: string[]): Promise<Dashboard> {
  return startDashboard({
    mode: 'token',
    serverKubeConfig: env.kc,
    listenAddress: '127.0.0.1',
    port: 0,
    tls: undefined,
    secureCookies: false,
    readOnly: false,
    namespaces,
    allowedHosts: [],
    actionLimit: DEFAULTS.actionLimit,
    loginLimit: DEFAULTS.loginLimit,
    sessionIdleMs: DEFAULTS.sessionIdleMs,
    sessionMaxMs: DEFAULTS.sessionMaxMs,
    logger: silentLogger(),
  });
}

/** When (local clock) the API server first reported each canary weight, from a watch. */
function watchWeights(env: TestEnv, seen: Map<number, number>): Promise<AbortController> {
  return new Watch(env.kc).watch(
    `/apis/flagger.app/v1beta1/namespaces/${env.namespace}/canaries`,
    { fieldSelector: 'metadata.name=podinfo' },
    (_type: string, obj: unknown) => {
      const status = isRecord(obj) && isRecord(obj['status']) ? obj['status'] : {};
      const w = status['canaryWeight'];
      if (typeof w === 'number' && !seen.has(w)) seen.set(w, Date.now());
    },
    () => undefined,
  );
}

/** Records in the page when each weight text first appeared in #weight. */
async function recordPageWeights(page: Page): Promise<void> {
  await page.evaluate(`(() => {
    window.__weights = {};
    const note = () => {
      const el = document.getElementById('weight');
      if (el && !(el.textContent in window.__weights)) window.__weights[el.textContent] = Date.now();
    };
    note();
    new MutationObserver(note).observe(document.getElementById('main'), { childList: true, subtree: true, characterData: true });
  })()`);
}

async function confirmWith(page: Page, action: string, comment: string): Promise<string> {
  await clickNow(page, `#action-${action}`);
  await page.waitForSelector('#confirm[open]');
  await page.type('#confirm-comment', comment);
  await clickNow(page, '#confirm-ok');
  await page.waitForSelector('#banner:not([hidden])');
  return text(page, '#banner');
}

test('dashboard: RBAC decides who sees and who acts; audit names the user; weights move live', async (t) => {
  const hooks = await startWebhookServer(t);
  hooks.setStatus('/promote', 403); // confirm-promotion stays closed: the canary waits for a person
  const s = await canaryScenario(t, 'dash', {
    canary: {
      analysis: {
        interval: '2s',
        stepWeight: 10,
        maxWeight: 30,
        webhooks: [{ name: 'approve', type: 'confirm-promotion', url: hooks.url('/promote') }],
      },
    },
  });
  const { env } = s;
  const ns = env.namespace;
  // A namespace the users may not list, holding a canary of its own.
  const other = await testEnv(t, 'dash-hidden');
  await other.kube.create(podinfoCanary(other.namespace));
  const viewerToken = await userWithRole(env, 'viewer', false);
  const promoterToken = await userWithRole(env, 'promoter', true);
  const dashboard = await tokenDashboard(env, [ns, other.namespace]);
  t.after(() => dashboard.close());
  await waitForPhase(env, 'Initialized');

  const browser = await launchBrowser(t);
  const login = await newUserPage(browser);
  await login.page.goto(`${dashboard.url}login`);
  await screenshot(login.page, 'login');

  // --- the viewer: sees the canary, nothing of the other namespace ---
  const viewer = await newUserPage(browser);
  await loginWithToken(viewer.page, dashboard.url, viewerToken);
  await viewer.page.waitForSelector(`tr[data-canary="${ns}/podinfo"]`);
  assert.equal(await viewer.page.$(`tr[data-canary="${other.namespace}/podinfo"]`), null);
  assert.doesNotMatch(await text(viewer.page, '#namespaces'), new RegExp(other.namespace));
  assert.equal(await text(viewer.page, '#who'), `system:serviceaccount:${ns}:viewer`);
  await viewer.page.goto(`${dashboard.url}canaries/${other.namespace}/podinfo`);
  await viewer.page.waitForSelector('#failure');
  assert.match(await text(viewer.page, '#failure'), /refused to get canary podinfo.*forbidden/);

  // --- live: the detail page follows the weights as the operator moves them ---
  await viewer.page.goto(`${dashboard.url}canaries/${ns}/podinfo`);
  await viewer.page.waitForSelector('#weight');
  await recordPageWeights(viewer.page);
  const apiSeen = new Map<number, number>();
  const watch = await watchWeights(env, apiSeen);
  t.after(() => {
    watch.abort();
  });
  await setImage(env, 'ghcr.io/stefanprodan/podinfo:6.0.1');
  await waitForPhase(env, 'WaitingPromotion', 90_000);
  await viewer.page.waitForFunction(
    `document.querySelector('[data-phase]')?.textContent === 'WaitingPromotion'`,
  );
  const pageSeen = (await viewer.page.evaluate('window.__weights')) as Record<string, number>;
  for (const w of [10, 20, 30]) {
    const api = apiSeen.get(w);
    const shown = pageSeen[`${w}%`];
    assert.ok(api !== undefined && shown !== undefined, `weight ${w} seen by the API watch and the page`);
    t.diagnostic(`weight ${w}: in the page ${shown - api} ms after the API watch saw it`);
    assert.ok(shown - api < 1000, `weight ${w} shown ${shown - api} ms after the API server had it (< 1 s)`);
  }
  await viewer.page.waitForSelector('#weight-chart');
  await viewer.page.waitForSelector('[data-check="request-success-rate"]');

  // --- the viewer's promote reaches the API server, which refuses it ---
  const refused = await confirmWith(viewer.page, 'promote', 'viewer tries');
  assert.match(
    refused,
    /Refused \(HTTP 403\).*configmaps is forbidden: User "system:serviceaccount:[^"]+:viewer" cannot create/,
  );
  assert.equal(await env.kube.get(userRequestRef(ns, 'podinfo')), undefined, 'no request was written');
  assert.equal((await canaryStatus(env)).phase, 'WaitingPromotion');
  await screenshot(viewer.page, 'canary-refused');

  // --- the promoter promotes; the audit Event and the request object name them ---
  const promoter = await newUserPage(browser);
  await loginWithToken(promoter.page, dashboard.url, promoterToken);
  await promoter.page.waitForSelector(`tr[data-canary="${ns}/podinfo"]`);
  await clickNow(promoter.page, '#waiting-filter');
  await promoter.page.waitForSelector('#waiting-filter:checked');
  await promoter.page.waitForSelector(`tr[data-canary="${ns}/podinfo"]`);
  await screenshot(promoter.page, 'canaries');
  await promoter.page.goto(`${dashboard.url}canaries/${ns}/podinfo`);
  await promoter.page.waitForSelector('#action-promote:not([disabled])');
  const accepted = await confirmWith(promoter.page, 'promote', 'ship it after checking the dashboards');
  assert.match(accepted, /promote requested for podinfo/);
  await waitForPhase(env, 'Succeeded', 60_000);
  const who = `system:serviceaccount:${ns}:promoter`;
  await promoter.page.waitForFunction(
    `[...document.querySelectorAll('#audit-table tbody tr')].some((r) => r.textContent.includes('${who}') && r.textContent.includes('applied'))`,
  );
  await promoter.page.waitForFunction(`document.querySelector('[data-phase]')?.textContent === 'Succeeded'`);
  await screenshot(promoter.page, 'canary');
  const events = await env.core.listNamespacedEvent({ namespace: ns });
  const audit = events.items.find((e) => e.reason === 'UserActionRequested');
  assert.ok(audit, 'an audit Event was written');
  assert.match(
    audit.message ?? '',
    new RegExp(`^promote requested by ${who} for revision \\S+ \\(request [0-9a-f-]+\\): ship it`),
  );
  assert.equal(audit.involvedObject.kind, 'Canary');
  const stored = readUserRequest(await env.kube.get(userRequestRef(ns, 'podinfo')));
  assert.equal(stored?.requestedBy, who);
  assert.equal(stored.ack?.outcome, 'applied');

  // --- CSRF and Origin: the promoter's own cookie is not enough ---
  const cookie = (await promoter.page.browserContext().cookies()).find((c) => c.name === 'fts_session');
  assert.ok(cookie?.httpOnly === true && cookie.sameSite === 'Strict');
  const post = (headers: Record<string, string>) =>
    fetch(`${dashboard.url}api/canaries/${ns}/podinfo/abort`, {
      method: 'POST',
      headers: { Cookie: `fts_session=${cookie.value}`, 'Content-Type': 'application/json', ...headers },
      body: '{}',
    });
  const origin = dashboard.url.replace(/\/$/, '');
  assert.equal((await post({ Origin: origin })).status, 403, 'no CSRF token');
  assert.equal((await post({ Origin: 'http://evil.example', 'X-CSRF-Token': 'x' })).status, 403);
  const page = await fetch(dashboard.url, { headers: { Cookie: `fts_session=${cookie.value}` } });
  assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'self'/);
  for (const u of [viewer, promoter])
    assert.deepEqual(
      u.problems.filter((p) => /Content Security Policy|Refused to/.test(p)),
      [],
      'no CSP violation in the page',
    );
});
