// An error the operator cannot fix by itself (here: the autoscalerRef names an HPA that
// does not exist) is retried with back-off and shown to the user as a Warning Event on
// the Canary, folded into one Event with a count rather than one per retry.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventually } from '../../harness/cluster.js';
import { canaryScenario } from '../../harness/scenario.js';

test('a reconcile error is a Warning Event on the Canary, folded across retries', async (t) => {
  const s = await canaryScenario(t, 'recerr', {
    canary: {
      spec: {
        autoscalerRef: {
          apiVersion: 'autoscaling/v2',
          kind: 'HorizontalPodAutoscaler',
          name: 'podinfo-missing',
        },
      },
    },
  });
  const { env } = s;
  const event = await eventually(
    'a ReconcileError event',
    async () => {
      const events = await env.core.listNamespacedEvent({ namespace: env.namespace });
      return events.items.find((e) => e.reason === 'ReconcileError' && e.involvedObject.kind === 'Canary');
    },
    60_000,
  );
  assert.equal(event.type, 'Warning');
  assert.match(event.message ?? '', /^Reconcile failed, retrying: .*podinfo-missing/);
  // Retries keep one Event and raise its count instead of creating more.
  await eventually(
    'the event folded with a count',
    async () => {
      const events = await env.core.listNamespacedEvent({ namespace: env.namespace });
      const same = events.items.filter((e) => e.reason === 'ReconcileError');
      return same.length === 1 && (same[0]?.count ?? 1) > 1 ? true : undefined;
    },
    60_000,
  );
});
