// The page's only ways to talk to the server: the session (user, CSRF token), the
// event streams (pushed by the server from Kubernetes watches: no polling), and actions.
export interface SessionInfo {
  readonly user: string;
  readonly groups: readonly string[];
  readonly csrf: string;
  readonly readOnly: boolean;
  readonly mode: string;
}

export async function loadSession(): Promise<SessionInfo | undefined> {
  const res = await fetch('/api/session', { credentials: 'same-origin' });
  if (res.status === 401) return undefined;
  if (!res.ok) throw new Error(`session: HTTP ${res.status}`);
  return (await res.json()) as SessionInfo;
}

export interface ActionAnswer {
  readonly ok: boolean;
  readonly status: number;
  readonly message: string;
  readonly warning: string;
}

export async function postAction(
  session: SessionInfo,
  ns: string,
  name: string,
  action: string,
  body: { comment: string; revision: string },
): Promise<ActionAnswer> {
  const res = await fetch(`/api/canaries/${encodeURIComponent(ns)}/${encodeURIComponent(name)}/${action}`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': session.csrf },
    body: JSON.stringify(body),
  });
  const data = (await res.json().catch(() => ({}))) as { error?: string; message?: string; warning?: string };
  return {
    ok: res.ok,
    status: res.status,
    message: data.error ?? data.message ?? `HTTP ${res.status}`,
    warning: data.warning ?? '',
  };
}

export type StreamHandlers = Readonly<Record<string, (data: unknown) => void>>;

/** Opens an event stream; `onLive` reports whether it is connected. Returns a closer. */
export function openStream(
  path: string,
  handlers: StreamHandlers,
  onLive: (live: boolean) => void,
): () => void {
  const es = new EventSource(path, { withCredentials: true });
  es.onopen = () => {
    onLive(true);
  };
  es.onerror = () => {
    onLive(false);
    // A closed stream (401 after the session ended) is not retried by the browser.
    if (es.readyState === EventSource.CLOSED) {
      void loadSession().then((s) => {
        if (s === undefined) location.assign('/login');
      });
    }
  };
  for (const [event, fn] of Object.entries(handlers)) {
    es.addEventListener(event, (e) => {
      fn(JSON.parse((e as MessageEvent<string>).data) as unknown);
    });
  }
  return () => {
    es.close();
  };
}
