// The judge lane's runs (judge.lane.ts): a Traefik canary with the baseline cohort whose pods
// answer as their env says, rolled out under steady load, and what the run left in status,
// at the pods and in the cluster. Not a lane file itself (no .lane.ts suffix).
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { canaryStatus, waitForPhase, type CanaryStatusView } from '../../harness/canary.js';
import { eventually } from '../../harness/cluster.js';
import { startLoad, type Target } from '../../harness/lane/load.js';
import type { PodCount } from '../../harness/lane/pod-server.js';
import { laneScenario, type LaneScenario } from '../../harness/lane/scenario.js';
import { laneRouter, laneState } from '../../harness/lane/state.js';
import type { KubeObject } from '../../../src/kube/types.js';
import { waitRoutable } from './flows.js';

interface JudgeCase {
  readonly s: LaneScenario;
  readonly target: Target;
}

/** Samples and per-pod series from the pod-server's podinfo histogram, per cohort (`{{ target }}`). */
const series = (ns: string, extra = ''): string =>
  `{kubernetes_namespace="${ns}",kubernetes_pod_name=~"{{ target }}-[0-9a-z]+-[0-9a-z]+"${extra}}`;

/** Mean latency of each pod over 5 s, every second: ≥ 20 points per cohort within ~10 s of traffic. */
export function latencyMetric(ns: string): Record<string, unknown> {
  const sum = `sum by (kubernetes_pod_name) (rate(http_request_duration_seconds_sum${series(ns)}[5s]))`;
  const count = `sum by (kubernetes_pod_name) (rate(http_request_duration_seconds_count${series(ns)}[5s]))`;
  return {
    name: 'latency',
    interval: '20s',
    query: `${sum} / ${count}`,
    judge: { kind: 'latency', step: '1s', minSamples: 20 },
  };
}

/**
 * Errors and requests since the cohort's pods started. Canary and baseline pods start with the
 * analysis, so the raw counters cover the same run for both (increase() would miss the first
 * count of an error series that appears mid-window).
 */
export function errorsMetric(ns: string, minRequests: number): Record<string, unknown> {
  return {
    name: 'errors',
    interval: '20s',
    query: `sum(http_request_duration_seconds_count${series(ns, ',status="500"')})`,
    judge: {
      kind: 'errors',
      requestsQuery: `sum(http_request_duration_seconds_count${series(ns)})`,
      minRequests,
    },
  };
}

/**
 * A weighted canary with the baseline cohort, up to weight 50: with step 25 first 50/25/25
 * (primary/baseline/canary), then 0/50/50; with step 50 at once 0/50/50.
 */
function judgeAnalysis(metrics: Record<string, unknown>[], stepWeight: number): Record<string, unknown> {
  return {
    interval: '3s',
    threshold: 2,
    stepWeight,
    maxWeight: 50,
    baseline: { enabled: true },
    metrics,
  };
}

/** The three-way routers the lane runs: Traefik (TraefikService), Gateway API via Traefik, Contour/Envoy. */
export type JudgeRouter = 'traefik' | 'gatewayapi:v1' | 'contour';

/** What the user owns in front of the canary, the Canary's service block, and the Host to send. */
function front(
  router: JudgeRouter,
  ns: string,
): { objects: KubeObject[]; spec?: Record<string, unknown>; host: string } {
  switch (router) {
    case 'traefik':
      return {
        host: `${ns}.traefik.lane`,
        objects: [
          {
            apiVersion: 'traefik.io/v1alpha1',
            kind: 'IngressRoute',
            metadata: { name: 'podinfo', namespace: ns },
            spec: {
              entryPoints: ['web'],
              routes: [
                {
                  kind: 'Rule',
                  match: `Host(\`${ns}.traefik.lane\`)`,
                  services: [{ name: 'podinfo', kind: 'TraefikService' }],
                },
              ],
            },
          },
        ],
      };
    case 'contour':
      return {
        host: `${ns}.contour.lane`,
        objects: [
          {
            apiVersion: 'projectcontour.io/v1',
            kind: 'HTTPProxy',
            metadata: { name: 'podinfo-root', namespace: ns },
            spec: {
              virtualhost: { fqdn: `${ns}.contour.lane` },
              includes: [{ name: 'podinfo', namespace: ns }],
            },
          },
        ],
      };
    case 'gatewayapi:v1': {
      const gateway = laneState().gateway;
      if (gateway === undefined) throw new Error('the lane has no Gateway (Traefik did not start)');
      return {
        host: `${ns}.gw.lane`,
        objects: [],
        spec: {
          service: {
            port: 9898,
            hosts: [`${ns}.gw.lane`],
            gatewayRefs: [{ name: gateway.name, namespace: gateway.namespace }],
          },
        },
      };
    }
  }
}

async function judgeCase(scope: TestContext, o: RunOptions): Promise<JudgeCase> {
  const { router } = o;
  const lane = laneRouter(router === 'contour' ? 'contour' : 'traefik');
  const s = await laneScenario(scope, `judge-${o.prefix}`, {
    provider: router,
    podEnv: o.primaryEnv,
    canary: (_gate, ns) => {
      const f = front(router, ns);
      const analysis = judgeAnalysis(o.metrics(ns), o.stepWeight);
      return { analysis, ...(f.spec === undefined ? {} : { spec: f.spec }) };
    },
    userObjects: (ns) => front(router, ns).objects,
  });
  return { s, target: { url: lane.url, host: front(router, s.env.namespace).host } };
}

