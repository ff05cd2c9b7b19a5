// The canary list for one browser tab: which namespaces the user may list canaries in
// is asked of the API server with the user's credentials (a refused list hides the
// namespace entirely), then each permitted collection is watched as the user and every
// change pushes the whole list (small: a row per canary).
import type { KubeObject } from '../../kube/types.js';
import { statusCode } from '../../kube/errors.js';
import { mayWriteRequests } from '../identity.js';
import type { Session } from '../sessions.js';
import type { SseChannel } from '../sse.js';
import { watchAsUser } from '../user-watch.js';
import { listRow, sortRows } from '../views/rows.js';
import type { ListView } from '../views/types.js';

const CANARY = { apiVersion: 'flagger.app/v1beta1', kind: 'Canary' };

export interface NamespaceSource {
  /** Namespaces named in the configuration (--namespaces); empty = discover. */
  readonly configured: readonly string[];
  /** Namespace names when the user may not list namespaces (the dashboard's own view). */
  fallback(): Promise<string[]>;
}

async function allowed(session: Session, namespace: string | undefined): Promise<boolean> {
  try {
    await session.client.list(CANARY.apiVersion, CANARY.kind, namespace);
    return true;
  } catch (err) {
    const code = statusCode(err);
    if (code === 403 || code === 404) return false;
    throw err;
  }
}

async function candidates(session: Session, source: NamespaceSource): Promise<string[]> {
  if (source.configured.length > 0) return [...source.configured];
  try {
    const nss = await session.client.list('v1', 'Namespace', undefined);
    return nss.map((n) => n.metadata.name);
  } catch (err) {
    if (statusCode(err) !== 403) throw err;
    return source.fallback();
  }
}

/** Namespaces (or '' for all at once) whose canaries this user may list. */
export async function visibleScopes(session: Session, source: NamespaceSource): Promise<string[]> {
  if (source.configured.length === 0 && (await allowed(session, undefined))) return [''];
  const names = await candidates(session, source);
  const checks = await Promise.all(names.map(async (ns) => ((await allowed(session, ns)) ? ns : undefined)));
  return checks.filter((ns): ns is string => ns !== undefined);
}

export async function startListStream(
  session: Session,
  channel: SseChannel,
  source: NamespaceSource,
  onError: (err: unknown) => void,
): Promise<void> {
  const scopes = await visibleScopes(session, source);
  const objects = new Map<string, KubeObject>();
  const canAct = new Map<string, Promise<boolean>>();
  const actHints = new Map<string, boolean>();
  const hint = (ns: string): boolean => {
    if (!canAct.has(ns)) {
      const p = mayWriteRequests(session.kc, ns);
      canAct.set(ns, p);
      void p.then((v) => {
        actHints.set(ns, v);
        channel.schedule(render);
      });
    }
    return actHints.get(ns) ?? false;
  };
  const render = (): void => {
    const rows = [...objects.values()].map((o) => listRow(o, hint(o.metadata.namespace ?? '')));
    const namespaces = scopes.includes('') ? [...new Set(rows.map((r) => r.namespace))].sort() : scopes;
    const view: ListView = { kind: 'list', namespaces, rows: sortRows(rows) };
    channel.send('list', view);
  };
  const watches = scopes.map((ns) =>
    watchAsUser(
      session.kc,
      ns === ''
        ? '/apis/flagger.app/v1beta1/canaries'
        : `/apis/flagger.app/v1beta1/namespaces/${ns}/canaries`,
      CANARY,
      (type, obj) => {
        const key = `${obj.metadata.namespace ?? ''}/${obj.metadata.name}`;
        if (type === 'deleted') objects.delete(key);
        else objects.set(key, obj);
        channel.schedule(render);
      },
      onError,
    ),
  );
  channel.onClose(() => {
    for (const w of watches) w.informer.stop();
  });
  const outcomes = await Promise.all(watches.map((w) => w.ready));
  if (outcomes.includes('unauthorized'))
    channel.send('logout', { reason: 'the API server no longer accepts your token' });
  render();
}
