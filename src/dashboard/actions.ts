// promote / abort / retry from the dashboard: the same GitOps-safe request ConfigMap
// the CLI writes (src/controller/user-requests.ts) and the same pre-check
// (judgeUserRequest), written WITH THE USER'S OWN CREDENTIALS so the API server's RBAC
// decides. The record of who asked, when, for which revision and why is kept in the
// ConfigMap (data.auditLog) and sent as a Kubernetes Event on the Canary.
import { randomUUID } from 'node:crypto';
import { judgeUserRequest, type UserAction, type UserRequest } from '../core/index.js';
import { userRequestConfigMap, userRequestRef } from '../controller/user-requests.js';
import type { KubeEventRecorder } from '../events/kube-events.js';
import { isAlreadyExists, isConflict } from '../kube/errors.js';
import type { KubeObject } from '../kube/types.js';
import { HttpError, toHttpError } from './http-error.js';
import type { Session } from './sessions.js';
import { AUDIT_LOG_KEY, COMMENT_KEY, nextAuditLog, type AuditRecord } from './views/audit.js';
import { parseCanaryObject } from './views/rows.js';
import { AUDIT_REASON } from './views/timeline.js';

export const MAX_COMMENT = 500;

export interface ActionInput {
  readonly namespace: string;
  readonly name: string;
  readonly action: UserAction;
  readonly comment: string;
  /** The revision the user was looking at; the request must not act on another one. */
  readonly revision: string;
}

export interface ActionResult {
  readonly requestId: string;
  readonly message: string;
  /** Set when the audit Event could not be written (the request itself was). */
  readonly warning: string;
}

/** One line, printable, bounded: the comment ends up in an Event message and a ConfigMap. */
export function cleanComment(raw: string): string {
  // Control characters (newlines included) become spaces: one line in an Event message.
  const oneLine = raw.replace(/[\p{Cc}\s]+/gu, ' ').trim();
  if (oneLine.length > MAX_COMMENT)
    throw new HttpError(400, `the comment is longer than ${MAX_COMMENT} characters`);
  return oneLine;
}

export function auditMessage(rec: AuditRecord): string {
  const why = rec.comment === '' ? '' : `: ${rec.comment}`;
  return `${rec.action} requested by ${rec.user} for revision ${rec.revision || '(any)'} (request ${rec.requestId})${why}`;
}

async function writeAsUser(session: Session, cm: KubeObject, current: KubeObject | undefined): Promise<void> {
  if (current === undefined) {
    await session.client.create(cm);
    return;
  }
  // Replace only the version we read: a concurrent request makes this a conflict, not a lost update.
  await session.client.replace({
    ...cm,
    metadata: { ...cm.metadata, resourceVersion: current.metadata.resourceVersion },
  });
}

export async function requestAction(
  session: Session,
  input: ActionInput,
  audit: KubeEventRecorder,
  now: Date,
): Promise<ActionResult> {
  const { namespace, name, action } = input;
  let obj: KubeObject | undefined;
  try {
    obj = await session.client.get({ apiVersion: 'flagger.app/v1beta1', kind: 'Canary', namespace, name });
  } catch (err) {
    throw toHttpError(err, `get canary ${name} in namespace ${namespace}`);
  }
  if (obj === undefined) throw new HttpError(404, `canary ${name} not found in namespace ${namespace}`);
  const parsed = parseCanaryObject(obj);
  if ('invalid' in parsed) throw new HttpError(409, `canary ${name} is invalid: ${parsed.invalid}`);
  const status = parsed.canary.status;
  const revision = input.revision === '' ? (status?.lastAppliedSpec ?? '') : input.revision;
  const request: UserRequest = { id: randomUUID(), action, revision };
  const verdict = judgeUserRequest(
    request,
    status?.phase ?? '',
    status?.lastAppliedSpec,
    parsed.canary.spec.suspend === true,
  );
  if (verdict.kind === 'reject') throw new HttpError(409, verdict.message);

  const ref = userRequestRef(namespace, name);
  let current: KubeObject | undefined;
  try {
    current = await session.client.get(ref);
  } catch (err) {
    throw toHttpError(err, `read ConfigMap ${ref.name} in namespace ${namespace}`);
  }
  const rec: AuditRecord = {
    time: now.toISOString(),
    user: session.identity.username,
    action,
    revision,
    comment: input.comment,
    requestId: request.id,
  };
  const cm = userRequestConfigMap({
    namespace,
    canary: name,
    canaryUid: obj.metadata.uid ?? '',
    request,
    requestedAt: rec.time,
    requestedBy: rec.user,
  });
  cm['data'] = {
    ...(cm['data'] as Record<string, string>),
    [COMMENT_KEY]: rec.comment,
    [AUDIT_LOG_KEY]: nextAuditLog(current, rec),
  };
  try {
    await writeAsUser(session, cm, current);
  } catch (err) {
    if (isConflict(err) || isAlreadyExists(err))
      throw new HttpError(
        409,
        'another request for this canary was written at the same moment; look again and retry',
      );
    throw toHttpError(err, `write ConfigMap ${ref.name} in namespace ${namespace}`);
  }
  let warning = '';
  try {
    await audit.record(
      { apiVersion: 'flagger.app/v1beta1', kind: 'Canary', namespace, name, uid: obj.metadata.uid },
      'Normal',
      AUDIT_REASON,
      auditMessage(rec),
    );
  } catch (err) {
    warning = `the request was written, but the audit Event was not: ${err instanceof Error ? err.message : String(err)}`;
  }
  return {
    requestId: request.id,
    message: `${action} requested for ${name}; waiting for the operator`,
    warning,
  };
}
