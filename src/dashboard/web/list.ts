// The canary list: every canary in the namespaces the user may list, with phase,
// weight, the last check and why a person is needed; "waiting for me" keeps those
// waiting for a human that this user's RBAC lets act.
import type { ListRow, ListView } from '../views/types.js';
import { age, bar, h, phaseBadge } from './dom.js';

function lastCheck(r: ListRow): HTMLElement | string {
  const c = r.lastCheck;
  if (c === undefined) return '';
  return h(
    'span',
    { class: c.passed ? 'ok' : 'bad' },
    `${c.passed ? '✓' : '✗'} ${c.name} ${c.value ?? '-'} (${c.threshold})`,
  );
}

function row(r: ListRow): HTMLElement {
  const link = `/canaries/${encodeURIComponent(r.namespace)}/${encodeURIComponent(r.name)}`;
  return h(
    'tr',
    { 'data-canary': `${r.namespace}/${r.name}` },
    h('td', {}, r.namespace),
    h('td', {}, h('a', { href: link }, r.name)),
    h('td', {}, phaseBadge(r.phase)),
    h(
      'td',
      {},
      bar(r.weight, r.maxWeight),
      ' ',
      h('span', { class: 'weight' }, r.unit === '%' ? `${r.weight}%` : `${r.weight}/${r.maxWeight}`),
    ),
    h('td', {}, `${r.failedChecks}/${r.threshold}`),
    h('td', {}, lastCheck(r)),
    h('td', {}, r.invalid !== '' ? h('span', { class: 'bad' }, `invalid: ${r.invalid}`) : r.waitingFor),
    h('td', { class: 'muted' }, age(r.lastTransitionTime)),
  );
}

export function renderList(
  main: HTMLElement,
  view: ListView,
  waitingOnly: boolean,
  onFilter: (on: boolean) => void,
): void {
  const rows = view.rows.filter((r) => !waitingOnly || (r.waitingFor !== '' && r.canAct));
  const filter = h('input', { type: 'checkbox', id: 'waiting-filter' });
  filter.checked = waitingOnly;
  filter.addEventListener('change', () => {
    onFilter(filter.checked);
  });
  main.replaceChildren(
    h(
      'div',
      { class: 'view' },
      h(
        'div',
        { class: 'toolbar' },
        h('h1', {}, 'Canaries'),
        h('label', {}, filter, ' waiting for me'),
        h(
          'span',
          { class: 'muted', id: 'namespaces' },
          `namespaces: ${view.namespaces.join(', ') || '(none you may list)'}`,
        ),
      ),
      h(
        'table',
        { id: 'canaries' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ...[
              'Namespace',
              'Name',
              'Phase',
              'Weight',
              'Failed checks',
              'Last check',
              'Needs',
              'Last transition',
            ].map((t) => h('th', {}, t)),
          ),
        ),
        h('tbody', {}, ...rows.map(row)),
      ),
      rows.length === 0
        ? h(
            'p',
            { class: 'muted', id: 'empty' },
            waitingOnly ? 'Nothing is waiting for you.' : 'No canaries you may see.',
          )
        : null,
    ),
  );
}
