// Provider `knative` with Knative Serving's REAL controller (knative.dev/serving v0.42.2, its
// webhook and HPA autoscaler) and its Gateway API ingress (net-gateway-api v0.42.0) in front of
// the lane's Traefik (knative-serving.ts). The operator writes the Knative Service's
// spec.traffic; Knative's webhook validates it, its controller turns it into the Route's
// status.traffic and a Knative Ingress, net-gateway-api into an HTTPRoute with weighted
// backends, and Traefik splits the requests the test sends between the revisions' pods (the
// pod-server plays each pod, queue-proxy included). Checks are computed by Prometheus from
// Traefik's own metrics for each revision's Service (a MetricTemplate: the builtin knative
// query reads Kourier's Envoy stats, and Kourier is not obtainable here).
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import type { KubeObject } from '../../../src/kube/types.js';
import { canaryStatus, waitForPhase } from '../../harness/canary.js';
import { eventually, testEnv, updateObject, type TestEnv } from '../../harness/cluster.js';
import { startStepGate, type StepGate } from '../../harness/lane/gate.js';
import { send, startLoad, type Target } from '../../harness/lane/load.js';
import { PodServer, type PodCount } from '../../harness/lane/pod-server.js';
import { FLAGGER_CRDS, installCrds } from '../../harness/kubectl.js';
import { startTestOperator } from '../../harness/operator.js';
import { knativeHost, knativeServing, knativeUnavailable, type KnativeInstall } from './knative-serving.js';
import { MAX_WEIGHT, REQUESTS_PER_STEP, STEP_WEIGHT, TOLERANCE_POINTS, laneAnalysis } from './flows.js';

const KSVC = 'serving.knative.dev/v1';
const ksvcRef = (ns: string): { apiVersion: string; kind: string; namespace: string; name: string } => ({
  apiVersion: KSVC,
  kind: 'Service',
  namespace: ns,
  name: 'podinfo',
});

interface TrafficTarget {
  readonly revisionName?: string;
  readonly latestRevision?: boolean;
  readonly percent?: number;
}

const statusOf = (o: KubeObject | undefined): Record<string, unknown> =>
  (o?.['status'] ?? {}) as Record<string, unknown>;

/** Ready condition of a Knative object. */
const isReady = (o: KubeObject | undefined): boolean =>
  ((statusOf(o)['conditions'] ?? []) as { type?: string; status?: string }[]).some(
    (c) => c.type === 'Ready' && c.status === 'True',
  );

/** What Knative's controller routes (the Service's status.traffic, copied from the Route). */
const routedTraffic = (svc: KubeObject | undefined): TrafficTarget[] =>
  (statusOf(svc)['traffic'] ?? []) as TrafficTarget[];

function knativeService(ns: string, podEnv: Record<string, string>): KubeObject {
  return {
    ...ksvcRef(ns),
    metadata: { name: 'podinfo', namespace: ns },
    spec: {
      template: {
        // One pod per revision, kept while the revision exists (the HPA class never scales on
        // missing CPU metrics; see knative-serving.ts).
        metadata: { annotations: { 'autoscaling.knative.dev/min-scale': '1' } },
        spec: {
          containers: [
            {
              image: 'dev.local/podinfo:6.0.0',
              env: Object.entries(podEnv).map(([name, value]) => ({ name, value })),
              ports: [{ containerPort: 9898 }],
            },
          ],
        },
      },
    },
  };
}

/** Success rate of one revision from Traefik's metrics of the revision's Service (HTTPRoute backend). */
function traefikSuccessRate(ns: string, prometheusUrl: string): KubeObject {
  const svc = 'service="{{ namespace }}-{{ route }}-http-80@kubernetesgateway"';
  return {
    apiVersion: 'flagger.app/v1beta1',
    kind: 'MetricTemplate',
    metadata: { name: 'revision-success-rate', namespace: ns },
    spec: {
      provider: { type: 'prometheus', address: prometheusUrl },
      query:
        `sum(rate(traefik_service_requests_total{${svc},code!~"5.."}[{{ interval }}]))` +
        ` / sum(rate(traefik_service_requests_total{${svc}}[{{ interval }}])) * 100`,
    },
  };
}

const SUCCESS_RATE = {
  name: 'request-success-rate',
  templateRef: { name: 'revision-success-rate' },
  interval: '10s',
  thresholdRange: { min: 99 },
};

