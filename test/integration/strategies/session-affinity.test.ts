// Session affinity on the real control plane with real Prometheus: while the canary takes
// traffic the VirtualService sticks cookie holders to their side (canary and primary
// cookies, every cookie attribute) and status names the cookies; after promotion the
// run's cookie becomes the previous one and clients are told to delete it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canaryStatus, setImage, waitForPhase } from '../../harness/canary.js';
import { canaryScenario } from '../../harness/scenario.js';
import { httpRules, weightOf, type HttpRule, record } from './helpers.js';

const AFFINITY = {
  cookieName: 'flagger-cookie',
  primaryCookieName: 'flagger-primary',
  maxAge: 120,
  domain: 'example.com',
  path: '/',
  httpOnly: true,
  secure: true,
  sameSite: 'Lax',
  partitioned: true,
};

interface Seen {
  cookie: string | undefined;
  primaryCookie: string | undefined;
  previous: string | undefined;
  http: HttpRule[] | undefined;
}

test('session affinity: sticky cookie rules while the canary has weight, cookie expiry after promotion', async (t) => {
  const s = await canaryScenario(t, 'sticky', {
    canary: {
      analysis: { stepWeight: 20, maxWeight: 40, sessionAffinity: AFFINITY },
      spec: { service: { port: 9898, match: [{ uri: { prefix: '/' } }] } },
    },
  });
  const { env } = s;
  await waitForPhase(env, 'Initialized');
  const timeline = record(
    t,
    async (): Promise<Seen> => {
      const st = (await canaryStatus(env)).raw;
      const str = (k: string): string | undefined => (typeof st[k] === 'string' ? st[k] : undefined);
      return {
        cookie: str('sessionAffinityCookie'),
        primaryCookie: str('primarySessionAffinityCookie'),
        previous: str('previousSessionAffinityCookie'),
        http: await httpRules(env),
      };
    },
    150,
  );
  await setImage(env, 'ghcr.io/stefanprodan/podinfo:6.0.1');
  await waitForPhase(env, 'Succeeded', 60_000);
  await timeline.stop();

  // While the canary had weight: a status cookie and the VirtualService routing it.
  const during = timeline.values.find(
    (v) => v.cookie !== undefined && v.http?.[0]?.name === 'flagger-sticky-canary',
  );
  assert.ok(during, `sticky rules observed: ${JSON.stringify(timeline.values.map((v) => v.http?.length))}`);
  const cookie = during.cookie ?? '';
  const primaryCookie = during.primaryCookie ?? '';
  assert.match(cookie, /^flagger-cookie=[a-zA-Z]{10}$/);
  assert.match(primaryCookie, /^flagger-primary=[a-zA-Z]{10}$/);
  const [stickyCanary, stickyPrimary, weighted] = during.http ?? [];
  const value = (c: string): string => c.split('=')[1] ?? '';
  assert.deepEqual(stickyCanary?.match, [
    { uri: { prefix: '/' }, headers: { cookie: { regex: `.*flagger-cookie.*${value(cookie)}.*` } } },
  ]);
  assert.equal(weightOf(stickyCanary, 'podinfo-canary'), 100);
  assert.equal(stickyPrimary?.name, 'flagger-sticky-primary');
  assert.equal(weightOf(stickyPrimary, 'podinfo-primary'), 100);
  assert.ok(weightOf(weighted, 'podinfo-canary') > 0);
  const canaryDest = weighted?.route.find((d) => d.destination.host === 'podinfo-canary');
  assert.equal(
    canaryDest?.headers?.response?.add?.['Set-Cookie'],
    `${cookie}; Max-Age=120; Domain=example.com; HttpOnly; Partitioned; Path=/; SameSite=Lax; Secure`,
  );
  const primaryDest = weighted?.route.find((d) => d.destination.host === 'podinfo-primary');
  assert.equal(
    primaryDest?.headers?.response?.add?.['Set-Cookie'],
    `${primaryCookie}; Max-Age=1; Domain=example.com; HttpOnly; Partitioned; Path=/; SameSite=Lax; Secure`,
    'the primary cookie lives one analysis interval',
  );
  // One cookie for the whole run.
  const minted = new Set(timeline.values.map((v) => v.cookie).filter((c) => c !== undefined));
  assert.deepEqual([...minted], [cookie]);

  // After promotion: the run's cookie is the previous one, and holders are told to drop it.
  const final = (await canaryStatus(env)).raw;
  assert.equal(final['sessionAffinityCookie'], undefined);
  assert.equal(final['primarySessionAffinityCookie'], undefined);
  assert.equal(final['previousSessionAffinityCookie'], cookie);
  const http = (await httpRules(env)) ?? [];
  assert.equal(http.length, 2);
  assert.equal(http[0]?.name, 'flagger-cookie-expiry');
  assert.deepEqual(http[0].headers?.response?.add, { 'Set-Cookie': `${cookie}; Max-Age=-1` });
  assert.equal(weightOf(http[0], 'podinfo-primary'), 100);
  assert.equal(weightOf(http[1], 'podinfo-primary'), 100);
  assert.ok(
    http.every((r) => r.route.every((d) => d.headers === undefined)),
    'no Set-Cookie on destinations',
  );
});
