// `status NAME` shows the current run only, images and how to approve a waiting gate
// (issue 10 item 16); `watch` follows the next run, fills the bar on promotion, labels a
// manual promote/abort and says why a run failed (item 15).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Canary } from '../../../src/api/canary.js';
import { detailOf, type EventView } from '../../../src/cli/common/canary-view.js';
import { BufferWriter } from '../../../src/cli/common/output.js';
import { renderDetail } from '../../../src/cli/status-render.js';
import { RunTracker, WatchPrinter, endNotes } from '../../../src/cli/watch-render.js';
import type { StoredUserRequest } from '../../../src/controller/user-requests.js';

const NOW = Date.parse('2025-01-01T01:00:00Z');

function canary(status: Canary['status'], webhooks: Canary['spec']['analysis']['webhooks'] = []): Canary {
  return {
    apiVersion: 'flagger.app/v1beta1',
    kind: 'Canary',
    metadata: { name: 'podinfo', namespace: 'test' },
    spec: {
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'podinfo' },
      service: { port: 9898 },
      analysis: { interval: '1m', threshold: 2, stepWeight: 10, maxWeight: 50, webhooks },
    },
    ...(status === undefined ? {} : { status }),
  };
}

const ev = (type: string, reason: string, message: string, at: string): EventView => ({
  type,
  reason,
  message,
  count: 1,
  lastTimestamp: at,
});

const deployment = (image: string) => ({
  spec: { template: { spec: { containers: [{ name: 'podinfod', image }] } } },
});

const request = (action: 'promote' | 'abort', at: string, acked = true): StoredUserRequest => ({
  canary: 'podinfo',
  request: { id: `r-${at}`, action, revision: '' },
  requestedAt: at,
  requestedBy: 'alice',
  ack: acked ? { id: `r-${at}`, action, outcome: 'applied', message: 'ok', at } : undefined,
});

describe('status NAME: the current run', () => {
  const events = [
    ev('Normal', 'NewRevision', 'New revision detected! Scaling up podinfo.test', '2025-01-01T00:00:00Z'),
    ev('Warning', 'ThresholdReached', 'old run warning', '2025-01-01T00:05:00Z'),
    ev('Normal', 'NewRevision', 'New revision detected! Scaling up podinfo.test', '2025-01-01T00:30:00Z'),
    ev('Warning', 'Halt', 'this run warning', '2025-01-01T00:31:00Z'),
  ];

  it('shows the images of canary and primary, not only hashes', () => {
    const d = detailOf(canary({ phase: 'Progressing' }), [], undefined, {
      target: deployment('ghcr.io/stefanprodan/podinfo:6.0.1'),
      primary: deployment('ghcr.io/stefanprodan/podinfo:6.0.0'),
    });
    const out = renderDetail(new BufferWriter(), d, NOW);
    assert.match(out, /Canary image:\s+podinfod=ghcr\.io\/stefanprodan\/podinfo:6\.0\.1\n/);
    assert.match(out, /Primary image:\s+podinfod=ghcr\.io\/stefanprodan\/podinfo:6\.0\.0\n/);
  });

  it("keeps only this run's warnings and user request", () => {
    const d = detailOf(canary({ phase: 'Progressing' }), events, request('abort', '2025-01-01T00:04:00Z'));
    assert.deepEqual(
      d.warnings.map((w) => w.message),
      ['this run warning'],
    );
    assert.equal(d.userRequest, undefined, "an earlier run's acknowledged request");
    const now = detailOf(
      canary({ phase: 'Progressing' }),
      events,
      request('promote', '2025-01-01T00:32:00Z'),
    );
    assert.equal(now.userRequest?.request.action, 'promote');
    const pending = detailOf(
      canary({ phase: 'Progressing' }),
      events,
      request('abort', '2025-01-01T00:01:00Z', false),
    );
    assert.equal(pending.userRequest?.request.action, 'abort', 'a pending request always shows');
  });

  it('says how to approve a gate the run waits at', () => {
    const gate = { name: 'approve', type: 'confirm-promotion' as const, url: 'http://lt.test/gate/check' };
    const d = detailOf(canary({ phase: 'WaitingPromotion' }, [gate]), [], undefined);
    const out = renderDetail(new BufferWriter(), d, NOW);
    assert.match(out, /Approval:\s+waiting at gate "approve" \(confirm-promotion\)/);
    assert.match(out, /curl -d '\{"name":"podinfo","namespace":"test"\}' http:\/\/lt\.test\/gate\/open/);
    assert.match(out, /flagger-ts promote podinfo -n test/);
    const rollout = { name: 'go', type: 'confirm-rollout' as const, url: 'http://x/ok' };
    assert.match(detailOf(canary({ phase: 'Waiting' }, [rollout]), [], undefined).approvalHint ?? '', /"go"/);
    assert.equal(detailOf(canary({ phase: 'Progressing' }, [gate]), [], undefined).approvalHint, undefined);
  });
});

