// MetricTemplate health on the template itself (condition Ready: ProviderOnline,
// ProviderUnreachable with the last error, InvalidTemplate), and a Canary that references
// an unusable template is InvalidSpec before any analysis runs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canaryStatus, waitForPhase } from '../../harness/canary.js';
import { eventually, type TestEnv } from '../../harness/cluster.js';
import { canaryScenario } from '../../harness/scenario.js';
import { startDatadog } from '../../unit/metrics/vendors/datadog.js';
import { closedPort } from '../../unit/metrics/stub-server.js';

interface Condition {
  readonly type: string;
  readonly status: string;
  readonly reason: string;
  readonly message: string;
}

async function readyCondition(env: TestEnv, name: string): Promise<Condition | undefined> {
  const obj = await env.kube.get({
    apiVersion: 'flagger.app/v1beta1',
    kind: 'MetricTemplate',
    namespace: env.namespace,
    name,
  });
  const conditions = (obj?.['status'] as { conditions?: Condition[] } | undefined)?.conditions ?? [];
  return conditions.find((c) => c.type === 'Ready');
}

function template(env: TestEnv, name: string, provider: Record<string, unknown>) {
  return env.kube.create({
    apiVersion: 'flagger.app/v1beta1',
    kind: 'MetricTemplate',
    metadata: { name, namespace: env.namespace },
    spec: { provider, query: 'sum:requests.errors{*}' },
  });
}

test('templates report whether their provider is online, and an unusable one makes the canary InvalidSpec', async (t) => {
  const dd = await startDatadog('api-key', 'app-key');
  t.after(() => dd.close());
  const s = await canaryScenario(t, 'tmplstatus', {
    start: false,
    canary: {
      analysis: {
        metrics: [{ name: 'errors', templateRef: { name: 'broken' }, thresholdRange: { max: 1 } }],
      },
    },
  });
  const { env } = s;
  await env.kube.create({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'dd', namespace: env.namespace },
    stringData: { datadog_api_key: 'api-key', datadog_application_key: 'app-key' },
  });
  await env.kube.create({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'dd-wrong', namespace: env.namespace },
    stringData: { datadog_api_key: 'leaked-if-logged', datadog_application_key: 'app-key' },
  });
  await template(env, 'online', {
    type: 'datadog',
    address: dd.url,
    insecureSkipVerify: true,
    secretRef: { name: 'dd' },
  });
  await template(env, 'rejected', {
    type: 'datadog',
    address: dd.url,
    insecureSkipVerify: true,
    secretRef: { name: 'dd-wrong' },
  });
  await template(env, 'down', { type: 'graphite', address: `http://127.0.0.1:${await closedPort()}` });
  await template(env, 'broken', { type: 'dynatrace', secretRef: { name: 'dd' } });
  await template(env, 'no-region', { type: 'cloudwatch' });
  await s.startOperator();

  const expect = async (name: string, status: string, reason: string, message: RegExp): Promise<void> => {
    const c = await eventually(`MetricTemplate ${name} Ready=${status}`, async () => {
      const r = await readyCondition(env, name);
      return r?.reason === reason ? r : undefined;
    });
    assert.equal(c.status, status);
    assert.match(c.message, message);
    assert.ok(!c.message.includes('leaked-if-logged'), 'a secret in the condition message');
  };
  await expect('online', 'True', 'ProviderOnline', /datadog provider is online/);
  await expect(
    'rejected',
    'False',
    'ProviderUnreachable',
    /error response: \{"errors":\["Forbidden"\]\}: HTTP 403/,
  );
  await expect('down', 'False', 'ProviderUnreachable', /ECONNREFUSED|unreachable/);
  await expect('no-region', 'False', 'InvalidTemplate', /^region not specified$/);
  // dynatrace without an address, but with a secretRef: the build fails once the secret is read.
  await expect('broken', 'False', 'InvalidTemplate', /dynatrace endpoint is not set/);

  // The canary references "broken"; without a secretRef the problem is static and known before analysis.
  await env.kube.mergePatch(
    { apiVersion: 'flagger.app/v1beta1', kind: 'MetricTemplate', namespace: env.namespace, name: 'broken' },
    { spec: { provider: { secretRef: null } } },
  );
  const st = await eventually('canary InvalidSpec', async () => {
    const c = (await canaryStatus(env)).conditions.find((x) => x.type === 'Validated');
    return c?.reason === 'InvalidSpec' ? c : undefined;
  });
  assert.equal(st.status, 'False');
  assert.match(
    st.message,
    /spec\.analysis\.metrics\[0\]\.templateRef: MetricTemplate .*\/broken is invalid: dynatrace endpoint is not set/,
  );
  const status = await canaryStatus(env);
  assert.equal(status.phase === 'Progressing' || status.phase === 'Succeeded', false);
  assert.equal(((status.raw['checks'] as unknown[] | undefined) ?? []).length, 0, 'no analysis ran');

  // Fixed, the canary initializes.
  await env.kube.mergePatch(
    { apiVersion: 'flagger.app/v1beta1', kind: 'MetricTemplate', namespace: env.namespace, name: 'broken' },
    { spec: { provider: { type: 'datadog', address: dd.url, secretRef: { name: 'dd' } } } },
  );
  await waitForPhase(env, 'Initialized');
});
