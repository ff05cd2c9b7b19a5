import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CanaryPhase } from '../../../src/api/status.js';
import { buildConditions, promotedCondition, promotedText } from '../../../src/core/conditions.js';

describe('Promoted condition (§1.2)', () => {
  const table: [CanaryPhase, string, string][] = [
    ['Initializing', 'Unknown', 'New Deployment detected, starting initialization.'],
    ['Initialized', 'True', 'Deployment initialization completed.'],
    ['Waiting', 'Unknown', 'Waiting for approval.'],
    ['WaitingPromotion', 'Unknown', 'Waiting for approval.'],
    ['Progressing', 'Unknown', 'New revision detected, progressing canary analysis.'],
    ['Promoting', 'Unknown', 'Canary analysis completed, starting primary rolling update.'],
    ['Finalising', 'Unknown', 'Canary analysis completed, routing all traffic to primary.'],
    ['Succeeded', 'True', 'Canary analysis completed successfully, promotion finished.'],
    ['Failed', 'False', 'Canary analysis failed, Deployment scaled to zero.'],
    ['Terminating', 'Unknown', 'New Deployment detected, starting initialization.'],
  ];
  for (const [phase, status, message] of table) {
    it(`${phase}: ${status} "${message}"`, () => {
      assert.deepEqual(promotedText(phase, 'Deployment'), { status, message });
      const c = promotedCondition(undefined, phase, 'Deployment', 't1');
      assert.deepEqual([c.type, c.reason], ['Promoted', phase]);
    });
  }

  it('keeps lastTransitionTime while the status stays the same', () => {
    const progressing = promotedCondition(undefined, 'Progressing', 'Deployment', 't1');
    const promoting = promotedCondition(progressing, 'Promoting', 'Deployment', 't2');
    assert.equal(promoting.lastTransitionTime, 't1');
    assert.equal(promoting.lastUpdateTime, 't2');
    const succeeded = promotedCondition(promoting, 'Succeeded', 'Deployment', 't3');
    assert.equal(succeeded.lastTransitionTime, 't3');
  });

  it('is not rewritten when neither status nor reason changes', () => {
    const c = promotedCondition(undefined, 'Progressing', 'Deployment', 't1');
    assert.equal(promotedCondition(c, 'Progressing', 'Deployment', 't9'), c);
  });

  it('keeps conditions of other types and adds Validated only for a problem', () => {
    const foreign = {
      type: 'Ready',
      status: 'True' as const,
      reason: 'x',
      message: '',
      lastUpdateTime: '',
      lastTransitionTime: '',
    };
    const out = buildConditions([foreign], 'Progressing', 'Deployment', 't1', { message: 'bad' });
    assert.deepEqual(
      out.map((c) => c.type),
      ['Promoted', 'Ready', 'Validated'],
    );
    assert.deepEqual(
      buildConditions(out, 'Progressing', 'Deployment', 't2').map((c) => c.type),
      ['Promoted', 'Ready'],
    );
  });
});
