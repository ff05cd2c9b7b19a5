// One canary's page, computed from what the server holds for it: the Canary object,
// its Events, its request ConfigMap and (read once per revision) the target and
// primary workloads. Pure: the stream recomputes it on every watch event.
import type { KubeObject } from '../../kube/types.js';
import { auditEntries } from './audit.js';
import { checkSeries } from './checks.js';
import { revisionDiff } from './diff.js';
import { listRow, parseCanaryObject } from './rows.js';
import { currentRun, eventEntries, runs, weightSteps } from './timeline.js';
import type { DetailView } from './types.js';

export interface DetailInputs {
  readonly canary: KubeObject;
  readonly events: readonly KubeObject[];
  readonly request: KubeObject | undefined;
  readonly target: KubeObject | undefined;
  readonly primary: KubeObject | undefined;
  /** Why the workloads could not be read (RBAC), shown instead of a diff. */
  readonly diffNote: string;
  readonly canAct: boolean;
  readonly now: string;
}

export function detailView(i: DetailInputs): DetailView {
  const row = listRow(i.canary, i.canAct);
  const parsed = parseCanaryObject(i.canary);
  const status = 'canary' in parsed ? parsed.canary.status : undefined;
  const entries = eventEntries(i.events, i.canary.metadata.name);
  const run = currentRun(entries);
  const target = 'canary' in parsed ? parsed.canary.spec.targetRef : undefined;
  return {
    kind: 'detail',
    row,
    target: target === undefined ? '' : `${target.kind}/${target.name}`,
    revision: status?.lastAppliedSpec ?? '',
    promotedRevision: status?.lastPromotedSpec ?? '',
    iterations: status?.iterations ?? 0,
    conditions: (status?.conditions ?? []).map((c) => ({
      type: c.type,
      status: c.status,
      reason: c.reason,
      message: c.message,
    })),
    weights: row.unit === '%' ? weightSteps(run, { time: i.now, weight: row.weight }) : [],
    timeline: run,
    checks: checkSeries(status?.checks ?? []),
    runs: runs(entries),
    diff: revisionDiff(i.target, i.primary, status?.trackedConfigs ?? {}),
    diffNote: i.diffNote,
    events: [...entries].reverse(),
    audit: auditEntries(i.request),
  };
}