/** Requests each cohort's pods received between two PodServer.counts() snapshots. */
function byCohort(before: readonly PodCount[], after: readonly PodCount[]): Record<string, number> {
  const prev = new Map(before.map((c) => [c.uid, c.requests]));
  const out: Record<string, number> = { primary: 0, baseline: 0, canary: 0 };
  for (const c of after) {
    const n = c.requests - (prev.get(c.uid) ?? 0);
    const cohort = c.app === 'podinfo' ? 'canary' : c.app.replace(/^podinfo-/, '');
    out[cohort] = (out[cohort] ?? 0) + n;
  }
  return out;
}

export interface Split {
  readonly cohorts: Record<string, number>;
  readonly total: number;
}

/** While the canary holds weight 25 and the baseline takes traffic: what 1,000 requests reached. */
async function measureSplit(c: JudgeCase): Promise<Split> {
  await c.s.waitForWeight(25, 90_000);
  await eventually('baseline pods receive traffic', () =>
    c.s.pods.counts().some((p) => p.app === 'podinfo-baseline' && p.requests > 0) ? true : undefined,
  );
  const before = c.s.pods.counts();
  return eventually(
    '1,000 requests at the pods',
    () => {
      const cohorts = byCohort(before, c.s.pods.counts());
      const total = Object.values(cohorts).reduce((a, b) => a + b, 0);
      return total >= 1000 ? { cohorts, total } : undefined;
    },
    120_000,
  );
}

/** primary = 100 − 2 × 25, baseline = canary = 25 (±5 points). */
export function assertThreeWaySplit(split: Split): void {
  const pct = (cohort: string): number => (100 * (split.cohorts[cohort] ?? 0)) / split.total;
  for (const [cohort, want] of [
    ['primary', 50],
    ['baseline', 25],
    ['canary', 25],
  ] as const) {
    assert.ok(
      Math.abs(pct(cohort) - want) <= 5,
      `${cohort} got ${pct(cohort).toFixed(1)} %: ${JSON.stringify(split)}`,
    );
  }
}

/** Whether the baseline Deployment and Service are gone (within 30 s of the end of the analysis). */
async function baselineRemoved(c: JudgeCase): Promise<boolean> {
  const ns = c.s.env.namespace;
  const ref = (apiVersion: string, kind: string) => ({
    apiVersion,
    kind,
    name: 'podinfo-baseline',
    namespace: ns,
  });
  return eventually(
    'podinfo-baseline Deployment and Service deleted',
    async () => {
      const d = await c.s.env.kube.get(ref('apps/v1', 'Deployment'));
      const svc = await c.s.env.kube.get(ref('v1', 'Service'));
      return d === undefined && svc === undefined ? true : undefined;
    },
    30_000,
  ).catch(() => false);
}

interface JudgedCheck {
  name: string;
  passed: boolean;
  message?: string;
  value?: number;
  judge?: {
    verdict: string;
    against: string;
    windows: {
      window: string;
      verdict: string;
      tests?: { test: string; pvalue?: number }[];
      effects?: { measure: string; value?: number }[];
      baseline: { n: number; query?: string; rate?: number; total?: number };
      canary: { n: number; query?: string; rate?: number; total?: number };
    }[];
  };
}

export interface RunResult {
  readonly status: CanaryStatusView;
  readonly checks: JudgedCheck[];
  readonly baselineRequests: number;
  readonly baselineRemoved: boolean;
  readonly split?: Split | undefined;
}

const checksOf = (s: CanaryStatusView): JudgedCheck[] => (s.raw['checks'] ?? []) as JudgedCheck[];

/** Sets up, rolls out `canaryEnv` under steady (bounded) load and waits for `phase`. */
export interface RunOptions {
  readonly router: JudgeRouter;
  readonly prefix: string;
  /** The first revision's pod env (the primary's, hence the baseline's) and the canary's. */
  readonly primaryEnv: Record<string, string>;
  readonly canaryEnv: Record<string, string>;
  readonly metrics: (ns: string) => Record<string, unknown>[];
  readonly stepWeight: number;
  readonly phase: 'Failed' | 'Succeeded';
  /** Measure the split at weight 25 (a judge that waits must hold the weight there). */
  readonly split?: boolean;
}

export async function judgedRun(scope: TestContext, o: RunOptions): Promise<RunResult> {
  const c = await judgeCase(scope, o);
  await waitForPhase(c.s.env, 'Initialized', 120_000);
  await waitRoutable(c.target);
  // Bounded, and generous for a loaded machine; a run normally ends within about a minute.
  const load = startLoad(c.target, { concurrency: 6, maxMs: 360_000 });
  try {
    await c.s.rollout({ VERSION: 'v2', ...o.canaryEnv });
    const measured = o.split === true ? await measureSplit(c) : undefined;
    const end = await waitForPhase(c.s.env, o.phase, 300_000).catch(async (err: unknown) => {
      // What each pod (name, app label, version) answered: shows a cohort that was not what it should be.
      const pods = c.s.pods.counts().map((p) => `${p.pod} ${p.app} ${p.version}: ${p.requests}/${p.errors}`);
      const checks = JSON.stringify(checksOf(await canaryStatus(c.s.env)).slice(-3));
      throw new Error(`${String(err)}; pods: ${pods.join(', ')}; last checks: ${checks}`);
    });
    const baseline = c.s.pods.counts().filter((p) => p.app === 'podinfo-baseline');
    return {
      status: end,
      checks: checksOf(end),
      baselineRequests: baseline.reduce((n, p) => n + p.requests, 0),
      baselineRemoved: await baselineRemoved(c),
      split: measured,
    };
  } finally {
    await load.stop();
  }
}
