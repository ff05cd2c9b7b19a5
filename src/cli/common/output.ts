// Output for people and for scripts: aligned tables, JSON/YAML, and colour only when
// writing to a terminal (and NO_COLOR is unset, per no-color.org).
import { stringify } from 'yaml';
import { CliError, EXIT } from './errors.js';

export type OutputFormat = 'table' | 'json' | 'yaml';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['table', 'json', 'yaml'];

export function parseOutput(value: string | undefined): OutputFormat {
  const v = value ?? 'table';
  if ((OUTPUT_FORMATS as readonly string[]).includes(v)) return v as OutputFormat;
  throw new CliError(`--output must be one of ${OUTPUT_FORMATS.join(', ')} (got "${v}")`, EXIT.usage);
}

export interface Writer {
  write(text: string): void;
  readonly color: boolean;
}

export function colorWanted(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  if (env['TERM'] === 'dumb') return false;
  return stream.isTTY === true;
}

export function stdoutWriter(): Writer {
  return { write: (t) => process.stdout.write(t), color: colorWanted(process.stdout) };
}

/** A Writer that collects text (tests, and building output before printing). */
export class BufferWriter implements Writer {
  text = '';
  readonly color: boolean;
  constructor(color = false) {
    this.color = color;
  }
  write(t: string): void {
    this.text += t;
  }
}

const CODES = { red: 31, green: 32, yellow: 33, blue: 34, gray: 90, bold: 1 } as const;
export type Color = keyof typeof CODES;

export function paint(w: Writer, color: Color, text: string): string {
  return w.color ? `\u001b[${CODES[color]}m${text}\u001b[0m` : text;
}

/** Colour for a canary phase: green done, red failed, yellow waiting, blue moving. */
export function phaseColor(phase: string): Color {
  if (phase === 'Succeeded' || phase === 'Initialized') return 'green';
  if (phase === 'Failed') return 'red';
  if (phase.startsWith('Waiting')) return 'yellow';
  return phase === '' ? 'gray' : 'blue';
}

// eslint-disable-next-line no-control-regex -- matching the escapes paint() writes
const ANSI = /\u001b\[[0-9;]*m/g;
const visibleLength = (s: string): number => s.replace(ANSI, '').length;

/** Left-aligned columns separated by three spaces, like kubectl. Cells may be painted. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => visibleLength(r[i] ?? ''))));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c + ' '.repeat((widths[i] ?? 0) - visibleLength(c))))
      .join('   ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n') + '\n';
}

export function structured(value: unknown, format: 'json' | 'yaml'): string {
  return format === 'json' ? JSON.stringify(value, null, 2) + '\n' : stringify(value);
}

/** `[#####-----]` for `value` of `max`. */
export function progressBar(value: number, max: number, width = 20): string {
  const ratio = max <= 0 ? 0 : Math.min(1, Math.max(0, value / max));
  const full = Math.round(ratio * width);
  return `[${'#'.repeat(full)}${'-'.repeat(width - full)}]`;
}

/** "5s", "3m20s", "2h5m": how long ago, for people. */
export function humanDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${s % 60 ? `${s % 60}s` : ''}`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h${m % 60 ? `${m % 60}m` : ''}`;
  return `${Math.floor(h / 24)}d`;
}

export function age(iso: string | undefined, now: number): string {
  const t = Date.parse(iso ?? '');
  return Number.isNaN(t) ? '-' : humanDuration(now - t);
}
