// Assertion helpers over decide() results.
import assert from 'node:assert/strict';
import { decide, type Decision } from '../../../src/core/decide.js';
import type { Effect, EventReason } from '../../../src/core/effects.js';
import type { InputRequest, Snapshot } from '../../../src/core/snapshot.js';

export function decisionOf(s: Snapshot): Decision {
  const step = decide(s);
  if (step.kind !== 'decision')
    assert.fail(`expected a decision, got requests ${JSON.stringify(step.requests)}`);
  return step.decision;
}

export function requestOf(s: Snapshot): InputRequest {
  const step = decide(s);
  if (step.kind !== 'need') assert.fail('expected a request, got a decision');
  assert.equal(step.requests.length, 1);
  const req = step.requests[0];
  if (req === undefined) throw new Error('unreachable');
  return req;
}

export const kinds = (d: Decision): string[] =>
  d.effects.filter((e) => e.kind !== 'recordMetric').map((e) => e.kind);

export const events = (d: Decision): string[] =>
  d.effects.flatMap((e) => (e.kind === 'emitEvent' ? [e.message] : []));

export const reasons = (d: Decision): EventReason[] =>
  d.effects.flatMap((e) => (e.kind === 'emitEvent' ? [e.reason] : []));

export const alertsOf = (d: Decision): Extract<Effect, { kind: 'alert' }>[] =>
  d.effects.flatMap((e) => (e.kind === 'alert' ? [e] : []));

export const routesSet = (d: Decision): unknown[] =>
  d.effects.flatMap((e) => (e.kind === 'setRoutes' ? [e.routes] : []));
