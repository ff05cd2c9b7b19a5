import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { V1Deployment, V1DeploymentCondition } from '@kubernetes/client-node';
import {
  canaryReadiness,
  deploymentReadiness,
  primaryReadiness,
  type Readiness,
} from '../../../src/targets/readiness.js';

const NOW = Date.parse('2025-01-01T12:00:00Z');
const minutesAgo = (m: number): string => new Date(NOW - m * 60_000).toISOString();

interface Shape {
  generation?: number;
  observed?: number;
  replicas?: number;
  status?: { replicas?: number; updatedReplicas?: number; availableReplicas?: number };
  conditions?: Partial<V1DeploymentCondition>[];
}

function dep({
  generation = 2,
  observed = 2,
  replicas = 3,
  status = {},
  conditions = [],
}: Shape): V1Deployment {
  return {
    metadata: { name: 'podinfo', namespace: 'test', generation },
    spec: { replicas, selector: {}, template: {} },
    status: {
      observedGeneration: observed,
      replicas: 3,
      updatedReplicas: 3,
      availableReplicas: 3,
      ...status,
      conditions: conditions.map((c) => ({ type: 'Progressing', status: 'True', ...c })),
    },
  };
}

const stuck = (since: string): Partial<V1DeploymentCondition>[] => [
  { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated' },
  // Timestamps arrive as strings from the JSON client; the model type says Date.
  {
    type: 'Available',
    status: 'False',
    reason: 'MinimumReplicasUnavailable',
    lastUpdateTime: since as unknown as Date,
  },
];

const W = 'waiting for rollout to finish: ';
const cases: { name: string; shape: Shape; threshold?: number; want: Readiness }[] = [
  { name: 'rolled out', shape: {}, want: { ready: true } },
  {
    name: 'generation not observed yet',
    shape: { generation: 3, observed: 2 },
    want: {
      ready: false,
      retriable: true,
      message: `${W}observed deployment generation less than desired generation`,
    },
  },
  {
    name: 'progress deadline exceeded',
    shape: { conditions: [{ reason: 'ProgressDeadlineExceeded', status: 'False' }] },
    want: { ready: false, retriable: false, message: 'deployment "podinfo" exceeded its progress deadline' },
  },
  {
    name: 'replicas not updated',
    shape: { status: { updatedReplicas: 1 } },
    want: { ready: false, retriable: true, message: `${W}1 out of 3 new replicas have been updated` },
  },
  {
    name: 'old replicas terminating',
    shape: { status: { replicas: 5 } },
    want: { ready: false, retriable: true, message: `${W}2 old replicas are pending termination` },
  },
  {
    name: 'not enough available',
    shape: { status: { availableReplicas: 2 } },
    want: {
      ready: false,
      retriable: true,
      message: `${W}2 of 3 (readyThreshold 100%) updated replicas are available`,
    },
  },
  {
    name: 'threshold lets a partial rollout pass',
    shape: { status: { availableReplicas: 2 } },
    threshold: 50,
    want: { ready: true },
  },
  {
    name: 'threshold rounds down',
    shape: { replicas: 10, status: { replicas: 10, updatedReplicas: 10, availableReplicas: 6 } },
    threshold: 75,
    want: {
      ready: false,
      retriable: true,
      message: `${W}6 of 7 (readyThreshold 75%) updated replicas are available`,
    },
  },
  {
    name: 'unavailable within the deadline stays retriable',
    shape: { status: { availableReplicas: 1 }, conditions: stuck(minutesAgo(5)) },
    want: {
      ready: false,
      retriable: true,
      message: `${W}1 of 3 (readyThreshold 100%) updated replicas are available`,
    },
  },
  {
    name: 'unavailable past the deadline is not retriable',
    shape: { status: { availableReplicas: 1 }, conditions: stuck(minutesAgo(11)) },
    want: {
      ready: false,
      retriable: false,
      message: `${W}1 of 3 (readyThreshold 100%) updated replicas are available`,
    },
  },
  {
    name: 'past-deadline unavailability only counts with a Progressing condition',
    shape: { status: { availableReplicas: 1 }, conditions: stuck(minutesAgo(11)).slice(1) },
    want: {
      ready: false,
      retriable: true,
      message: `${W}1 of 3 (readyThreshold 100%) updated replicas are available`,
    },
  },
];

for (const c of cases) {
  test(`deploymentReadiness: ${c.name}`, () => {
    // Deadline 600s, as progressDeadlineSeconds defaults.
    assert.deepEqual(deploymentReadiness(dep(c.shape), c.threshold ?? 100, 600, NOW), c.want);
  });
}

test('deploymentReadiness accepts Date timestamps (client-node models)', () => {
  const d = dep({ status: { availableReplicas: 1 }, conditions: stuck(minutesAgo(11)) });
  const available = d.status!.conditions![1]!;
  available.lastUpdateTime = new Date(NOW - 11 * 60_000);
  assert.equal((deploymentReadiness(d, 100, 600, NOW) as { retriable: boolean }).retriable, false);
});

const ctx = {
  canaryName: 'podinfo',
  namespace: 'test',
  thresholdPercent: 100,
  progressDeadlineSeconds: 600,
  now: NOW,
};

test('canaryReadiness and primaryReadiness prefix the message like Flagger', () => {
  assert.deepEqual(canaryReadiness(dep({ status: { updatedReplicas: 1 } }), ctx), {
    ready: false,
    retriable: true,
    message: `${W}1 out of 3 new replicas have been updated`,
  });
  const primary = dep({ status: { updatedReplicas: 1 } });
  primary.metadata!.name = 'podinfo-primary';
  assert.deepEqual(primaryReadiness(primary, { ...ctx, hasAutoscaler: false }), {
    ready: false,
    retriable: true,
    message: `${W}1 out of 3 new replicas have been updated`,
  });
});

test('primaryReadiness halts (retriable) on a primary scaled to zero, unless an autoscaler owns it', () => {
  const zero = dep({ replicas: 0, status: { replicas: 0, updatedReplicas: 0, availableReplicas: 0 } });
  zero.metadata!.name = 'podinfo-primary';
  assert.deepEqual(deploymentReadiness(zero, 100, 600, NOW), { ready: true });
  assert.deepEqual(primaryReadiness(zero, { ...ctx, hasAutoscaler: false }), {
    ready: false,
    retriable: true,
    message: 'halt podinfo.test advancement: primary deployment is scaled to zero',
  });
  assert.deepEqual(primaryReadiness(zero, { ...ctx, hasAutoscaler: true }), { ready: true });
});