/** The canary revision's share of each weighted Traefik service routing this namespace's podinfo. */
async function traefikShares(adminUrl: string, ns: string, canaryRevision: string): Promise<number[]> {
  const res = await fetch(`${adminUrl}/api/http/services?per_page=1000`);
  if (!res.ok) throw new Error(`traefik API: ${res.status}`);
  const services = (await res.json()) as {
    weighted?: { services?: { name?: string; weight?: number }[] };
  }[];
  const shares: number[] = [];
  for (const s of services) {
    const children = s.weighted?.services ?? [];
    if (!children.some((c) => (c.name ?? '').startsWith(`${ns}-podinfo-`))) continue;
    let canary = 0;
    let total = 0;
    for (const c of children) {
      total += c.weight ?? 1;
      if (c.name === `${ns}-${canaryRevision}-http-80`) canary += c.weight ?? 1;
    }
    shares.push(total === 0 ? 0 : (100 * canary) / total);
  }
  return shares;
}

/** Requests per VERSION between two snapshots of the pod-server's counts. */
function byVersion(before: readonly PodCount[], after: readonly PodCount[]): Record<string, number> {
  const prev = new Map(before.map((c) => [c.uid, c.requests]));
  const out: Record<string, number> = {};
  for (const c of after) out[c.version] = (out[c.version] ?? 0) + c.requests - (prev.get(c.uid) ?? 0);
  return out;
}

/** What the operator and Knative reported, for a failure message: the canary's status and events, Knative's routing. */
async function diagnose(env: TestEnv): Promise<string> {
  const parts: string[] = [];
  try {
    const st = await canaryStatus(env);
    parts.push(
      `canary: ${st.phase} weight ${st.canaryWeight} failedChecks ${st.failedChecks} ${JSON.stringify(st.conditions)}`,
    );
  } catch (err) {
    parts.push(`canary: ${String(err)}`);
  }
  const events = await env.core.listNamespacedEvent({ namespace: env.namespace }).catch(() => undefined);
  for (const e of (events?.items ?? []).filter((x) => x.involvedObject.kind === 'Canary').slice(-15)) {
    parts.push(`event ${e.lastTimestamp?.toISOString() ?? ''} ${e.reason ?? ''}: ${e.message ?? ''}`);
  }
  const svc = await env.kube.get(ksvcRef(env.namespace)).catch(() => undefined);
  parts.push(
    `Knative Service spec.traffic ${JSON.stringify((svc?.['spec'] as { traffic?: unknown } | undefined)?.traffic)}`,
  );
  parts.push(`status.traffic ${JSON.stringify(routedTraffic(svc))}`);
  parts.push(`latestCreated ${String(statusOf(svc)['latestCreatedRevisionName'])} ready ${isReady(svc)}`);
  return parts.join('\n');
}

interface KnativeCase {
  readonly env: TestEnv;
  readonly kn: KnativeInstall;
  readonly pods: PodServer;
  readonly gate: StepGate;
  readonly target: Target;
  /** Replaces the revision template's env: Knative creates a new revision. */
  rollout(podEnv: Record<string, string>): Promise<void>;
  service(): Promise<KubeObject | undefined>;
}

async function knativeCase(t: TestContext, prefix: string): Promise<KnativeCase> {
  const kn = await knativeServing();
  const env = await testEnv(t, `knative-${prefix}`);
  const ns = env.namespace;
  installCrds(env.cluster, FLAGGER_CRDS);
  const pods = new PodServer(env.kc, ns);
  await pods.start();
  t.after(() => pods.stop());
  const gate = await startStepGate(t);
  const service = (): Promise<KubeObject | undefined> => env.kube.get(ksvcRef(ns));
  await env.kube.create(knativeService(ns, { VERSION: 'v1' }));
  const created = Date.now();
  await eventually(
    `Knative Service ${ns}/podinfo Ready (Configuration, Revision, Route, Ingress)`,
    async () => (isReady(await service()) ? true : undefined),
    120_000,
  ).catch((err: unknown) => {
    throw new Error(`${String(err)}; Knative's logs: ${kn.logs.join(' ')}`);
  });
  t.diagnostic(`Knative Service Ready ${Date.now() - created} ms after it was created`);
  await env.kube.create(traefikSuccessRate(ns, env.cluster.prometheusUrl));
  return {
    env,
    kn,
    pods,
    gate,
    target: { url: kn.gatewayUrl, host: knativeHost(ns, 'podinfo') },
    service,
    async rollout(podEnv) {
      // The operator writes spec.traffic of the same object: retried on 409.
      await updateObject(env.kube, ksvcRef(ns), (live) => {
        const spec = live['spec'] as { template: { spec: { containers: { env?: unknown }[] } } };
        const container = spec.template.spec.containers[0];
        assert.ok(container);
        container.env = Object.entries(podEnv).map(([name, value]) => ({ name, value }));
      });
    },
  };
}

