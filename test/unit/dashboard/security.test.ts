// The dashboard's security pieces without a cluster: sessions and cookies, the CSRF
// comparison, the Origin/Host checks, rate limits, comment cleaning, and that the pages
// carry no inline script or style the CSP would have to allow.
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { test } from 'node:test';
import { KubeConfig } from '@kubernetes/client-node';
import { auditMessage, cleanComment, MAX_COMMENT } from '../../../src/dashboard/actions.js';
import { LoginCodes } from '../../../src/dashboard/auth-routes.js';
import { tokenKubeConfig } from '../../../src/dashboard/identity.js';
import { appPage, loginPage } from '../../../src/dashboard/pages.js';
import { RateLimiter } from '../../../src/dashboard/rate-limit.js';
import { CSP, hostAllowed, loopbackHosts, sameOrigin } from '../../../src/dashboard/security.js';
import { parseCookies, secretEquals, sessionCookie, SessionStore } from '../../../src/dashboard/sessions.js';

const req = (headers: Record<string, string>): IncomingMessage => ({ headers }) as unknown as IncomingMessage;

function kubeconfig(): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: 'https://127.0.0.1:6443', caData: 'Q0E=', skipTLSVerify: false }],
    users: [{ name: 'admin', certData: 'Y2VydA==', keyData: 'a2V5' }],
    contexts: [{ name: 'ctx', cluster: 'c', user: 'admin' }],
    currentContext: 'ctx',
  });
  return kc;
}

test('sessions: opaque ids, idle and absolute expiry', () => {
  let now = 0;
  const store = new SessionStore({ idleMs: 1000, maxMs: 5000 }, () => now);
  const s = store.create({ username: 'alice', groups: [] }, kubeconfig());
  assert.match(s.id, /^[A-Za-z0-9_-]{43}$/);
  assert.notEqual(s.id, s.csrf);
  now = 900;
  assert.equal(store.get(s.id)?.identity.username, 'alice');
  now = 1800; // 900 ms after the last use: still alive
  assert.ok(store.get(s.id));
  now = 2900; // idle for 1100 ms
  assert.equal(store.get(s.id), undefined);
  const t = store.create({ username: 'bob', groups: [] }, kubeconfig());
  for (now = 3000; now < 8500; now += 500) store.get(t.id);
  assert.equal(store.get(t.id), undefined, 'absolute lifetime ends even an active session');
  assert.equal(store.get(undefined), undefined);
  assert.equal(store.get('guess'), undefined);
});

test('cookies: HttpOnly, SameSite=Strict, Secure only with TLS', () => {
  const plain = sessionCookie('abc', false, 60);
  assert.match(plain, /^fts_session=abc; Path=\/; HttpOnly; SameSite=Strict; Max-Age=60$/);
  assert.match(sessionCookie('abc', true, 60), /; Secure$/);
  assert.equal(parseCookies('a=1; fts_session=xyz; b=2').get('fts_session'), 'xyz');
  assert.ok(secretEquals('same', 'same'));
  assert.ok(!secretEquals('other', 'same'));
  assert.ok(!secretEquals(undefined, 'same'));
  assert.ok(!secretEquals('sam', 'same'));
});

test('the user token goes into a KubeConfig with the cluster CA and nothing of the dashboard identity', () => {
  const kc = tokenKubeConfig(kubeconfig(), 'user-token');
  assert.equal(kc.getCurrentCluster()?.server, 'https://127.0.0.1:6443');
  assert.equal(kc.getCurrentCluster()?.caData, 'Q0E=');
  const user = kc.getCurrentUser();
  assert.equal(user?.token, 'user-token');
  assert.equal(user.certData, undefined);
  assert.equal(user.keyData, undefined);
});

test('origin: only this server, and Fetch-Metadata must agree; hosts against DNS rebinding', () => {
  const p = { tls: false, allowedHosts: loopbackHosts(9090) };
  assert.ok(sameOrigin(req({ host: '127.0.0.1:9090', origin: 'http://127.0.0.1:9090' }), p));
  assert.ok(!sameOrigin(req({ host: '127.0.0.1:9090', origin: 'http://evil.example' }), p));
  assert.ok(!sameOrigin(req({ host: '127.0.0.1:9090' }), p), 'no Origin: refused');
  assert.ok(!sameOrigin(req({ host: 'a:1', origin: 'https://a:1' }), p), 'scheme matters');
  assert.ok(
    !sameOrigin(
      req({ host: '127.0.0.1:9090', origin: 'http://127.0.0.1:9090', 'sec-fetch-site': 'cross-site' }),
      p,
    ),
  );
  assert.ok(hostAllowed(req({ host: 'localhost:9090' }), p));
  assert.ok(!hostAllowed(req({ host: 'attacker.example:9090' }), p));
  assert.ok(hostAllowed(req({ host: 'dash.example' }), { tls: true, allowedHosts: [] }));
});

test('rate limits: a burst, then one per refill period, per key', () => {
  let now = 0;
  const rl = new RateLimiter({ burst: 2, refillMs: 1000 }, () => now);
  assert.equal(rl.take('alice'), 0);
  assert.equal(rl.take('alice'), 0);
  assert.equal(rl.take('alice'), 1000);
  assert.equal(rl.take('bob'), 0, 'other users are not affected');
  now = 1000;
  assert.equal(rl.take('alice'), 0);
  assert.ok(rl.take('alice') > 0);
});

test('comments: one line, bounded; the audit message names who, what, revision and why', () => {
  assert.equal(cleanComment('  ship\nit\t now '), 'ship it now');
  assert.throws(() => cleanComment('x'.repeat(MAX_COMMENT + 1)), /longer than/);
  assert.equal(
    auditMessage({
      time: '',
      user: 'system:serviceaccount:t:alice',
      action: 'promote',
      revision: 'abc',
      comment: 'ship it',
      requestId: 'r1',
    }),
    'promote requested by system:serviceaccount:t:alice for revision abc (request r1): ship it',
  );
});

test('login codes (local mode) work once and expire', () => {
  const codes = new LoginCodes();
  const c = codes.issue(0);
  assert.ok(codes.redeem(c, 1000));
  assert.ok(!codes.redeem(c, 1000), 'single use');
  const late = codes.issue(0);
  assert.ok(!codes.redeem(late, 11 * 60_000));
});

test('pages: no inline script or style, so the CSP needs no unsafe-inline', () => {
  assert.doesNotMatch(CSP, /unsafe/);
  assert.match(CSP, /script-src 'self'/);
  for (const html of [appPage(), loginPage({ mode: 'token', error: '<img src=x onerror=alert(1)>' })]) {
    assert.doesNotMatch(html, /<script(?![^>]*\ssrc=)/, 'every script has a src');
    assert.doesNotMatch(html, /<style|<[^>]*\s(style|on[a-z]+)=/);
  }
  assert.match(loginPage({ mode: 'token', error: '<b>' }), /&#60;b&#62;/, 'errors are escaped');
});
