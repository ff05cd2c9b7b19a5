// Runs test/judge-scipy/reference.py in the pinned SciPy venv (hack/judge/setup-scipy.sh) and
// compares numbers. The seed is random per run unless JUDGE_SCIPY_SEED is set; it is printed so a
// failure can be reproduced.
import { execFileSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../..');
let python: string | undefined;

function pythonPath(): string {
  if (python === undefined) {
    const out = execFileSync('bash', [resolve(root, 'hack/judge/setup-scipy.sh')], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    python = out.trim().split('\n').at(-1) ?? '';
  }
  return python;
}

export function seedFor(kind: string): number {
  const fixed = process.env['JUDGE_SCIPY_SEED'];
  const seed = fixed === undefined ? randomInt(1, 2 ** 31) : Number(fixed);
  console.log(`# scipy reference ${kind}: seed ${seed} (JUDGE_SCIPY_SEED=${seed} reproduces)`);
  return seed;
}

/** JSON numbers, with SciPy's non-finite values sent as strings. */
export type Num = number | 'inf' | '-inf' | 'nan';

export function num(v: Num): number {
  if (v === 'inf') return Infinity;
  if (v === '-inf') return -Infinity;
  if (v === 'nan') return NaN;
  return v;
}

export function reference<T>(kind: string, seed: number, count: number): T[] {
  const out = execFileSync(
    pythonPath(),
    [resolve(root, 'test/judge-scipy/reference.py'), kind, String(seed), String(count)],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 30,
    },
  );
  const parsed = JSON.parse(out) as { scipy: string; cases: T[] };
  return parsed.cases;
}

/** |actual − expected| ≤ 1e-6 · max(1, |expected|): absolute for p-values, relative for large statistics. */
export function agrees(actual: number, expected: number, tolerance = 1e-6): boolean {
  if (Number.isNaN(expected)) return Number.isNaN(actual);
  if (!Number.isFinite(expected)) return actual === expected;
  return Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected));
}

/** Collects disagreements so one failing run reports all of them, with the inputs. */
export class Mismatches {
  readonly items: string[] = [];
  checked = 0;
  check(what: string, actual: number, expected: number, context: () => string): void {
    this.checked++;
    if (!agrees(actual, expected)) {
      this.items.push(`${what}: ours ${actual}, scipy ${expected} (${context()})`);
    }
  }
  report(): string {
    return `${this.items.length} of ${this.checked} values disagree:\n${this.items.slice(0, 15).join('\n')}`;
  }
}
