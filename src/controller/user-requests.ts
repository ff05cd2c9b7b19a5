// Where `flagger-ts promote|abort|retry` leave a request for the operator: a small
// ConfigMap `<canary>-flagger-ts-gate` next to the Canary, owned by it. Not the Canary
// itself: Flux and Argo CD own the Canary and may revert any field they did not write
// (replace syncs, drift correction), but they neither own nor prune an object they never
// applied. The CLI writes `data.{canary,action,revision,id,...}`; the operator acts
// through the core and writes `data.acknowledged*` back, so a request acts at most once.
import { USER_ACTIONS, type UserAction, type UserRequest, type UserRequestAck } from '../core/index.js';
import type { KubeClient } from '../kube/client.js';
import { isRecord } from '../kube/json.js';
import type { KubeTransport } from '../kube/transport.js';
import type { KubeObject, ObjectRef } from '../kube/types.js';
import { Informer } from './informer.js';

export const USER_REQUEST_LABEL = 'flagger-ts.io/user-request';
export const USER_REQUEST_SUFFIX = '-flagger-ts-gate';

export const userRequestName = (canary: string): string => `${canary}${USER_REQUEST_SUFFIX}`;

export const userRequestRef = (namespace: string, canary: string): ObjectRef => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  namespace,
  name: userRequestName(canary),
});

/** What the ConfigMap says: the request and, once the operator acted, its answer. */
export interface StoredUserRequest {
  readonly canary: string;
  readonly request: UserRequest;
  readonly requestedAt: string;
  readonly requestedBy: string;
  readonly ack: (UserRequestAck & { readonly at: string }) | undefined;
}

const isAction = (s: string | undefined): s is UserAction =>
  s !== undefined && (USER_ACTIONS as readonly string[]).includes(s);

function dataOf(cm: KubeObject): Record<string, string> {
  const d = cm['data'];
  if (!isRecord(d)) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(d)) if (typeof v === 'string') out[k] = v;
  return out;
}

function outcomeOf(s: string | undefined): UserRequestAck['outcome'] | undefined {
  return s === 'applied' || s === 'rejected' ? s : undefined;
}

/** Parses the ConfigMap; undefined when it does not hold a well-formed request. */
export function readUserRequest(cm: KubeObject | undefined): StoredUserRequest | undefined {
  if (cm === undefined) return undefined;
  const d = dataOf(cm);
  const action = d['action'];
  const id = d['id'];
  const canary = d['canary'];
  if (!isAction(action) || !id || !canary) return undefined;
  const ackId = d['acknowledgedId'];
  const ackAction = d['acknowledgedAction'];
  const outcome = outcomeOf(d['outcome']);
  const ack =
    ackId && isAction(ackAction) && outcome !== undefined
      ? { id: ackId, action: ackAction, outcome, message: d['message'] ?? '', at: d['acknowledgedAt'] ?? '' }
      : undefined;
  return {
    canary,
    request: { id, action, revision: d['revision'] ?? '' },
    requestedAt: d['requestedAt'] ?? '',
    requestedBy: d['requestedBy'] ?? '',
    ack,
  };
}

/** The request the operator still has to act on, if any. */
export function pendingUserRequest(cm: KubeObject | undefined): UserRequest | undefined {
  const stored = readUserRequest(cm);
  if (stored === undefined || stored.ack?.id === stored.request.id) return undefined;
  return stored.request;
}

export interface NewRequest {
  readonly namespace: string;
  readonly canary: string;
  /** metadata.uid of the Canary: the ConfigMap is garbage-collected with it. */
  readonly canaryUid: string;
  readonly request: UserRequest;
  readonly requestedAt: string;
  readonly requestedBy: string;
}

/** The ConfigMap the CLI writes (create, or replace over an older request). */
export function userRequestConfigMap(n: NewRequest): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: userRequestName(n.canary),
      namespace: n.namespace,
      labels: { [USER_REQUEST_LABEL]: 'true', 'app.kubernetes.io/managed-by': 'flagger-ts' },
      ownerReferences: [
        { apiVersion: 'flagger.app/v1beta1', kind: 'Canary', name: n.canary, uid: n.canaryUid },
      ],
    },
    data: {
      canary: n.canary,
      action: n.request.action,
      id: n.request.id,
      revision: n.request.revision,
      requestedAt: n.requestedAt,
      requestedBy: n.requestedBy,
    },
  };
}

/** Merge patch that records the operator's answer without touching the request. */
export function ackPatch(ack: UserRequestAck, at: string): unknown {
  return {
    data: {
      acknowledgedId: ack.id,
      acknowledgedAction: ack.action,
      outcome: ack.outcome,
      message: ack.message,
      acknowledgedAt: at,
    },
  };
}

/** Records the operator's answer on the request ConfigMap of `canary`. */
export async function acknowledgeUserRequest(
  client: KubeClient,
  canary: { readonly namespace: string; readonly name: string },
  ack: UserRequestAck,
  at: string,
  signal?: AbortSignal,
): Promise<void> {
  await client.mergePatch(userRequestRef(canary.namespace, canary.name), ackPatch(ack, at), { signal });
}

/**
 * Watches only the labelled request ConfigMaps (never every ConfigMap) and enqueues the
 * Canary of a request that still waits for an answer, so `promote` acts within a second.
 */
export function userRequestInformer(
  transport: KubeTransport,
  namespace: string,
  enqueue: (namespace: string, canary: string) => void,
  onError: (err: unknown) => void,
): Informer {
  const base = namespace === '' ? '/api/v1/configmaps' : `/api/v1/namespaces/${namespace}/configmaps`;
  return new Informer(transport, {
    path: `${base}?labelSelector=${encodeURIComponent(`${USER_REQUEST_LABEL}=true`)}`,
    apiVersion: 'v1',
    kind: 'ConfigMap',
    onChange: (type, obj) => {
      if (type === 'deleted') return;
      const stored = readUserRequest(obj);
      if (stored !== undefined && pendingUserRequest(obj) !== undefined)
        enqueue(obj.metadata.namespace ?? '', stored.canary);
    },
    onError,
  });
}
