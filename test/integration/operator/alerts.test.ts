// Chat alerts from a real rollback: AlertProviders (one with its address in a Secret)
// routed by severity, posted to local HTTP servers standing in for Slack and a generic
// webhook; a dead provider never blocks the rollback.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventually } from '../../harness/cluster.js';
import { setImage, waitForPhase, watchCanaryWeights } from '../../harness/canary.js';
import { waitForErrorRate } from '../../harness/prometheus.js';
import { canaryScenario } from '../../harness/scenario.js';
import { startWebhookServer } from '../../harness/webhook-server.js';

test('analysis.alerts: severities, a secretRef address, a message template and a dead provider', async (t) => {
  const chat = await startWebhookServer(t);
  const s = await canaryScenario(t, 'alerts', {
    start: false,
    canary: {
      analysis: {
        alerts: [
          { name: 'on-call', severity: 'error', providerRef: { name: 'slack' } },
          { name: 'audit', providerRef: { name: 'generic' } },
          { name: 'broken', severity: 'info', providerRef: { name: 'unreachable' } },
        ],
      },
    },
  });
  const { env } = s;
  const ns = env.namespace;
  await env.kube.create({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'slack-url', namespace: ns },
    stringData: { address: chat.url('/slack'), token: 'xoxb-test-token' },
  });
  const provider = (name: string, spec: Record<string, unknown>) =>
    env.kube.create({
      apiVersion: 'flagger.app/v1beta1',
      kind: 'AlertProvider',
      metadata: { name, namespace: ns },
      spec,
    });
  await provider('slack', { type: 'slack', channel: '#deploys', secretRef: { name: 'slack-url' } });
  await provider('generic', {
    type: 'webhook',
    address: chat.url('/generic'),
    messageTemplate: '[{{ severity }}] {{ name }}.{{ namespace }} {{ phase }}: {{ message }}',
  });
  // Nothing listens on port 9 of loopback: every post to it fails fast.
  await provider('unreachable', { type: 'msteams', address: 'http://127.0.0.1:9/teams' });
  await s.startOperator();

  await waitForPhase(env, 'Initialized');
  // Watched, not polled: with a 1 s interval weight 10 may last less than one poll on a loaded machine.
  const weights = await watchCanaryWeights(t, env);
  // The new version fails half of its requests, and Prometheus shows it before the analysis starts:
  // set after the first step, a short analysis could promote first on a loaded machine.
  s.exporter.set({ namespace: ns, workload: 'podinfo', rps: 20, errorRatio: 0.5, latencyMs: 40 });
  await waitForErrorRate(env.cluster.prometheusUrl, ns);
  await setImage(env, 'ghcr.io/stefanprodan/podinfo:6.0.1');
  await eventually('canary weight 10', () => (weights.values.includes(10) ? true : undefined));

  await waitForPhase(env, 'Failed', 90_000);
  await eventually('the error alert reaches Slack', () =>
    Promise.resolve(chat.count('/slack') > 0 ? true : undefined),
  );

  // Slack (severity error) gets only the rollback, with the token from the Secret.
  const slack = chat.received.filter((r) => r.path === '/slack');
  assert.equal(slack.length, 1, JSON.stringify(slack.map((r) => r.body)));
  const [onCall] = slack;
  assert.ok(onCall);
  assert.equal(onCall.headers['authorization'], 'Bearer xoxb-test-token');
  assert.deepEqual(onCall.body, {
    channel: '#deploys',
    username: 'flagger',
    icon_url: '',
    icon_emoji: ':rocket:',
    attachments: [
      {
        color: 'danger',
        author_name: `podinfo.${ns}`,
        text: 'Failed checks threshold reached 2',
        mrkdwn_in: ['text'],
        fields: [],
      },
    ],
  });

  // The generic webhook (no severity = info) gets everything, in order, worded by its template.
  const generic = chat.received
    .filter((r) => r.path === '/generic')
    .map((r) => r.body as Record<string, unknown>);
  const texts = generic.map((b) => b['message']);
  assert.deepEqual(
    texts.slice(0, 3),
    [
      `[info] podinfo.${ns} Initialized: New Deployment detected, initialization completed.`,
      `[info] podinfo.${ns} Progressing: New revision detected, progressing canary analysis.`,
      `[error] podinfo.${ns} Failed: Failed checks threshold reached 2`,
    ].slice(0, 3),
  );
  const newRevision = generic[1];
  assert.ok(newRevision);
  assert.equal(newRevision['severity'], 'info');
  assert.ok(
    (newRevision['fields'] as { name: string }[]).some((f) => f.name === 'Target'),
    'the new-revision alert carries the Target field',
  );

  // The unreachable provider was tried, counted as failed, and did not hold up the rollback.
  const metrics = await (await fetch(`http://127.0.0.1:${s.operator?.http.port ?? 0}/metrics`)).text();
  assert.match(metrics, /flagger_ts_alerts_total\{provider="msteams",result="failed"\} [1-9]/);
  assert.match(metrics, /flagger_ts_alerts_total\{provider="slack",result="sent"\} 1/);
  // The rollback itself is counted with Flagger's labels, and the status gauge says failed (2).
  assert.match(
    metrics,
    new RegExp(
      `flagger_canary_failures_total\\{name="podinfo",namespace="${ns}",deployment_strategy="canary",analysis_status="completed"\\} 1`,
    ),
  );
  assert.match(metrics, new RegExp(`flagger_canary_status\\{name="podinfo",namespace="${ns}"\\} 2`));
});
