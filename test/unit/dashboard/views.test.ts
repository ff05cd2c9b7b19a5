// The dashboard's pure views: the timeline and runs from Events, the revision diff,
// the check series, and the audit log kept with the request ConfigMap.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { userRequestConfigMap } from '../../../src/controller/user-requests.js';
import type { KubeObject } from '../../../src/kube/types.js';
import {
  auditEntries,
  nextAuditLog,
  parseAuditLog,
  MAX_AUDIT_ENTRIES,
} from '../../../src/dashboard/views/audit.js';
import { checkSeries } from '../../../src/dashboard/views/checks.js';
import { revisionDiff } from '../../../src/dashboard/views/diff.js';
import { listRow } from '../../../src/dashboard/views/rows.js';
import { currentRun, eventEntries, runs, weightSteps } from '../../../src/dashboard/views/timeline.js';

let seq = 0;
function ev(
  reason: string,
  message: string,
  time: string,
  o: { name?: string; type?: string; count?: number } = {},
): KubeObject {
  seq++;
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `e${seq}`, namespace: 'test' },
    involvedObject: { kind: 'Canary', name: o.name ?? 'podinfo' },
    reason,
    message,
    type: o.type ?? 'Normal',
    count: o.count ?? 1,
    firstTimestamp: time,
    lastTimestamp: time,
  };
}

const t = (s: number): string => new Date(Date.UTC(2026, 0, 1, 12, 0, s)).toISOString();

const EVENTS = [
  ev('NewRevision', 'New revision detected! Scaling up podinfo.test', t(0)),
  ev('WeightAdvanced', 'Advance podinfo.test canary weight 10', t(2)),
  ev('WeightAdvanced', 'Advance podinfo.test canary weight 20', t(4)),
  ev('ThresholdReached', 'Rolling back podinfo.test failed checks threshold reached 2', t(6), {
    type: 'Warning',
  }),
  ev('CanaryFailed', 'Canary failed! Scaling down podinfo.test', t(7), { type: 'Warning' }),
  ev('NewRevision', 'New revision detected! Scaling up podinfo.test', t(10)),
  ev('WeightAdvanced', 'Advance podinfo.test canary weight 10', t(12)),
  ev('WaitingForPromotionApproval', 'Confirm-promotion check failed', t(13), { type: 'Warning', count: 4 }),
  ev('WeightAdvanced', 'Advance other.test canary weight 50', t(14), { name: 'other' }),
];

test('timeline: the current run starts at the last NewRevision and only holds this canary', () => {
  const entries = eventEntries(EVENTS, 'podinfo');
  assert.equal(entries.length, 8);
  const run = currentRun(entries);
  assert.deepEqual(
    run.map((e) => e.reason),
    ['NewRevision', 'WeightAdvanced', 'WaitingForPromotionApproval'],
  );
  assert.equal(run[2]?.category, 'gate');
  assert.equal(run[2].count, 4);
});

test('weights per step: 0 at the start, each advance, then the live weight from the status', () => {
  const run = currentRun(eventEntries(EVENTS, 'podinfo'));
  assert.deepEqual(
    weightSteps(run, { time: t(20), weight: 20 }).map((p) => p.weight),
    [0, 10, 20],
  );
  // The live weight equal to the last step adds no point.
  assert.deepEqual(
    weightSteps(run, { time: t(20), weight: 10 }).map((p) => p.weight),
    [0, 10],
  );
});

test('runs: newest first, with outcome, peak weight and why it ended', () => {
  const r = runs(eventEntries(EVENTS, 'podinfo'));
  assert.equal(r.length, 2);
  assert.equal(r[0]?.outcome, 'running');
  assert.equal(r[0].peakWeight, 10);
  assert.equal(r[1]?.outcome, 'Failed');
  assert.equal(r[1].peakWeight, 20);
  assert.match(r[1].reason, /threshold reached 2/);
  assert.equal(r[1].end, t(7));
});

function deployment(image: string, env: Record<string, unknown>[]): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'podinfo' },
    spec: { template: { spec: { containers: [{ name: 'app', image, env }] } } },
  };
}

