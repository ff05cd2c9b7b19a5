// The audit trail kept with the request object: the dashboard appends every human
// action (who, when, what, revision, comment) to `data.auditLog` of the canary's
// `<canary>-flagger-ts-gate` ConfigMap, next to the request fields the CLI and the
// operator use (src/controller/user-requests.ts). The operator's merge-patched answer
// leaves the log alone. The same record also goes out as a Kubernetes Event.
import { readUserRequest } from '../../controller/user-requests.js';
import { isRecord } from '../../kube/json.js';
import type { KubeObject } from '../../kube/types.js';
import type { AuditEntry } from './types.js';

export const AUDIT_LOG_KEY = 'auditLog';
export const COMMENT_KEY = 'comment';
/** The log keeps the newest entries only: a ConfigMap must stay small. */
export const MAX_AUDIT_ENTRIES = 50;

/** One stored entry; outcome and message are filled in once a later request replaces it. */
export type AuditRecord = Omit<AuditEntry, 'outcome' | 'message'> & {
  readonly outcome?: string;
  readonly message?: string;
};

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

export function parseAuditLog(text: string | undefined): AuditRecord[] {
  if (text === undefined || text === '') return [];
  try {
    const raw: unknown = JSON.parse(text);
    if (!Array.isArray(raw)) return [];
    return raw.filter(isRecord).map((r) => ({
      time: str(r['time']),
      user: str(r['user']),
      action: str(r['action']),
      revision: str(r['revision']),
      comment: str(r['comment']),
      requestId: str(r['requestId']),
      outcome: str(r['outcome']),
      message: str(r['message']),
    }));
  } catch {
    return []; // a hand-edited, broken log is not a reason to refuse new actions
  }
}

function dataOf(cm: KubeObject | undefined): Record<string, unknown> {
  return cm !== undefined && isRecord(cm['data']) ? cm['data'] : {};
}

/**
 * The log to store with a new request: the old entries, the answer the operator gave
 * to the request being replaced, and the new record; bounded to MAX_AUDIT_ENTRIES.
 */
export function nextAuditLog(current: KubeObject | undefined, rec: AuditRecord): string {
  const log = parseAuditLog(str(dataOf(current)[AUDIT_LOG_KEY]));
  const stored = readUserRequest(current);
  const settled = log.map((r) =>
    stored?.ack !== undefined && r.requestId === stored.ack.id && (r.outcome ?? '') === ''
      ? { ...r, outcome: stored.ack.outcome, message: stored.ack.message }
      : r,
  );
  return JSON.stringify([...settled, rec].slice(-MAX_AUDIT_ENTRIES));
}

/** Every action recorded with the request object, newest first, with the operator's answer. */
export function auditEntries(cm: KubeObject | undefined): AuditEntry[] {
  const stored = readUserRequest(cm);
  const log = parseAuditLog(str(dataOf(cm)[AUDIT_LOG_KEY]));
  const entries: AuditEntry[] = log.map((r) => {
    const acked = stored?.ack?.id === r.requestId ? stored.ack : undefined;
    const current = stored?.request.id === r.requestId;
    return {
      time: r.time,
      user: r.user,
      action: r.action,
      revision: r.revision,
      comment: r.comment,
      requestId: r.requestId,
      outcome: acked?.outcome ?? (r.outcome || (current ? 'pending' : 'unknown')),
      message: acked?.message ?? r.message ?? '',
    };
  });
  // A request written by the CLI has no log entry: show it from the request fields.
  if (stored !== undefined && !log.some((r) => r.requestId === stored.request.id)) {
    entries.push({
      time: stored.requestedAt,
      user: stored.requestedBy,
      action: stored.request.action,
      revision: stored.request.revision,
      comment: str(dataOf(cm)[COMMENT_KEY]),
      requestId: stored.request.id,
      outcome: stored.ack?.id === stored.request.id ? stored.ack.outcome : 'pending',
      message: stored.ack?.id === stored.request.id ? stored.ack.message : '',
    });
  }
  return entries.sort((a, b) => b.time.localeCompare(a.time));
}
