// Small SVG charts drawn with DOM calls (no library, no inline style): the canary weight
// step by step, and each check's values against its threshold.
import type { CheckSeries, WeightPoint } from '../views/types.js';
import { clock, h, svg } from './dom.js';

const W = 360;
const H = 150;
const PAD = { l: 34, r: 10, t: 10, b: 22 };

interface Scale {
  x(i: number): number;
  y(v: number): number;
}

function scale(n: number, lo: number, hi: number): Scale {
  const span = hi - lo || 1;
  return {
    x: (i) => PAD.l + (n <= 1 ? 0 : (i * (W - PAD.l - PAD.r)) / (n - 1)),
    y: (v) => H - PAD.b - ((v - lo) * (H - PAD.t - PAD.b)) / span,
  };
}

interface Span {
  readonly lo: number;
  readonly hi: number;
  readonly first: string;
  readonly last: string;
  readonly n: number;
}

function axes(s: Scale, { lo, hi, first, last, n }: Span): SVGElement[] {
  const fmt = (v: number): string =>
    Math.abs(v) >= 100 || Number.isInteger(v) ? String(Math.round(v)) : v.toFixed(2);
  return [
    svg('text', { class: 'axis', x: 2, y: s.y(hi) + 8 }, fmt(hi)),
    svg('text', { class: 'axis', x: 2, y: s.y(lo) }, fmt(lo)),
    svg('text', { class: 'axis', x: PAD.l, y: H - 6 }, first),
    svg('text', { class: 'axis', x: s.x(n - 1) - 44, y: H - 6 }, last),
    svg('line', { x1: PAD.l, y1: s.y(lo), x2: W - PAD.r, y2: s.y(lo), stroke: '#d0d5dd' }),
  ];
}

export function weightChart(points: readonly WeightPoint[], max: number): HTMLElement {
  const s = scale(points.length, 0, Math.max(max, ...points.map((p) => p.weight)));
  let d = '';
  points.forEach((p, i) => {
    const x = s.x(i);
    const y = s.y(p.weight);
    // A step chart: the weight holds until the next step.
    d += i === 0 ? `M${x},${y}` : `H${x}V${y}`;
  });
  const dots = points.map((p, i) =>
    svg(
      'circle',
      { class: 'pt pass', cx: s.x(i), cy: s.y(p.weight), r: 3 },
      svg('title', {}, `${clock(p.time)}: ${p.weight}%`),
    ),
  );
  return h(
    'div',
    { class: 'chart', id: 'weight-chart' },
    svg(
      'svg',
      { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': 'canary weight per step' },
      ...axes(s, {
        lo: 0,
        hi: max,
        first: clock(points[0]?.time ?? ''),
        last: clock(points[points.length - 1]?.time ?? ''),
        n: points.length,
      }),
      svg('path', { class: 'line', d }),
      ...dots,
    ),
  );
}

export function checkChart(c: CheckSeries): HTMLElement {
  const values = c.points.map((p) => p.value).filter((v): v is number => v !== undefined);
  const bounds = [c.min, c.max].filter((v): v is number => v !== undefined);
  const all = [...values, ...bounds];
  let lo = Math.min(...all);
  let hi = Math.max(...all);
  if (!Number.isFinite(lo)) [lo, hi] = [0, 1];
  const margin = (hi - lo) * 0.1 || Math.abs(hi) * 0.1 || 1;
  lo -= margin;
  hi += margin;
  const s = scale(c.points.length, lo, hi);
  const thresholds = bounds.map((b) =>
    svg(
      'line',
      { class: 'thr', x1: PAD.l, x2: W - PAD.r, y1: s.y(b), y2: s.y(b) },
      svg('title', {}, `threshold ${b}`),
    ),
  );
  let d = '';
  c.points.forEach((p, i) => {
    if (p.value !== undefined) d += `${d === '' ? 'M' : 'L'}${s.x(i)},${s.y(p.value)}`;
  });
  const dots = c.points.map((p, i) =>
    svg(
      'circle',
      { class: `pt ${p.passed ? 'pass' : 'fail'}`, cx: s.x(i), cy: s.y(p.value ?? lo), r: 3.5 },
      svg('title', {}, `${clock(p.time)}: ${p.value ?? 'no value'} — ${p.message}`),
    ),
  );
  const range =
    c.min !== undefined && c.max !== undefined
      ? `${c.min}..${c.max}`
      : c.min !== undefined
        ? `≥ ${c.min}`
        : c.max !== undefined
          ? `≤ ${c.max}`
          : '';
  return h(
    'div',
    { class: 'chart', 'data-check': c.name },
    h('strong', {}, c.name),
    ' ',
    h('span', { class: 'muted' }, `${c.kind}${range === '' ? '' : `, threshold ${range}`}`),
    svg(
      'svg',
      { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': `${c.name} against its threshold` },
      ...axes(s, {
        lo,
        hi,
        first: clock(c.points[0]?.time ?? ''),
        last: clock(c.points[c.points.length - 1]?.time ?? ''),
        n: c.points.length,
      }),
      ...thresholds,
      svg('path', { class: 'line', d }),
      ...dots,
    ),
  );
}
