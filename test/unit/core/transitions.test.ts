// Every phase change the core makes in these scenarios must be in the table, and every
// table entry must be made by some scenario (so the table is not looser than the code).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  IllegalTransitionError,
  TRANSITIONS,
  assertTransition,
  type Phase,
} from '../../../src/core/phases.js';
import { hook, makeCanary } from './fixtures.js';
import { World, initializedWorld } from './world.js';

const broken = { ready: false, retriable: false, message: 'exceeded its progress deadline' } as const;
const gate = (type: 'confirm-rollout' | 'confirm-promotion') =>
  makeCanary({ analysis: { webhooks: [hook('gate', type)] } });

const scenarios: Record<string, () => World> = {
  'canary to Succeeded, then a new run': () => {
    const w = initializedWorld(makeCanary());
    w.deploy('rev-2');
    w.runUntil((x) => x.phase === 'Succeeded');
    w.deploy('rev-3');
    w.tick();
    return w;
  },
  'skipAnalysis from nothing': () => {
    const w = new World(makeCanary({ spec: { skipAnalysis: true } }));
    w.reconcile();
    w.deploy('rev-2');
    w.tick();
    w.tick();
    return w;
  },
  'primary broken at initialization': () => {
    const w = new World(makeCanary());
    w.primaryReadiness = broken;
    w.reconcile();
    w.tick(5_000);
    return w;
  },
  'primary broken from the first tick': () => {
    const w = new World(makeCanary());
    w.primary = { specHash: 'rev-1', readiness: broken, replicas: 1 };
    w.reconcile();
    return w;
  },
  'confirm-rollout refused, then approved, rolled back, refused again': () => {
    const w = initializedWorld(gate('confirm-rollout'));
    let ok = false;
    w.hooks.set('gate', () => ok);
    w.deploy('rev-2');
    w.tick();
    ok = true;
    w.tick();
    w.metrics = () => [{ name: 'm', passed: false, message: 'bad' }];
    w.setCanary((c) => ({
      ...c,
      spec: { ...c.spec, analysis: { ...c.spec.analysis, metrics: [{ name: 'm' }] } },
    }));
    w.runUntil((x) => x.phase === 'Failed');
    ok = false;
    w.deploy('rev-3');
    w.tick();
    ok = true;
    w.tick();
    w.deploy('rev-4');
    w.tick(); // restart while Progressing
    return w;
  },
  'primary breaks while Waiting, after Initialized and after Succeeded': () => {
    const w = initializedWorld(gate('confirm-rollout'));
    w.hooks.set('gate', false);
    w.deploy('rev-2');
    w.tick();
    if (w.primary) w.primary.readiness = broken;
    w.tick();
    const x = initializedWorld(makeCanary());
    x.deploy('rev-2');
    if (x.primary) x.primary.readiness = broken;
    x.tick();
    return mergeTransitions(w, x, succeededThenBroken());
  },
  'confirm-promotion refused, restarted, approved, primary fails while Promoting': () => {
    const w = initializedWorld(gate('confirm-promotion'));
    w.hooks.set('gate', false);
    w.deploy('rev-2');
    w.runUntil((x) => x.phase === 'WaitingPromotion');
    w.deploy('rev-3');
    w.tick();
    w.runUntil((x) => x.phase === 'WaitingPromotion');
    w.hooks.set('gate', true);
    w.tick();
    w.primaryReadiness = broken;
    if (w.primary) w.primary.readiness = broken;
    w.tick();
    return w;
  },
  'WaitingPromotion rolled back, skipped, threshold': () => {
    const a = initializedWorld(
      makeCanary({ analysis: { webhooks: [hook('gate', 'confirm-promotion'), hook('abort', 'rollback')] } }),
    );
    a.hooks.set('gate', false);
    a.hooks.set('abort', false);
    a.deploy('rev-2');
    a.runUntil((x) => x.phase === 'WaitingPromotion');
    a.hooks.set('abort', true);
    a.tick();
    const b = initializedWorld(gate('confirm-promotion'));
    b.hooks.set('gate', false);
    b.deploy('rev-2');
    b.runUntil((x) => x.phase === 'WaitingPromotion');
    b.setCanary((c) => ({ ...c, spec: { ...c.spec, skipAnalysis: true } }));
    b.tick();
    return mergeTransitions(a, b);
  },
  'refused after Succeeded; a new run after Failed': () => {
    const a = initializedWorld(gate('confirm-rollout'));
    a.deploy('rev-2');
    a.runUntil((x) => x.phase === 'Succeeded');
    a.hooks.set('gate', false);
    a.deploy('rev-3');
    a.tick();
    const b = initializedWorld(makeCanary({ analysis: { metrics: [{ name: 'm' }] } }));
    b.metrics = () => [{ name: 'm', passed: false, message: 'bad' }];
    b.deploy('rev-2');
    b.runUntil((x) => x.phase === 'Failed');
    b.metrics = () => [{ name: 'm', passed: true, message: '' }];
    b.deploy('rev-3');
    b.tick();
    return mergeTransitions(a, b);
  },
  'skip while Promoting; primary fails while Finalising': () => {
    const a = initializedWorld(
      makeCanary({ analysis: { stepWeight: 100, maxWeight: undefined, stepWeightPromotion: 10 } }),
    );
    a.deploy('rev-2');
    a.runUntil((x) => x.phase === 'Promoting');
    a.setCanary((c) => ({ ...c, spec: { ...c.spec, skipAnalysis: true } }));
    a.tick();
    const b = initializedWorld(makeCanary({ analysis: { stepWeight: 100, maxWeight: undefined } }));
    b.deploy('rev-2');
    b.runUntil((x) => x.phase === 'Finalising');
    if (b.primary) b.primary.readiness = broken;
    b.tick();
    return mergeTransitions(a, b);
  },
};

function succeededThenBroken(): World {
  const w = initializedWorld(makeCanary());
  w.deploy('rev-2');
  w.runUntil((x) => x.phase === 'Succeeded');
  w.deploy('rev-3');
  if (w.primary) w.primary.readiness = broken;
  w.tick();
  return w;
}

function mergeTransitions(first: World, ...rest: World[]): World {
  for (const w of rest) first.transitions.push(...w.transitions);
  return first;
}

describe('phase transitions', () => {
  const seen = new Set<string>();
  for (const [name, run] of Object.entries(scenarios)) {
    it(`${name}: every transition is allowed`, () => {
      const w = run();
      for (const [from, to] of w.transitions) {
        assert.ok(TRANSITIONS[from].includes(to), `${from || '""'} -> ${to} is not in the table`);
        seen.add(`${from}->${to}`);
      }
    });
  }

  it('every table entry is produced by some scenario', () => {
    const table = Object.entries(TRANSITIONS).flatMap(([from, tos]) => tos.map((to) => `${from}->${to}`));
    assert.deepEqual(
      table.filter((t) => !seen.has(t)),
      [],
    );
  });

  it('the core refuses a move outside the table', () => {
    assert.throws(() => {
      assertTransition('Succeeded', 'Promoting');
    }, IllegalTransitionError);
    assert.doesNotThrow(() => {
      assertTransition('Progressing', 'Progressing');
    });
  });

  it('the table has no self-loops and leaves Terminating/Terminated to the shell', () => {
    for (const [from, tos] of Object.entries(TRANSITIONS) as [Phase, readonly Phase[]][]) {
      assert.ok(!tos.includes(from), `${from} lists itself`);
      assert.ok(!tos.includes('Terminating') && !tos.includes('Terminated'));
    }
  });
});
