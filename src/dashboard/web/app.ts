// Entry point of the page: loads the session, picks the view from the path, renders
// what the server pushes over the event stream, and runs the confirm dialog for actions.
import type { DetailView, ListView } from '../views/types.js';
import { loadSession, openStream, postAction, type SessionInfo } from './api.js';
import { renderDetail } from './detail.js';
import { byId, h } from './dom.js';
import { renderList } from './list.js';

const main = byId('main');
const banner = byId('banner');

function setLive(live: boolean): void {
  const el = byId('live');
  el.textContent = live ? 'live' : 'reconnecting';
  el.classList.toggle('off', !live);
}

function showBanner(text: string, kind: 'error' | 'ok' | '' = ''): void {
  banner.hidden = text === '';
  banner.className = `banner msg ${kind}`;
  banner.id = 'banner';
  banner.textContent = text;
}

function failure(data: unknown): void {
  const d = data as { message?: string };
  main.replaceChildren(
    h('p', { class: 'msg error', id: 'failure' }, d.message ?? 'the server could not show this'),
  );
}

function confirmAction(action: string, v: DetailView): Promise<string | undefined> {
  const dialog = byId('confirm') as HTMLDialogElement;
  const comment = byId('confirm-comment') as HTMLInputElement;
  byId('confirm-title').textContent = `${action} ${v.row.namespace}/${v.row.name}?`;
  byId('confirm-text').textContent =
    `This asks the operator to ${action} revision ${v.revision.slice(0, 12) || '(current)'}, now ${v.row.phase} at ${v.row.weight}${v.row.unit === '%' ? '%' : ' iterations'}. It is recorded with your name.`;
  comment.value = '';
  return new Promise((resolve) => {
    const done = (value: string | undefined): void => {
      byId('confirm-form').removeEventListener('submit', onSubmit);
      byId('confirm-cancel').removeEventListener('click', onCancel);
      dialog.close();
      resolve(value);
    };
    const onSubmit = (e: Event): void => {
      e.preventDefault();
      done(comment.value);
    };
    const onCancel = (): void => {
      done(undefined);
    };
    byId('confirm-form').addEventListener('submit', onSubmit);
    byId('confirm-cancel').addEventListener('click', onCancel);
    dialog.showModal();
  });
}

async function act(session: SessionInfo, action: string, v: DetailView): Promise<void> {
  const comment = await confirmAction(action, v);
  if (comment === undefined) return;
  const answer = await postAction(session, v.row.namespace, v.row.name, action, {
    comment,
    revision: v.revision,
  });
  if (answer.ok) showBanner(`${answer.message}${answer.warning === '' ? '' : ` (${answer.warning})`}`, 'ok');
  else showBanner(`Refused (HTTP ${answer.status}): ${answer.message}`, 'error');
}

function startList(): void {
  let view: ListView | undefined;
  let waitingOnly = new URLSearchParams(location.search).get('waiting') === '1';
  const draw = (): void => {
    if (view !== undefined)
      renderList(main, view, waitingOnly, (on) => {
        waitingOnly = on;
        history.replaceState(null, '', on ? '/?waiting=1' : '/');
        draw();
      });
  };
  openStream(
    '/api/stream/list',
    {
      list: (d) => {
        view = d as ListView;
        draw();
      },
      failure,
      logout: () => {
        location.assign('/login');
      },
    },
    setLive,
  );
}

function startDetail(session: SessionInfo, ns: string, name: string): void {
  document.title = `${ns}/${name} · flagger-ts`;
  const close = openStream(
    `/api/stream/canary/${encodeURIComponent(ns)}/${encodeURIComponent(name)}`,
    {
      detail: (d) => {
        renderDetail(main, d as DetailView, {
          readOnly: session.readOnly,
          onAction: (action, v) => {
            void act(session, action, v);
          },
        });
      },
      gone: () => {
        failure({ message: `canary ${ns}/${name} was deleted` });
      },
      failure: (d) => {
        failure(d);
        close();
      },
      logout: () => {
        location.assign('/login');
      },
    },
    setLive,
  );
}

async function boot(): Promise<void> {
  const session = await loadSession();
  if (session === undefined) {
    location.assign('/login');
    return;
  }
  byId('who').textContent = `${session.user}${session.readOnly ? ' · read-only' : ''}`;
  (byId('logout-csrf') as HTMLInputElement).value = session.csrf;
  const m = /^\/canaries\/([^/]+)\/([^/]+)$/.exec(location.pathname);
  if (m?.[1] !== undefined && m[2] !== undefined)
    startDetail(session, decodeURIComponent(m[1]), decodeURIComponent(m[2]));
  else startList();
}

boot().catch((err: unknown) => {
  failure({ message: err instanceof Error ? err.message : String(err) });
});
