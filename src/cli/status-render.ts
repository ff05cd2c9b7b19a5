// Rendering for `flagger-ts status`: the list table and the one-canary report.
import { age, paint, phaseColor, progressBar, table, type Writer } from './common/output.js';
import { thresholdText, valueText, type CanaryDetail, type CanaryRow } from './common/canary-view.js';
import { judgeEvidence, verdictCell } from './status-judge.js';

export function renderList(
  w: Writer,
  rows: readonly CanaryRow[],
  allNamespaces: boolean,
  now: number,
): string {
  const headers = [
    ...(allNamespaces ? ['NAMESPACE'] : []),
    'NAME',
    'PHASE',
    'WEIGHT',
    'FAILED CHECKS',
    'LAST TRANSITION',
  ];
  const body = rows.map((r) => [
    ...(allNamespaces ? [r.namespace] : []),
    r.name,
    paint(w, phaseColor(r.phase), r.phase),
    String(r.weight),
    r.invalid === undefined ? `${r.failedChecks}/${r.threshold}` : '-',
    r.lastTransitionTime === '' ? '-' : `${age(r.lastTransitionTime, now)} ago`,
  ]);
  const invalid = rows.filter((r) => r.invalid !== undefined);
  const notes = invalid.map(
    (r) => `${paint(w, 'red', 'invalid')} ${r.namespace}/${r.name}: ${r.invalid ?? ''}\n`,
  );
  return table(headers, body) + notes.join('');
}

const clock = (iso: string): string => (iso.length >= 19 ? iso.slice(11, 19) : iso || '-');

function checksTable(w: Writer, d: CanaryDetail, limit: number): string {
  const recent = d.checks.slice(-limit);
  if (recent.length === 0) return '  (no checks recorded yet)\n';
  const rows = recent.map((c) => [
    clock(c.time),
    c.name,
    c.kind,
    valueText(c.value),
    thresholdText(c),
    verdictCell(w, c),
  ]);
  let out = table(['TIME', 'CHECK', 'KIND', 'VALUE', 'THRESHOLD', 'VERDICT'], rows)
    .split('\n')
    .map((l) => (l === '' ? l : `  ${l}`))
    .join('\n');
  // Queries are long: shown once per failing check, under the table.
  for (const c of recent.filter((x) => !x.passed || (x.judge !== undefined && x.judge.verdict !== 'pass'))) {
    out += `  ${paint(w, 'red', '✗')} ${clock(c.time)} ${c.name}: ${c.message}\n`;
    if (c.judge !== undefined) out += judgeEvidence(c);
    else if (c.query !== undefined) out += `      query: ${c.query.replace(/\s+/g, ' ').trim()}\n`;
  }
  return out;
}

export function renderDetail(w: Writer, d: CanaryDetail, now: number, checkLimit = 10): string {
  const p = d.progress;
  const lines: string[] = [
    `Canary:          ${d.name} (namespace ${d.namespace})`,
    `Target:          ${d.target}`,
    `Phase:           ${paint(w, phaseColor(d.phase), d.phase)}`,
    `Strategy:        ${p.strategy}`,
    `Progress:        ${progressBar(p.value, p.max)} ${p.value}${p.unit === '%' ? '%' : ''} of ${p.max}${p.unit === '%' ? '%' : ' iterations'}`,
    `Weight:          ${d.weight}`,
    `Failed checks:   ${d.failedChecks} (rollback at ${d.threshold})`,
    `Revision:        ${d.revision || '-'}${d.promotedRevision ? ` (primary runs ${d.promotedRevision})` : ''}`,
    ...(d.canaryImages === '' ? [] : [`Canary image:    ${d.canaryImages}`]),
    ...(d.primaryImages === '' ? [] : [`Primary image:   ${d.primaryImages}`]),
    `Last transition: ${d.lastTransitionTime || '-'}${d.lastTransitionTime ? ` (${age(d.lastTransitionTime, now)} ago)` : ''}`,
  ];
  const u = d.userRequest;
  if (u !== undefined) {
    const state =
      u.ack?.id === u.request.id
        ? `${u.ack.outcome}: ${u.ack.message}`
        : 'pending (the operator has not acted on it yet)';
    lines.push(
      `User request:    ${u.request.action} by ${u.requestedBy || 'unknown'} at ${u.requestedAt} — ${state}`,
    );
  }
  if (d.approvalHint !== undefined) lines.push(`${paint(w, 'yellow', 'Approval:')}        ${d.approvalHint}`);
  let out = lines.join('\n') + '\n\nConditions:\n';
  out +=
    d.conditions.length === 0
      ? '  (none)\n'
      : d.conditions.map((c) => `  ${c.type}=${c.status} ${c.reason}: ${c.message}\n`).join('');
  out += `\nRecent checks (last ${checkLimit}):\n${checksTable(w, d, checkLimit)}`;
  if (d.phase === 'Failed' || d.warnings.length > 0) {
    out += `\n${d.phase === 'Failed' ? 'Why it failed' : 'Warnings'} (last ${d.warnings.length} Warning events of this run):\n`;
    out +=
      d.warnings.length === 0
        ? '  (no Warning events kept; events expire after an hour by default)\n'
        : d.warnings
            .map(
              (e) =>
                `  ${clock(e.lastTimestamp)}  ${paint(w, 'yellow', e.reason)}  ${e.message}${e.count > 1 ? ` (x${e.count})` : ''}\n`,
            )
            .join('');
  }
  return out;
}
