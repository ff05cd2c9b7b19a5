import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Canary } from '../../../src/api/canary.js';
import { canaryEvents, detailOf, rowOf } from '../../../src/cli/common/canary-view.js';
import { BufferWriter } from '../../../src/cli/common/output.js';
import { renderDetail, renderList } from '../../../src/cli/status-render.js';
import { WatchPrinter } from '../../../src/cli/watch-render.js';
import {
  ackPatch,
  pendingUserRequest,
  readUserRequest,
  userRequestConfigMap,
} from '../../../src/controller/user-requests.js';
import type { KubeObject } from '../../../src/kube/types.js';

const NOW = Date.parse('2025-01-01T00:10:00Z');

function canary(status: Canary['status'], analysis: Partial<Canary['spec']['analysis']> = {}): Canary {
  return {
    apiVersion: 'flagger.app/v1beta1',
    kind: 'Canary',
    metadata: { name: 'podinfo', namespace: 'test' },
    spec: {
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'podinfo' },
      service: { port: 9898 },
      analysis: { interval: '1m', threshold: 2, stepWeight: 10, maxWeight: 50, ...analysis },
    },
    ...(status === undefined ? {} : { status }),
  };
}

const failedCheck = {
  name: 'request-success-rate',
  kind: 'metric' as const,
  query: 'sum(rate(istio_requests_total{x="y"}[1m]))\n  / 1',
  value: 91.5,
  min: 99,
  passed: false,
  message: 'Halt podinfo.test advancement success rate 91.50% < 99%',
  time: '2025-01-01T00:08:00Z',
};

