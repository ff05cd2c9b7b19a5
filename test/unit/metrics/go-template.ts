// Runs query templates through Go's real text/template, set up as Flagger sets it up
// (test/unit/metrics/gotemplate/main.go, standard library only). The helper is built
// once per test run into the cache; Go's build cache makes later builds about a second.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheRoot } from '../../../hack/cluster/paths.js';
import type { QueryModel } from '../../../src/metrics/render.js';

export type GoResult =
  { readonly out: string; readonly err?: undefined } | { readonly err: string; readonly out?: undefined };

const here = dirname(fileURLToPath(import.meta.url));
// Compiled to dist/test/unit/metrics; the Go source stays in the source tree.
const source = here.includes(join('dist', 'test'))
  ? resolve(here, '../../../../test/unit/metrics/gotemplate')
  : join(here, 'gotemplate');

let binary: string | undefined;

function build(): string {
  if (binary !== undefined) return binary;
  const out = join(cacheRoot(), 'bin', 'gotemplate-render');
  mkdirSync(dirname(out), { recursive: true });
  execFileSync('go', ['build', '-o', out, '.'], {
    cwd: source,
    env: { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod', CGO_ENABLED: '0' },
    stdio: ['ignore', 'ignore', 'inherit'],
    timeout: 120_000,
  });
  binary = out;
  return out;
}

/** Go's output (or error) for each template, rendered with `model`. */
export function goRender(templates: readonly string[], model: QueryModel): GoResult[] {
  const input = JSON.stringify(templates.map((template) => ({ template, model })));
  const out = execFileSync(build(), { input, encoding: 'utf8', timeout: 60_000, maxBuffer: 64 << 20 });
  return JSON.parse(out) as GoResult[];
}
