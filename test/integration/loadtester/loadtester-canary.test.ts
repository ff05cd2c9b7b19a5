// The load tester driving real canaries the way Flagger users wire it: manual gates
// (/gate/check, /gate/open, /rollback/check, /rollback/open), a blocking `bash`
// acceptance test that passes or fails, and a `cmd` hey load test against a local server.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test, type TestContext } from 'node:test';
import { canaryStatus, setImage, waitForPhase } from '../../harness/canary.js';
import { moreReconciles } from '../../harness/operator.js';
import { canaryScenario } from '../../harness/scenario.js';
import { startLoadtester, type Loadtester } from '../../../src/loadtester/server.js';
import { createLogger } from '../../../src/telemetry/logger.js';

async function loadtester(t: TestContext): Promise<Loadtester> {
  const lt = await startLoadtester({ port: 0, host: '127.0.0.1', logger: createLogger('error') });
  t.after(() => lt.close());
  return lt;
}

/** A loopback HTTP server standing in for the canary's pods: counts the requests it gets. */
async function countingServer(t: TestContext): Promise<{ url: string; count: () => number }> {
  let n = 0;
  const server = createServer((_req, res) => {
    n++;
    res.end('ok');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(
    () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => {
          r();
        });
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, count: () => n };
}

async function post(url: string, body: unknown): Promise<number> {
  const res = await fetch(url, { method: 'POST', body: JSON.stringify(body) });
  await res.text();
  return res.status;
}

test('load tester gates hold and release a real canary; a hey load test reaches the app', async (t) => {
  const lt = await loadtester(t);
  const app = await countingServer(t);
  const s = await canaryScenario(t, 'ltgate', {
    canary: {
      analysis: {
        webhooks: [
          { name: 'approval', type: 'confirm-rollout', url: `${lt.url}/gate/check` },
          {
            name: 'acceptance',
            type: 'pre-rollout',
            url: `${lt.url}/`,
            timeout: '10s',
            metadata: { type: 'bash', cmd: 'test "$(echo ready)" = ready' },
          },
          {
            name: 'load',
            type: 'rollout',
            url: `${lt.url}/`,
            metadata: { cmd: `hey -z 2s -q 5 -c 2 ${app.url}` },
          },
          { name: 'manual-rollback', type: 'rollback', url: `${lt.url}/rollback/check` },
        ],
      },
    },
  });
  const { env } = s;
  const gate = { name: 'podinfo', namespace: env.namespace };
  await waitForPhase(env, 'Initialized');
  await setImage(env, 'ghcr.io/stefanprodan/podinfo:6.0.1');
  await waitForPhase(env, 'Waiting');
  // Two more reconciles (each asks the gate) are the evidence that the operator kept holding.
  assert.ok(s.operator);
  await moreReconciles(s.operator, 2);
  assert.equal((await canaryStatus(env)).phase, 'Waiting', 'held while the gate is closed');
  assert.equal(await post(`${lt.url}/gate/check`, gate), 403);

  assert.equal(await post(`${lt.url}/gate/open`, gate), 202);
  assert.equal(await post(`${lt.url}/gate/check`, gate), 200);
  const done = await waitForPhase(env, 'Succeeded', 90_000);
  assert.equal(
    done.failedChecks,
    0,
    'the bash acceptance test passed and the closed rollback gate did not fire',
  );

  // hey ran on the built-in generator: 2 workers at 5 req/s for 2s per run, de-duplicated
  // while running, so each run sends at most 20 requests (+ one in flight per worker).
  const sent = app.count();
  assert.ok(sent > 0, 'the load test reached the app');
  const events = await env.core.listNamespacedEvent({ namespace: env.namespace });
  const progressing = events.items.filter((e) => (e.message ?? '').startsWith('Advance podinfo.')).length;
  assert.ok(sent <= (progressing + 2) * 22, `bounded load: ${sent} requests over ${progressing} steps`);
});

test('a failing bash acceptance test (non-2xx from the load tester) rolls a real canary back', async (t) => {
  const lt = await loadtester(t);
  const s = await canaryScenario(t, 'ltfail', {
    canary: {
      analysis: {
        threshold: 2,
        webhooks: [
          {
            name: 'acceptance',
            type: 'pre-rollout',
            url: `${lt.url}/`,
            metadata: { type: 'bash', cmd: 'echo "token missing" >&2; exit 3' },
          },
        ],
      },
    },
  });
  const { env } = s;
  await waitForPhase(env, 'Initialized');
  await setImage(env, 'ghcr.io/stefanprodan/podinfo:6.0.1');
  await waitForPhase(env, 'Failed', 90_000);
  const events = await env.core.listNamespacedEvent({ namespace: env.namespace });
  assert.ok(
    events.items.some((e) => e.reason === 'PreRolloutFailed' && (e.message ?? '').includes('acceptance')),
    'the non-2xx answer of the load tester failed the pre-rollout check',
  );
});

test('opening /rollback/open rolls back a progressing canary', async (t) => {
  const lt = await loadtester(t);
  const s = await canaryScenario(t, 'ltrollback', {
    canary: {
      analysis: {
        maxWeight: 50,
        stepWeight: 5,
        webhooks: [{ name: 'manual-rollback', type: 'rollback', url: `${lt.url}/rollback/check` }],
      },
    },
  });
  const { env } = s;
  await waitForPhase(env, 'Initialized');
  await setImage(env, 'ghcr.io/stefanprodan/podinfo:6.0.1');
  await waitForPhase(env, 'Progressing');
  assert.equal(await post(`${lt.url}/rollback/open`, { name: 'podinfo', namespace: env.namespace }), 202);
  const failed = await waitForPhase(env, 'Failed', 60_000);
  assert.equal(failed.canaryWeight, 0);
});