describe('status rendering', () => {
  it('lists canaries with phase, weight, failed checks and transition age', () => {
    const rows = [
      rowOf(
        canary({
          phase: 'Progressing',
          canaryWeight: 20,
          failedChecks: 1,
          lastTransitionTime: '2025-01-01T00:07:00Z',
        }),
      ),
      rowOf(canary(undefined)),
    ];
    const out = renderList(new BufferWriter(), rows, true, NOW);
    const lines = out.trimEnd().split('\n');
    assert.match(lines[0] ?? '', /^NAMESPACE\s+NAME\s+PHASE\s+WEIGHT\s+FAILED CHECKS\s+LAST TRANSITION$/);
    assert.match(lines[1] ?? '', /^test\s+podinfo\s+Progressing\s+20\s+1\/2\s+3m ago$/);
    assert.match(lines[2] ?? '', /^test\s+podinfo\s+Pending\s+0\s+0\/2\s+-$/);
  });

  it('shows one Failed canary with its checks, the failing query and the Warning events', () => {
    const c = canary({
      phase: 'Failed',
      canaryWeight: 0,
      failedChecks: 0,
      lastAppliedSpec: 'abc',
      lastPromotedSpec: 'old',
      conditions: [
        {
          type: 'Promoted',
          status: 'False',
          reason: 'Failed',
          message: 'Canary analysis failed, Deployment scaled to zero.',
          lastUpdateTime: '',
          lastTransitionTime: '',
        },
      ],
      checks: [
        { ...failedCheck, passed: true, value: 99.9, time: '2025-01-01T00:07:00Z', message: '' },
        failedCheck,
      ],
    });
    const events = canaryEvents(
      [
        {
          apiVersion: 'v1',
          kind: 'Event',
          metadata: { name: 'e1' },
          involvedObject: { kind: 'Canary', name: 'podinfo' },
          type: 'Warning',
          reason: 'ThresholdReached',
          message: 'Rolling back podinfo.test failed checks threshold reached 2',
          lastTimestamp: '2025-01-01T00:09:00Z',
          count: 1,
        },
        {
          apiVersion: 'v1',
          kind: 'Event',
          metadata: { name: 'e2' },
          involvedObject: { kind: 'Canary', name: 'other' },
          type: 'Warning',
          reason: 'X',
          message: 'not ours',
          lastTimestamp: '2025-01-01T00:09:00Z',
        },
        {
          apiVersion: 'v1',
          kind: 'Event',
          metadata: { name: 'e3' },
          involvedObject: { kind: 'Canary', name: 'podinfo' },
          type: 'Normal',
          reason: 'NewRevision',
          message: 'New revision',
          lastTimestamp: '2025-01-01T00:01:00Z',
        },
      ],
      'podinfo',
    );
    const out = renderDetail(new BufferWriter(), detailOf(c, events, undefined), NOW);
    assert.match(out, /Phase:\s+Failed/);
    assert.match(out, /Revision:\s+abc \(primary runs old\)/);
    assert.match(out, /Promoted=False Failed: Canary analysis failed/);
    assert.match(out, /00:07:00\s+request-success-rate\s+metric\s+99\.90\s+>= 99\s+pass/);
    assert.match(out, /00:08:00\s+request-success-rate\s+metric\s+91\.50\s+>= 99\s+FAIL/);
    assert.match(out, /query: sum\(rate\(istio_requests_total\{x="y"\}\[1m\]\)\) \/ 1/);
    assert.match(
      out,
      /Why it failed \(last 1 Warning events of this run\):\n\s+00:09:00\s+ThresholdReached\s+Rolling back/,
    );
    assert.doesNotMatch(out, /not ours/);
  });

  it('shows iterations as progress for Blue/Green', () => {
    const c = canary({ phase: 'Progressing', iterations: 3 }, { iterations: 10, stepWeight: undefined });
    const out = renderDetail(new BufferWriter(), detailOf(c, [], undefined), NOW);
    assert.match(out, /Strategy:\s+blue-green/);
    assert.match(out, /Progress:\s+\[######-+\] 3 of 10 iterations/);
  });
});

describe('watch rendering', () => {
  it('prints a line per visible change and each new check once', () => {
    const w = new BufferWriter();
    const start = canary({ phase: 'Succeeded', checks: [failedCheck] });
    const p = new WatchPrinter(w, start);
    assert.match(p.update(start, NOW), /Succeeded/);
    assert.doesNotMatch(p.update(start, NOW), /request-success-rate/, 'old checks are not repeated');
    const step = canary({
      phase: 'Progressing',
      canaryWeight: 10,
      checks: [failedCheck, { ...failedCheck, passed: true, value: 100, time: '2025-01-01T00:09:30Z' }],
    });
    const out = p.update(step, NOW);
    assert.match(out, /Progressing\s+\[####-+\] 10% of 50%/);
    assert.match(out, /✓ request-success-rate 100 \(>= 99\)/);
    assert.equal(p.update(step, NOW), '', 'no change, no output');
  });
});

describe('user request ConfigMap', () => {
  it('round-trips a request and its acknowledgement', () => {
    const cm = userRequestConfigMap({
      namespace: 'test',
      canary: 'podinfo',
      canaryUid: 'uid-1',
      request: { id: 'r1', action: 'promote', revision: 'abc' },
      requestedAt: '2025-01-01T00:00:00Z',
      requestedBy: 'me',
    });
    assert.equal(cm.metadata.name, 'podinfo-flagger-ts-gate');
    assert.equal(cm.metadata.ownerReferences?.[0]?.uid, 'uid-1');
    assert.deepEqual(pendingUserRequest(cm), { id: 'r1', action: 'promote', revision: 'abc' });
    const patch = ackPatch({ id: 'r1', action: 'promote', outcome: 'applied', message: 'ok' }, 'T') as {
      data: Record<string, string>;
    };
    const acked: KubeObject = { ...cm, data: { ...(cm['data'] as Record<string, string>), ...patch.data } };
    assert.equal(pendingUserRequest(acked), undefined);
    assert.equal(readUserRequest(acked)?.ack?.outcome, 'applied');
    // A newer request in the same ConfigMap is pending again.
    const newer: KubeObject = {
      ...acked,
      data: { ...(acked['data'] as Record<string, string>), id: 'r2', action: 'abort' },
    };
    assert.equal(pendingUserRequest(newer)?.id, 'r2');
    assert.equal(
      pendingUserRequest({ ...cm, data: { action: 'explode', id: 'x', canary: 'podinfo' } }),
      undefined,
    );
  });
});
