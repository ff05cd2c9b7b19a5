// The two HTML documents the dashboard serves. No inline script or style (the CSP
// forbids both): the app shell loads /assets/app.js as an ES module and /assets/style.css.
const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const head = (title: string): string => `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<link rel="stylesheet" href="/assets/style.css">
</head>`;

export function appPage(): string {
  return `${head('flagger-ts dashboard')}
<body>
<header class="top"><a href="/" class="brand">flagger-ts</a><span id="who"></span>
<span id="live" class="live off" title="live updates">offline</span>
<form id="logout" method="post" action="/logout"><input type="hidden" name="csrf" id="logout-csrf"><button type="submit">Log out</button></form></header>
<div id="banner" class="banner" hidden></div>
<main id="main"><p class="muted">Loading…</p></main>
<dialog id="confirm"><form method="dialog" id="confirm-form">
<h2 id="confirm-title"></h2><p id="confirm-text"></p>
<label>Comment (optional, recorded in the audit)<br><input type="text" id="confirm-comment" maxlength="500" autocomplete="off"></label>
<menu><button value="cancel" type="button" id="confirm-cancel">Cancel</button><button value="ok" id="confirm-ok" type="submit">Confirm</button></menu>
</form></dialog>
<script type="module" src="/assets/app.js"></script>
</body></html>`;
}

export interface LoginPage {
  readonly mode: 'kubeconfig' | 'token';
  readonly error: string;
}

export function loginPage(p: LoginPage): string {
  const error = p.error === '' ? '' : `<p class="error" id="login-error">${esc(p.error)}</p>`;
  const body =
    p.mode === 'token'
      ? `<form method="post" action="/login" class="login" autocomplete="off">
<label for="token">Kubernetes bearer token</label>
<textarea id="token" name="token" rows="5" required spellcheck="false"></textarea>
<p class="muted">A ServiceAccount token (<code>kubectl create token NAME -n NAMESPACE</code>) or an OIDC id token
the API server accepts. It is checked with a TokenReview and kept only in this server's memory; every request is
made with it, so your RBAC decides what you see and do.</p>
<button type="submit" id="login-submit">Log in</button></form>`
      : `<p>This dashboard runs with your kubeconfig. Open the login link that <code>flagger-ts dashboard</code>
printed in your terminal (it works once).</p>`;
  return `${head('Log in · flagger-ts')}
<body><main class="narrow"><h1>flagger-ts dashboard</h1>${error}${body}</main></body></html>`;
}
