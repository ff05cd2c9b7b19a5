import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  advance,
  nextCanaryRoutes,
  nextStepWeight,
  promotionStep,
  weightSchedule,
} from '../../../src/core/weights.js';

describe('weight schedules (Flagger worked examples, §2.8)', () => {
  const cases = [
    {
      name: 'stepWeight 20, maxWeight 50 → 20, 40, 60',
      cfg: { stepWeight: 20, stepWeights: [] },
      max: 50,
      want: [20, 40, 60],
    },
    {
      name: 'stepWeights [1,2,10,80] → 1, 2, 10, 80',
      cfg: { stepWeight: 0, stepWeights: [1, 2, 10, 80] },
      max: 80,
      want: [1, 2, 10, 80],
    },
    {
      name: 'stepWeights [1,2,10,200] → capped at 100',
      cfg: { stepWeight: 0, stepWeights: [1, 2, 10, 200] },
      max: 100,
      want: [1, 2, 10, 100],
    },
    {
      name: 'stepWeight 50, maxWeight 100 → 50, 100',
      cfg: { stepWeight: 50, stepWeights: [] },
      max: 100,
      want: [50, 100],
    },
    {
      name: 'stepWeights [10..60] → maxWeight is the last step',
      cfg: { stepWeight: 0, stepWeights: [10, 20, 30, 40, 50, 60] },
      max: 60,
      want: [10, 20, 30, 40, 50, 60],
    },
    {
      name: 'stepWeight 0 and no steps → no schedule',
      cfg: { stepWeight: 0, stepWeights: [] },
      max: 100,
      want: [],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(weightSchedule(c.cfg, c.max), c.want);
    });
  }
});

describe('nextStepWeight', () => {
  const steps = { stepWeight: 0, stepWeights: [1, 2, 10, 80] };
  const cases: [string, number, number][] = [
    ['first step from 0', 0, 1],
    ['difference to the next listed step', 2, 8],
    ['last listed step: whatever is left', 80, 20],
    ['unlisted weight (routes edited by hand): whatever is left', 33, 67],
    ['at 100 the step is 1, meaning promote', 100, 1],
  ];
  for (const [name, current, want] of cases) {
    it(name, () => {
      assert.equal(nextStepWeight(steps, current), want);
    });
  }
  it('stepWeight wins over stepWeights and is not capped', () => {
    assert.equal(nextStepWeight({ stepWeight: 30, stepWeights: [1, 2] }, 90), 30);
  });
});

describe('route arithmetic', () => {
  it('advance caps the canary at 100 and floors the primary at 0', () => {
    assert.deepEqual(advance({ primary: 10, canary: 90, mirrored: true }, 30), {
      primary: 0,
      canary: 100,
      mirrored: false,
    });
  });
  it('mirror step: 100/0 mirrored first, then the first step unmirrored', () => {
    const cfg = { stepWeight: 10, stepWeights: [] };
    const first = nextCanaryRoutes({ primary: 100, canary: 0, mirrored: false }, cfg, true);
    assert.deepEqual(first, { primary: 100, canary: 0, mirrored: true });
    assert.deepEqual(nextCanaryRoutes(first, cfg, true), { primary: 90, canary: 10, mirrored: false });
  });
  it('without mirror the first step shifts traffic at once', () => {
    const cfg = { stepWeight: 10, stepWeights: [] };
    assert.deepEqual(nextCanaryRoutes({ primary: 100, canary: 0, mirrored: false }, cfg, false), {
      primary: 90,
      canary: 10,
      mirrored: false,
    });
  });
  it('promotion steps move weight back to the primary, capped', () => {
    assert.deepEqual(promotionStep({ primary: 60, canary: 40, mirrored: false }, 50), {
      primary: 100,
      canary: 0,
      mirrored: false,
    });
    assert.deepEqual(promotionStep({ primary: 0, canary: 100, mirrored: false }, 30), {
      primary: 30,
      canary: 70,
      mirrored: false,
    });
  });
});
