// One canary's page for one browser tab, kept current by watches made as the user: the
// Canary itself, its Events and its request ConfigMap. The target and primary workloads
// (for the revision diff) are read again only when the revision or phase changes.
// Whatever the user may not read is left out, with a note, never read with another identity.
import type { KubeObject, ObjectRef } from '../../kube/types.js';
import { userRequestName } from '../../controller/user-requests.js';
import { HttpError, toHttpError } from '../http-error.js';
import { mayWriteRequests } from '../identity.js';
import type { Session } from '../sessions.js';
import type { SseChannel } from '../sse.js';
import { watchAsUser } from '../user-watch.js';
import { detailView } from '../views/detail.js';
import { parseCanaryObject } from '../views/rows.js';

const field = (selector: string): string => `fieldSelector=${encodeURIComponent(selector)}`;

interface Workloads {
  target: KubeObject | undefined;
  primary: KubeObject | undefined;
  note: string;
  key: string;
}

async function readWorkloads(session: Session, canary: KubeObject): Promise<Workloads> {
  const parsed = parseCanaryObject(canary);
  const empty = { target: undefined, primary: undefined, key: '' };
  if ('invalid' in parsed) return { ...empty, note: 'the canary is invalid' };
  const t = parsed.canary.spec.targetRef;
  const ns = canary.metadata.namespace ?? '';
  const ref = (name: string): ObjectRef => ({ apiVersion: t.apiVersion, kind: t.kind, namespace: ns, name });
  try {
    const [target, primary] = await Promise.all([
      session.client.get(ref(t.name)),
      session.client.get(ref(`${t.name}-primary`)),
    ]);
    return { target, primary, note: '', key: '' };
  } catch (err) {
    return { ...empty, note: toHttpError(err, `read ${t.kind} ${t.name}`).message };
  }
}

export async function startDetailStream(
  session: Session,
  channel: SseChannel,
  namespace: string,
  name: string,
  onError: (err: unknown) => void,
): Promise<void> {
  let canary: KubeObject | undefined;
  try {
    canary = await session.client.get({ apiVersion: 'flagger.app/v1beta1', kind: 'Canary', namespace, name });
  } catch (err) {
    throw toHttpError(err, `get canary ${name} in namespace ${namespace}`);
  }
  if (canary === undefined) throw new HttpError(404, `canary ${name} not found in namespace ${namespace}`);

  const events = new Map<string, KubeObject>();
  let request: KubeObject | undefined;
  let workloads: Workloads = { target: undefined, primary: undefined, note: '', key: '' };
  let canAct = false;
  const render = (): void => {
    if (canary === undefined) return;
    channel.send(
      'detail',
      detailView({
        canary,
        events: [...events.values()],
        request,
        target: workloads.target,
        primary: workloads.primary,
        diffNote: workloads.note,
        canAct,
        now: new Date().toISOString(),
      }),
    );
  };
  const refreshWorkloads = (obj: KubeObject): void => {
    const status = obj['status'] as { lastAppliedSpec?: string; phase?: string } | undefined;
    const key = `${status?.lastAppliedSpec ?? ''}/${status?.phase ?? ''}`;
    if (key === workloads.key) return;
    workloads.key = key;
    void readWorkloads(session, obj).then((w) => {
      workloads = { ...w, key };
      channel.schedule(render);
    });
  };
  refreshWorkloads(canary);
  void mayWriteRequests(session.kc, namespace).then((v) => {
    canAct = v;
    channel.schedule(render);
  });

  const base = `/api/v1/namespaces/${namespace}`;
  const watches = [
    watchAsUser(
      session.kc,
      `/apis/flagger.app/v1beta1/namespaces/${namespace}/canaries?${field(`metadata.name=${name}`)}`,
      { apiVersion: 'flagger.app/v1beta1', kind: 'Canary' },
      (type, obj) => {
        if (type === 'deleted') {
          channel.send('gone', { namespace, name });
          channel.close();
          return;
        }
        canary = obj;
        refreshWorkloads(obj);
        channel.schedule(render);
      },
      onError,
    ),
    watchAsUser(
      session.kc,
      `${base}/events?${field(`involvedObject.kind=Canary,involvedObject.name=${name}`)}`,
      { apiVersion: 'v1', kind: 'Event' },
      (type, obj) => {
        if (type === 'deleted') events.delete(obj.metadata.name);
        else events.set(obj.metadata.name, obj);
        channel.schedule(render);
      },
      onError,
    ),
    watchAsUser(
      session.kc,
      `${base}/configmaps?${field(`metadata.name=${userRequestName(name)}`)}`,
      { apiVersion: 'v1', kind: 'ConfigMap' },
      (type, obj) => {
        request = type === 'deleted' ? undefined : obj;
        channel.schedule(render);
      },
      onError,
    ),
  ];
  channel.onClose(() => {
    for (const w of watches) w.informer.stop();
  });
  render();
  const outcomes = await Promise.all(watches.map((w) => w.ready));
  if (outcomes.includes('unauthorized'))
    channel.send('logout', { reason: 'the API server no longer accepts your token' });
  channel.schedule(render);
}
