// The dashboard's only stylesheet, served as /assets/style.css (a file, so the CSP
// needs no 'unsafe-inline'). System fonts only: nothing is fetched from elsewhere.
export const STYLESHEET = `
:root { --fg:#1d2330; --muted:#667085; --line:#e4e7ec; --bg:#f8f9fb; --ok:#12805c; --bad:#c4320a;
  --warn:#b54708; --accent:#2e5bff; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
* { box-sizing: border-box; }
body { margin:0; color:var(--fg); background:var(--bg); font-size:14px; }
a { color:var(--accent); text-decoration:none; } a:hover { text-decoration:underline; }
code, pre { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size:12px; }
.top { display:flex; gap:16px; align-items:center; padding:10px 20px; background:#111827; color:#fff; }
.top .brand { color:#fff; font-weight:700; } .top form { margin-left:auto; }
#who { color:#d0d5dd; }
.live { font-size:12px; padding:2px 8px; border-radius:10px; background:#12805c; }
.live.off { background:#667085; }
main { padding:20px; max-width:1200px; margin:0 auto; } main.narrow { max-width:560px; }
.banner { background:#fffaeb; border-bottom:1px solid #fec84b; padding:8px 20px; }
.error { color:var(--bad); } .muted { color:var(--muted); } .ok { color:var(--ok); } .bad { color:var(--bad); }
table { border-collapse:collapse; width:100%; background:#fff; border:1px solid var(--line); }
th, td { text-align:left; padding:7px 10px; border-bottom:1px solid var(--line); vertical-align:top; }
th { background:#f2f4f7; font-weight:600; font-size:12px; color:#475467; }
.phase { font-weight:600; padding:1px 8px; border-radius:10px; background:#eef2ff; }
.phase.Succeeded { background:#ecfdf3; color:var(--ok); } .phase.Failed { background:#fef3f2; color:var(--bad); }
.phase.WaitingPromotion, .phase.Waiting { background:#fffaeb; color:var(--warn); }
.bar { display:inline-block; width:120px; height:8px; background:#eaecf0; border-radius:4px; vertical-align:middle; }
.bar > span { display:block; height:100%; background:var(--accent); border-radius:4px; }
.toolbar { display:flex; gap:16px; align-items:center; margin-bottom:12px; }
section { background:#fff; border:1px solid var(--line); border-radius:6px; padding:14px 16px; margin-bottom:16px; }
section h2 { margin:0 0 10px; font-size:15px; }
.grid { display:grid; grid-template-columns: repeat(auto-fill, minmax(340px, 1fr)); gap:12px; }
.chart svg { width:100%; height:auto; background:#fcfcfd; border:1px solid var(--line); }
#weight-chart { max-width:560px; margin-bottom:10px; }
.chart .line { fill:none; stroke:var(--accent); stroke-width:2; }
.chart .thr { stroke:var(--bad); stroke-dasharray:4 3; stroke-width:1.5; }
.chart .pt.pass { fill:var(--ok); } .chart .pt.fail { fill:var(--bad); }
.chart .axis { fill:var(--muted); font-size:10px; }
.actions { display:flex; gap:8px; margin:8px 0; }
button { font:inherit; padding:6px 14px; border-radius:6px; border:1px solid #d0d5dd; background:#fff; cursor:pointer; }
button.primary { background:var(--accent); color:#fff; border-color:var(--accent); }
button.danger { color:var(--bad); border-color:#fda29b; }
button:disabled { opacity:.5; cursor:not-allowed; }
dialog { border:1px solid var(--line); border-radius:8px; max-width:460px; }
dialog input[type=text] { width:100%; padding:6px; margin-top:4px; }
dialog menu { display:flex; gap:8px; justify-content:flex-end; padding:0; margin:14px 0 0; }
.login textarea { width:100%; font-family:ui-monospace, monospace; font-size:12px; }
.msg { margin:8px 0; padding:8px 10px; border-radius:6px; background:#f2f4f7; }
.msg.error { background:#fef3f2; } .msg.ok { background:#ecfdf3; }
.kv { display:grid; grid-template-columns: 160px 1fr; gap:4px 12px; }
pre.evidence { white-space:pre-wrap; background:#f9fafb; padding:6px; margin:4px 0 0; }
`;
