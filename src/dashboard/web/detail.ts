// One canary: header with live phase and weight, the actions, the current run's
// timeline (weight per step, gates, webhooks), each check against its threshold, what
// the revision changes, earlier runs, the audit of human actions, and the Events.
import type { DetailView, TimelineEntry } from '../views/types.js';
import { checkChart, weightChart } from './chart.js';
import { age, bar, clock, h, phaseBadge } from './dom.js';

/** Phases in which each action can act (the operator's rule; the server checks it again). */
const ACTIONS: readonly { action: string; label: string; phases: readonly string[]; cls: string }[] = [
  { action: 'promote', label: 'Promote', phases: ['Progressing', 'WaitingPromotion'], cls: 'primary' },
  { action: 'abort', label: 'Abort', phases: ['Waiting', 'Progressing', 'WaitingPromotion'], cls: 'danger' },
  { action: 'retry', label: 'Retry', phases: ['Failed'], cls: '' },
];

export interface DetailOptions {
  readonly readOnly: boolean;
  readonly onAction: (action: string, view: DetailView) => void;
}

function section(title: string, id: string, ...body: (Node | string | null)[]): HTMLElement {
  return h('section', { id }, h('h2', {}, title), ...body);
}

function entryRows(entries: readonly TimelineEntry[]): HTMLElement {
  return h(
    'table',
    {},
    h(
      'thead',
      {},
      h('tr', {}, h('th', {}, 'Time'), h('th', {}, 'Kind'), h('th', {}, 'Reason'), h('th', {}, 'Message')),
    ),
    h(
      'tbody',
      {},
      ...entries.map((e) =>
        h(
          'tr',
          { 'data-reason': e.reason },
          h('td', {}, clock(e.time)),
          h('td', {}, e.category),
          h('td', { class: e.type === 'Warning' ? 'bad' : '' }, e.reason),
          h('td', {}, e.message, e.count > 1 ? h('span', { class: 'muted' }, ` ×${e.count}`) : null),
        ),
      ),
    ),
  );
}

function actions(v: DetailView, o: DetailOptions): HTMLElement | null {
  if (o.readOnly) return h('p', { class: 'muted' }, 'Read-only dashboard: actions are disabled.');
  const buttons = ACTIONS.map((a) => {
    const b = h('button', { type: 'button', class: a.cls, id: `action-${a.action}` }, a.label);
    b.disabled = !a.phases.includes(v.row.phase);
    b.addEventListener('click', () => {
      o.onAction(a.action, v);
    });
    return b;
  });
  const hint = v.row.canAct
    ? null
    : h(
        'span',
        { class: 'muted' },
        'Your RBAC does not seem to allow writing requests here; the API server will decide.',
      );
  return h('div', { class: 'actions' }, ...buttons, hint);
}

function checks(v: DetailView): HTMLElement {
  if (v.checks.length === 0) return h('p', { class: 'muted' }, 'No checks recorded yet.');
  const evidence = v.checks.flatMap((c) =>
    c.points
      .filter((p) => p.evidence !== '')
      .map((p) =>
        h(
          'div',
          {},
          h('strong', {}, `${c.name} at ${clock(p.time)}`),
          h('pre', { class: 'evidence' }, p.evidence),
        ),
      ),
  );
  return h('div', {}, h('div', { class: 'grid' }, ...v.checks.map(checkChart)), ...evidence);
}

function diff(v: DetailView): HTMLElement {
  if (v.diffNote !== '') return h('p', { class: 'muted' }, v.diffNote);
  if (v.diff.length === 0)
    return h('p', { class: 'muted' }, 'The target and the primary run the same pod template.');
  return h(
    'table',
    { id: 'diff-table' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ...['Kind', 'Container', 'Name', 'Primary (now)', 'Target (new)'].map((t) => h('th', {}, t)),
      ),
    ),
    h(
      'tbody',
      {},
      ...v.diff.map((d) =>
        h(
          'tr',
          {},
          h('td', {}, d.kind),
          h('td', {}, d.container),
          h('td', {}, d.name),
          h('td', {}, d.before),
          h('td', {}, d.after),
        ),
      ),
    ),
  );
}