test('revision diff: images and env that differ, Secret values never read, tracked config checksums', () => {
  const primary = deployment('podinfo:6.0.0', [
    { name: 'A', value: '1' },
    { name: 'GONE', value: 'x' },
    { name: 'PW', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
  ]);
  const target = deployment('podinfo:6.0.1', [
    { name: 'A', value: '2' },
    { name: 'PW', valueFrom: { secretKeyRef: { name: 'db2', key: 'password' } } },
  ]);
  const d = revisionDiff(target, primary, { 'configmap/podinfo-config': 'abc123' });
  assert.deepEqual(
    d.map((l) => [l.kind, l.name, l.before, l.after]),
    [
      ['image', 'image', 'podinfo:6.0.0', 'podinfo:6.0.1'],
      ['env', 'A', '1', '2'],
      ['env', 'GONE', 'x', ''],
      ['env', 'PW', '(secretKeyRef db/password)', '(secretKeyRef db2/password)'],
      ['config', 'configmap/podinfo-config', '', 'abc123'],
    ],
  );
  assert.deepEqual(revisionDiff(primary, primary, {}), []);
});

test('check series: grouped by name, latest thresholds, extra fields passed on as evidence', () => {
  const s = checkSeries([
    { name: 'rate', kind: 'metric', value: 99.5, min: 99, passed: true, message: 'ok', time: t(1) },
    { name: 'latency', kind: 'metric', value: 600, max: 500, passed: false, message: 'too slow', time: t(1) },
    {
      name: 'rate',
      kind: 'metric',
      value: 98,
      min: 99,
      passed: false,
      message: 'low',
      time: t(2),
      evidence: { verdict: 'fail' },
    },
  ]);
  assert.equal(s.length, 2);
  assert.equal(s[0]?.name, 'rate');
  assert.equal(s[0].min, 99);
  assert.deepEqual(
    s[0].points.map((p) => p.value),
    [99.5, 98],
  );
  assert.equal(s[0].points[0]?.evidence, '');
  assert.match(s[0].points[1]!.evidence, /"verdict": "fail"/);
  assert.equal(s[1]?.max, 500);
});

function requestCm(id: string, extra: Record<string, string> = {}): KubeObject {
  const cm = userRequestConfigMap({
    namespace: 'test',
    canary: 'podinfo',
    canaryUid: 'u1',
    request: { id, action: 'promote', revision: 'rev1' },
    requestedAt: t(1),
    requestedBy: 'alice',
  });
  return { ...cm, data: { ...(cm['data'] as Record<string, string>), ...extra } };
}

test('audit log: appended per request, the replaced request keeps the operator answer, bounded', () => {
  const rec = (id: string, s: number) => ({
    time: t(s),
    user: 'system:serviceaccount:test:alice',
    action: 'promote',
    revision: 'rev1',
    comment: `ship ${id}`,
    requestId: id,
  });
  const first = nextAuditLog(undefined, rec('r1', 1));
  const acked = requestCm('r1', {
    auditLog: first,
    acknowledgedId: 'r1',
    acknowledgedAction: 'promote',
    outcome: 'rejected',
    message: 'cannot promote: the canary is Succeeded',
  });
  assert.equal(auditEntries(acked)[0]?.outcome, 'rejected');
  const second = parseAuditLog(nextAuditLog(acked, rec('r2', 2)));
  assert.deepEqual(
    second.map((r) => [r.requestId, r.outcome ?? '']),
    [
      ['r1', 'rejected'],
      ['r2', ''],
    ],
  );
  const pending = auditEntries(requestCm('r2', { auditLog: JSON.stringify(second) }));
  assert.deepEqual(
    pending.map((e) => [e.requestId, e.outcome, e.comment]),
    [
      ['r2', 'pending', 'ship r2'],
      ['r1', 'rejected', 'ship r1'],
    ],
  );
  let log: KubeObject | undefined;
  for (let i = 0; i < MAX_AUDIT_ENTRIES + 5; i++)
    log = requestCm(`x${i}`, { auditLog: nextAuditLog(log, rec(`x${i}`, i)) });
  assert.equal(
    parseAuditLog((log?.['data'] as Record<string, string>)['auditLog']).length,
    MAX_AUDIT_ENTRIES,
  );
  assert.deepEqual(parseAuditLog('not json'), []);
});

test('audit: a request written by the CLI (no log entry) is shown from its request fields', () => {
  const entries = auditEntries(requestCm('cli-1'));
  assert.equal(entries.length, 1);
  assert.equal(entries[0]?.user, 'alice');
  assert.equal(entries[0].outcome, 'pending');
});

test('list row: waiting for a person in WaitingPromotion; invalid canaries still listed', () => {
  const canary = (status: Record<string, unknown>, spec: Record<string, unknown> = {}): KubeObject => ({
    apiVersion: 'flagger.app/v1beta1',
    kind: 'Canary',
    metadata: { name: 'podinfo', namespace: 'test' },
    spec: {
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'podinfo' },
      service: { port: 9898 },
      analysis: { interval: '1m', threshold: 2, stepWeight: 10, maxWeight: 50 },
      ...spec,
    },
    status,
  });
  const row = listRow(canary({ phase: 'WaitingPromotion', canaryWeight: 50 }), true);
  assert.equal(row.weight, 50);
  assert.equal(row.maxWeight, 50);
  assert.match(row.waitingFor, /confirm-promotion/);
  assert.equal(listRow(canary({ phase: 'Progressing', canaryWeight: 10 }), true).waitingFor, '');
  const bad = listRow(canary({ phase: 'Progressing' }, { targetRef: 'nope' }), false);
  assert.notEqual(bad.invalid, '');
  assert.equal(bad.phase, 'Progressing');
});
