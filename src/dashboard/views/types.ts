// The JSON the dashboard server pushes to the browser. The browser only renders these
// shapes (src/dashboard/web/ imports these types; this file must stay free of imports so
// the browser build can include it), so every decision about what a canary's state
// means is made here, in Node, and unit-tested.
export interface LastCheck {
  readonly name: string;
  readonly passed: boolean;
  readonly value: number | undefined;
  readonly threshold: string;
  readonly time: string;
}

export interface ListRow {
  readonly namespace: string;
  readonly name: string;
  readonly phase: string;
  readonly weight: number;
  readonly maxWeight: number;
  readonly unit: '%' | 'iterations';
  readonly failedChecks: number;
  readonly threshold: number;
  readonly lastTransitionTime: string;
  readonly lastCheck: LastCheck | undefined;
  /** Why a human is needed now ('' = nobody is waited for). */
  readonly waitingFor: string;
  /** SelfSubjectAccessReview hint: may this user write the request object? */
  readonly canAct: boolean;
  readonly invalid: string;
}

export interface ListView {
  readonly kind: 'list';
  readonly namespaces: readonly string[];
  readonly rows: readonly ListRow[];
}

export interface TimelineEntry {
  readonly time: string;
  readonly category: 'weight' | 'gate' | 'webhook' | 'metric' | 'phase' | 'user' | 'other';
  readonly type: string;
  readonly reason: string;
  readonly message: string;
  readonly count: number;
}

export interface WeightPoint {
  readonly time: string;
  readonly weight: number;
}

export interface CheckSeries {
  readonly name: string;
  readonly kind: 'metric' | 'webhook';
  readonly min: number | undefined;
  readonly max: number | undefined;
  readonly points: readonly {
    readonly time: string;
    readonly value: number | undefined;
    readonly passed: boolean;
    readonly message: string;
    /** Fields beyond flagger-ts' own (e.g. a judge's evidence), shown verbatim. */
    readonly evidence: string;
  }[];
}

export interface RunSummary {
  readonly start: string;
  readonly end: string;
  readonly outcome: 'Succeeded' | 'Failed' | 'running';
  readonly peakWeight: number;
  readonly reason: string;
}

export interface DiffLine {
  readonly kind: 'image' | 'env' | 'config';
  readonly container: string;
  readonly name: string;
  readonly before: string;
  readonly after: string;
}

export interface AuditEntry {
  readonly time: string;
  readonly user: string;
  readonly action: string;
  readonly revision: string;
  readonly comment: string;
  readonly requestId: string;
  /** The operator's answer once it acted: applied | rejected | pending. */
  readonly outcome: string;
  readonly message: string;
}

export interface DetailView {
  readonly kind: 'detail';
  readonly row: ListRow;
  readonly target: string;
  readonly revision: string;
  readonly promotedRevision: string;
  readonly iterations: number;
  readonly conditions: readonly { type: string; status: string; reason: string; message: string }[];
  readonly weights: readonly WeightPoint[];
  readonly timeline: readonly TimelineEntry[];
  readonly checks: readonly CheckSeries[];
  readonly runs: readonly RunSummary[];
  readonly diff: readonly DiffLine[];
  readonly diffNote: string;
  readonly events: readonly TimelineEntry[];
  readonly audit: readonly AuditEntry[];
}
