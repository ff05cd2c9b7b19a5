import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Canary } from '../../../src/api/canary.js';
import { renderTimeline } from '../../../src/cli/simulate-render.js';
import { BufferWriter } from '../../../src/cli/common/output.js';
import { simulateWithBounds } from '../../../src/simulate/bounds.js';
import { simulate } from '../../../src/simulate/engine.js';
import { Scenario, ScenarioSchema } from '../../../src/simulate/scenario.js';

const canary = (dryRun = false): Canary => ({
  apiVersion: 'flagger.app/v1beta1',
  kind: 'Canary',
  metadata: { name: 'podinfo', namespace: 'test' },
  spec: {
    targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'podinfo' },
    service: { port: 9898 },
    analysis: {
      interval: '1m',
      threshold: 2,
      stepWeight: 20,
      maxWeight: 60,
      metrics: [
        {
          name: 'p99',
          query: 'q',
          judge: { kind: 'latency', against: 'primary', ...(dryRun ? { dryRun } : {}) },
        },
        { name: 'errors', query: 'e', judge: { kind: 'errors', requestsQuery: 'r', against: 'primary' } },
      ],
    },
  },
});
const opts = { minIntervalMs: 10_000, meshProvider: 'istio' };
const scenario = (input: unknown): Scenario => new Scenario(ScenarioSchema.parse(input));

describe('simulate: judged metrics with scripted cohorts', () => {
  it('equal cohorts promote; the same run twice gives the same timeline', () => {
    const a = simulate(canary(), scenario({}), opts);
    assert.equal(a.outcome, 'Succeeded');
    assert.deepEqual(simulate(canary(), scenario({}), opts), a);
  });

  it('a canary 30 % slower from interval 3 fails on the judge, with the verdict in the timeline', () => {
    const s = {
      intervals: { '3': { cohorts: { p99: { baseline: { median: 100 }, canary: { median: 130 } } } } },
    };
    const r = simulate(canary(), scenario(s), opts);
    assert.equal(r.outcome, 'Failed');
    const judged = r.intervals
      .flatMap((i) => i.checks)
      .filter((c) => c.name === 'p99' && c.judge?.verdict === 'fail');
    assert.ok(judged.length >= 2);
    const out = renderTimeline(
      new BufferWriter(false),
      {
        name: 'podinfo',
        namespace: 'test',
        strategy: 'canary',
        intervalMs: 60_000,
        threshold: 2,
        maxWeight: 60,
      },
      simulateWithBounds(canary(), scenario(s), opts),
    );
    assert.match(out, /✗ p99 p99 fail against primary: location \+/);
  });

  it('0.5 % against 0.1 % errors fails; the same as a dry run only records', () => {
    const s = {
      defaults: { cohorts: { errors: { baseline: { errorRate: 0.001 }, canary: { errorRate: 0.005 } } } },
    };
    assert.equal(simulate(canary(), scenario(s), opts).outcome, 'Failed');
    const slow = { defaults: { cohorts: { p99: { baseline: { median: 100 }, canary: { median: 150 } } } } };
    const dry = simulate(canary(true), scenario(slow), opts);
    assert.equal(dry.outcome, 'Succeeded');
    assert.ok(
      dry.intervals.some((i) => i.checks.some((c) => c.judge?.dryRun === true && c.judge.verdict === 'fail')),
    );
  });
});
