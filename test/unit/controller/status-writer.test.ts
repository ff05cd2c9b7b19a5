import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMergePatch, prunedStatusFields, writeStatus } from '../../../src/controller/status-writer.js';
import { FakeKubeClient } from '../../../src/kube/fake-client.js';
import type { KubeObject } from '../../../src/kube/types.js';

const canary = (status: Record<string, unknown>): KubeObject => ({
  apiVersion: 'flagger.app/v1beta1',
  kind: 'Canary',
  metadata: { name: 'podinfo', namespace: 'test' },
  status,
});

describe('status writes', () => {
  it('the merge patch holds only what changed, null for what went away', () => {
    assert.deepEqual(
      createMergePatch(
        { phase: 'Progressing', canaryWeight: 10, x: 1 },
        { phase: 'Progressing', canaryWeight: 20 },
      ),
      {
        canaryWeight: 20,
        x: null,
      },
    );
  });

  it("names our status fields that the API server pruned (Flagger's CRD still installed)", () => {
    const sent = {
      phase: 'Progressing',
      observedGeneration: 3,
      lastAnalysisTime: '2026-12-05T10:00:00Z',
      checks: [],
    };
    const flaggersSchema = canary({ phase: 'Progressing' });
    assert.deepEqual(prunedStatusFields(sent, flaggersSchema), [
      'observedGeneration',
      'lastAnalysisTime',
      'checks',
    ]);
    const ours = canary({ ...sent });
    assert.deepEqual(prunedStatusFields(sent, ours), []);
    // Fields we did not send, or removed, say nothing about the schema.
    assert.deepEqual(prunedStatusFields({ phase: 'Progressing', checks: null }, flaggersSchema), []);
    assert.deepEqual(prunedStatusFields(sent, undefined), []);
  });

  it('keeps another controller\'s condition without times as it was, not as "" (the CRD rejects that)', async () => {
    // Found by test/integration/reliability/conflict-storm.test.ts: every status write failed
    // with 422 "lastUpdateTime in body must be of type date-time" and the canary never advanced.
    const foreign = { type: 'Reviewed', status: 'True', message: 'by another tool' };
    const stored = canary({ phase: 'Initialized', conditions: [foreign] });
    const kube = new FakeKubeClient();
    kube.seed(stored);
    const parsedForeign = { ...foreign, reason: '', lastUpdateTime: '', lastTransitionTime: '' };
    const promoted = {
      type: 'Promoted',
      status: 'Unknown',
      reason: 'Progressing',
      message: 'New revision detected, progressing canary analysis.',
      lastUpdateTime: '2026-12-05T10:00:00Z',
      lastTransitionTime: '2026-12-05T10:00:00Z',
    };
    await writeStatus(kube, stored, { phase: 'Progressing', conditions: [parsedForeign, promoted] });
    const written = kube.peek({
      apiVersion: 'flagger.app/v1beta1',
      kind: 'Canary',
      namespace: 'test',
      name: 'podinfo',
    })?.['status'] as { conditions: Record<string, unknown>[] };
    assert.deepEqual(written.conditions, [{ ...foreign, reason: '' }, promoted]);
  });
});