function audit(v: DetailView): HTMLElement {
  if (v.audit.length === 0) return h('p', { class: 'muted' }, 'No human action recorded.');
  return h(
    'table',
    { id: 'audit-table' },
    h(
      'thead',
      {},
      h('tr', {}, ...['When', 'Who', 'Action', 'Revision', 'Comment', 'Outcome'].map((t) => h('th', {}, t))),
    ),
    h(
      'tbody',
      {},
      ...v.audit.map((a) =>
        h(
          'tr',
          { 'data-request': a.requestId },
          h('td', {}, `${clock(a.time)} (${age(a.time)})`),
          h('td', { class: 'audit-user' }, a.user),
          h('td', {}, a.action),
          h('td', {}, h('code', {}, a.revision.slice(0, 12))),
          h('td', {}, a.comment),
          h(
            'td',
            { class: a.outcome === 'rejected' ? 'bad' : a.outcome === 'applied' ? 'ok' : '' },
            a.outcome,
            a.message === '' ? '' : `: ${a.message}`,
          ),
        ),
      ),
    ),
  );
}

export function renderDetail(main: HTMLElement, v: DetailView, o: DetailOptions): void {
  const r = v.row;
  const weightText = r.unit === '%' ? `${r.weight}%` : `${r.weight}/${r.maxWeight} iterations`;
  main.replaceChildren(
    h(
      'div',
      { class: 'view' },
      h(
        'div',
        { class: 'toolbar' },
        h('a', { href: '/' }, '← all canaries'),
        h('h1', {}, `${r.namespace}/${r.name}`),
        phaseBadge(r.phase),
        bar(r.weight, r.maxWeight),
        h('strong', { id: 'weight' }, weightText),
      ),
      r.invalid === '' ? null : h('p', { class: 'msg error' }, `Invalid spec: ${r.invalid}`),
      h(
        'div',
        { class: 'kv' },
        h('span', { class: 'muted' }, 'target'),
        h('span', {}, v.target),
        h('span', { class: 'muted' }, 'revision'),
        h('code', { id: 'revision' }, v.revision),
        h('span', { class: 'muted' }, 'failed checks'),
        h('span', {}, `${r.failedChecks}/${r.threshold}`),
        h('span', { class: 'muted' }, 'needs'),
        h('span', {}, r.waitingFor || '—'),
        ...v.conditions.flatMap((c) => [
          h('span', { class: 'muted' }, c.type),
          h('span', {}, `${c.status} ${c.reason}: ${c.message}`),
        ]),
      ),
      actions(v, o),
      section(
        'Current run',
        'run',
        v.weights.length > 0 ? weightChart(v.weights, r.maxWeight) : null,
        v.timeline.length > 0
          ? entryRows(v.timeline)
          : h('p', { class: 'muted' }, 'No events for this run (yet).'),
      ),
      section('Checks against thresholds', 'checks', checks(v)),
      section('What this revision changes', 'diff', diff(v)),
      section('Human actions (audit)', 'audit', audit(v)),
      section(
        'Previous runs',
        'runs',
        v.runs.length === 0
          ? h('p', { class: 'muted' }, 'No runs in the Events the API server still keeps.')
          : h(
              'table',
              {},
              h(
                'thead',
                {},
                h(
                  'tr',
                  {},
                  ...['Started', 'Ended', 'Outcome', 'Peak weight', 'Why'].map((t) => h('th', {}, t)),
                ),
              ),
              h(
                'tbody',
                {},
                ...v.runs.map((x) =>
                  h(
                    'tr',
                    {},
                    h('td', {}, clock(x.start)),
                    h('td', {}, clock(x.end)),
                    h('td', {}, x.outcome),
                    h('td', {}, `${x.peakWeight}%`),
                    h('td', {}, x.reason),
                  ),
                ),
              ),
            ),
      ),
      section('Events', 'events', entryRows(v.events)),
    ),
  );
}