async function startCanary(t: TestContext, c: KnativeCase): Promise<void> {
  await c.env.kube.create({
    apiVersion: 'flagger.app/v1beta1',
    kind: 'Canary',
    metadata: { name: 'podinfo', namespace: c.env.namespace },
    spec: {
      provider: 'knative',
      targetRef: { apiVersion: KSVC, kind: 'Service', name: 'podinfo' },
      progressDeadlineSeconds: 120,
      // The lane's analysis, with more room for checks without samples: a weight reaches the
      // pods only after Knative's Route, its Ingress, net-gateway-api's HTTPRoute and Traefik's
      // reload, so Traefik's first series for a new revision come a few seconds after the step
      // (one run rolled back on three "no values found" at threshold 3).
      analysis: { ...laneAnalysis(c.gate.url, [SUCCESS_RATE]), threshold: 6 },
    },
  });
  await startTestOperator(t, c.env, { meshProvider: 'knative' });
  await waitForPhase(c.env, 'Initialized', 90_000);
}

async function waitRoutable(target: Target): Promise<void> {
  await eventually(
    `${target.host} routed through Knative's HTTPRoute`,
    async () => ((await send(target)).status === 200 ? true : undefined),
    60_000,
  );
}

const unavailable = knativeUnavailable();

test(
  "knative with Knative Serving's own controller: each step is validated, routed by Knative, and the revisions receive the weight ±5 points",
  { skip: unavailable ?? false },
  async (t) => {
    const c = await knativeCase(t, 'promote');
    const ns = c.env.namespace;
    await startCanary(t, c);
    const initialized = await c.service();
    const primary = initialized?.metadata.annotations?.['flagger.app/primary-revision'];
    assert.equal(primary, 'podinfo-00001');
    await waitRoutable(c.target);
    const load = startLoad(c.target, { concurrency: 4, maxMs: 300_000 });
    const table: string[] = [];
    try {
      await c.rollout({ VERSION: 'v2' });
      for (let weight = STEP_WEIGHT; weight <= MAX_WEIGHT; weight += STEP_WEIGHT) {
        c.gate.allow();
        await eventually(
          `canary weight ${weight}`,
          async () => {
            const s = await canaryStatus(c.env);
            if (s.phase === 'Failed') throw new Error(`canary failed: ${JSON.stringify(s.conditions)}`);
            return s.phase === 'Progressing' && s.canaryWeight === weight ? true : undefined;
          },
          90_000,
        );
        // Knative's controller accepted the operator's spec.traffic and routes it ...
        const routed = await eventually(
          `Knative routing ${weight}% to the latest revision`,
          async (): Promise<TrafficTarget[] | undefined> => {
            const svc = await c.service();
            const latest = routedTraffic(svc).find((x) => x.latestRevision === true);
            const prim: TrafficTarget | undefined = routedTraffic(svc).find(
              (x) => x.revisionName === primary && x.latestRevision !== true,
            );
            return latest?.percent === weight && prim?.percent === 100 - weight
              ? routedTraffic(svc)
              : undefined;
          },
          30_000,
        );
        const canaryRevision = routed.find((x) => x.latestRevision === true)?.revisionName ?? '';
        assert.equal(canaryRevision, 'podinfo-00002');
        // ... net-gateway-api programmed it into Traefik ...
        // (every route: net-gateway-api writes the external and the cluster-local HTTPRoute
        // one after the other, and Traefik may apply them a moment apart)
        await eventually(`Traefik applying ${weight}% to ${canaryRevision}`, async () => {
          const shares = await traefikShares(c.kn.traefikAdminUrl, ns, canaryRevision);
          return shares.length > 0 && shares.every((s) => Math.abs(s - weight) < 0.01) ? true : undefined;
        });
        // ... and the revisions' pods receive that split.
        const before = c.pods.counts();
        const got = await eventually(
          `${REQUESTS_PER_STEP} requests at the revisions' pods`,
          () => {
            const v = byVersion(before, c.pods.counts());
            return (v['v1'] ?? 0) + (v['v2'] ?? 0) >= REQUESTS_PER_STEP ? v : undefined;
          },
          90_000,
        );
        const total = (got['v1'] ?? 0) + (got['v2'] ?? 0);
        const share = (100 * (got['v2'] ?? 0)) / total;
        table.push(`${weight}%→${share.toFixed(1)}% (${got['v2'] ?? 0}/${total})`);
        assert.ok(Math.abs(share - weight) <= TOLERANCE_POINTS, `step ${weight}: ${table.join(', ')}`);
      }
      c.gate.allow(); // the promotion
      await waitForPhase(c.env, 'Succeeded', 90_000);
    } catch (err) {
      throw new Error(`${String(err)}\n${await diagnose(c.env)}`);
    } finally {
      const tally = await load.stop();
      t.diagnostic(table.join(' '));
      t.diagnostic(`answers during the rollout: ${JSON.stringify(tally.byStatus)}`);
    }
    const promoted = await c.service();
    assert.equal(promoted?.metadata.annotations?.['flagger.app/primary-revision'], 'podinfo-00002');
    const after = routedTraffic(promoted);
    assert.deepEqual(
      after.map((x) => [x.revisionName, x.percent]),
      [
        ['podinfo-00002', 0],
        ['podinfo-00002', 100],
      ],
      'Knative routes everything to the promoted revision',
    );
    await eventually('Traefik applying 100% to podinfo-00002', async () => {
      const shares = await traefikShares(c.kn.traefikAdminUrl, ns, 'podinfo-00002');
      return shares.length > 0 && shares.every((s) => s === 100) ? true : undefined;
    });
    const versions = new Set<string>();
    for (let i = 0; i < 50; i++) versions.add((await send(c.target)).version);
    assert.deepEqual([...versions], ['v2']);
  },
);