describe('watch NAME: the next run', () => {
  it('does not end on the previous run; ends once a new run finishes', () => {
    const done = canary({ phase: 'Succeeded', lastAppliedSpec: 'a' });
    const run = new RunTracker(done);
    assert.equal(run.ended(done), undefined);
    assert.equal(run.ended(canary({ phase: 'Progressing', lastAppliedSpec: 'b' })), undefined);
    assert.equal(run.ended(canary({ phase: 'Succeeded', lastAppliedSpec: 'b' })), 'Succeeded');
    // A run that skipped every non-final phase (skipAnalysis) still counts by its new hash.
    assert.equal(
      new RunTracker(done).ended(canary({ phase: 'Succeeded', lastAppliedSpec: 'c' })),
      'Succeeded',
    );
    assert.equal(
      new RunTracker(canary({ phase: 'Progressing' })).ended(canary({ phase: 'Failed' })),
      'Failed',
    );
  });

  it('shows a promoted canary at 100 %', () => {
    const out = new WatchPrinter(new BufferWriter()).update(
      canary({ phase: 'Succeeded', canaryWeight: 0 }),
      NOW,
    );
    assert.match(out, /Succeeded\s+\[#+\] 100% promoted/);
  });

  it('labels a manual promote/abort and prints why a run failed', () => {
    const since = '2025-01-01T00:30:00.000Z';
    const warn = [
      ev('Warning', 'Rollback', 'Rolling back podinfo.test: aborted by a user', '2025-01-01T00:31:00Z'),
      ev(
        'Warning',
        'NotReady',
        'podinfo.test not ready: waiting for rollout to finish',
        '2025-01-01T00:31:00Z',
      ),
      ev('Warning', 'CanaryFailed', 'Canary failed! Scaling down podinfo.test', '2025-01-01T00:31:00Z'),
    ];
    const aborted = endNotes(
      canary({ phase: 'Failed' }),
      'Failed',
      warn,
      request('abort', '2025-01-01T00:30:30Z'),
      since,
    );
    assert.match(aborted, /aborted manually by alice \(flagger-ts abort\)/);
    assert.match(aborted, /reason: Rolling back podinfo\.test: aborted by a user/);
    const promoted = endNotes(
      canary({ phase: 'Succeeded' }),
      'Succeeded',
      [],
      request('promote', '2025-01-01T00:31:00Z'),
      since,
    );
    assert.match(promoted, /promoted manually by alice/);
    // A request from before this watch is not this run's.
    assert.equal(
      endNotes(
        canary({ phase: 'Succeeded' }),
        'Succeeded',
        [],
        request('promote', '2025-01-01T00:10:00Z'),
        since,
      ),
      '',
    );
    const failed = endNotes(
      canary({
        phase: 'Failed',
        conditions: [
          {
            type: 'Promoted',
            status: 'False',
            reason: 'Failed',
            message: 'Canary analysis failed',
            lastUpdateTime: since,
            lastTransitionTime: since,
          },
        ],
      }),
      'Failed',
      [],
      undefined,
      since,
    );
    assert.match(failed, /reason: Canary analysis failed/);
  });
});