test(
  "knative with Knative Serving's own controller: 20 % errors, measured by Traefik, roll the revision back",
  { skip: unavailable ?? false },
  async (t) => {
    const c = await knativeCase(t, 'errors');
    await startCanary(t, c);
    await waitRoutable(c.target);
    const load = startLoad(c.target, { concurrency: 4, maxMs: 240_000 });
    let failed;
    try {
      c.gate.allow(1_000);
      await c.rollout({ VERSION: 'v2', ERROR_RATE: '0.2' });
      failed = await waitForPhase(c.env, 'Failed', 150_000);
    } catch (err) {
      throw new Error(`${String(err)}\n${await diagnose(c.env)}`);
    } finally {
      await load.stop();
    }
    assert.equal(failed.canaryWeight, 0);
    t.diagnostic(`checks: ${JSON.stringify(failed.raw['checks'])}`);
    const checks = (failed.raw['checks'] ?? []) as { name: string; value?: number; passed: boolean }[];
    const bad = checks.filter((x) => x.name === 'request-success-rate' && !x.passed);
    assert.ok(
      bad.some((x) => (x.value ?? 0) > 60 && (x.value ?? 0) < 95),
      `a failed success-rate check near 80 in ${JSON.stringify(checks)}`,
    );
    // Knative routes everything back to the primary revision, and the pods see it.
    await eventually('Knative routing 0% to the failed revision', async () => {
      const svc = await c.service();
      const latest = routedTraffic(svc).find((x) => x.latestRevision === true);
      return latest?.percent === 0 && latest.revisionName === 'podinfo-00002' ? true : undefined;
    });
    await eventually('Traefik applying 0% to podinfo-00002', async () =>
      (await traefikShares(c.kn.traefikAdminUrl, c.env.namespace, 'podinfo-00002')).every((s) => s === 0)
        ? true
        : undefined,
    );
    const before = c.pods.counts();
    for (let i = 0; i < 300; i++) await send(c.target);
    const got = byVersion(before, c.pods.counts());
    assert.ok(
      (got['v2'] ?? 0) <= 3,
      `after the rollback the failed revision received ${JSON.stringify(got)}`,
    );
    assert.ok((got['v1'] ?? 0) >= 290, JSON.stringify(got));
  },
);
