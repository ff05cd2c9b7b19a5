// The image's rules, read from the Dockerfile itself: multi-stage on Node 20, a slim
// runtime with production dependencies only, a numeric non-root user, the CLI as
// entrypoint with `controller` as the default command, and a minimal build context.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { OPERATOR_NODE_FLAGS } from '../../../src/cli/node-flags.js';
import { execForm, expandArgs, parseDockerfile, type Stage } from './dockerfile.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const dockerfile = parseDockerfile(readFileSync(join(root, 'Dockerfile'), 'utf8'));

const argsOf = (stage: Stage, keyword: string): string[] =>
  stage.instructions.filter((i) => i.keyword === keyword).map((i) => i.args);

function stage(name: string): Stage {
  const s = dockerfile.stages.find((x) => x.name === name);
  if (!s) throw new Error(`no stage ${name}`);
  return s;
}

test('parser: continuations, comments and stages', () => {
  const d = parseDockerfile(
    'ARG V=1\n# c\nFROM a:${V} AS one\nRUN x \\\n  # inner\n  && y\nFROM b\nCMD ["z"]\n',
  );
  assert.equal(d.preamble.length, 1);
  assert.deepEqual(
    d.stages.map((s) => [s.from, s.name]),
    [
      ['a:${V}', 'one'],
      ['b', undefined],
    ],
  );
  assert.equal(d.stages[0]?.instructions[0]?.args, 'x && y');
  assert.equal(expandArgs('a:${V}', d.preamble), 'a:1');
  assert.deepEqual(execForm('["z"]'), ['z']);
  assert.equal(execForm('z'), undefined);
});

test('multi-stage: build on node:20 with the full toolchain, runtime on node:20 slim', () => {
  const images = dockerfile.stages.map((s) => expandArgs(s.from, dockerfile.preamble));
  assert.ok(dockerfile.stages.length >= 2, 'multi-stage');
  for (const image of images) assert.match(image, /^node:20(-|$)/, `${image} is a Node 20 image`);
  const runtime = dockerfile.stages.at(-1);
  assert.ok(runtime);
  assert.match(expandArgs(runtime.from, dockerfile.preamble), /^node:20-[a-z]+-slim$/);
  assert.ok(argsOf(stage('build'), 'RUN').some((r) => /npx tsc -p tsconfig\.json/.test(r)));
  assert.ok(argsOf(stage('deps'), 'RUN').some((r) => /npm ci --omit=dev\b/.test(r)));
});

test('runtime stage: only compiled code and production deps, nothing installed or run', () => {
  const runtime = dockerfile.stages.at(-1);
  assert.ok(runtime);
  assert.deepEqual(argsOf(runtime, 'RUN'), [], 'no RUN in the runtime stage');
  const copies = argsOf(runtime, 'COPY');
  assert.ok(copies.some((c) => /--from=deps\b.*\/src\/node_modules \.\/node_modules$/.test(c)));
  assert.ok(copies.some((c) => /--from=build\b.*\/src\/dist\/src \.\/dist\/src$/.test(c)));
  assert.ok(!copies.some((c) => /\bsrc\/?\s+\.\/src|tsconfig|test\//.test(c)), 'no sources in the runtime');
});

test('runtime runs as a numeric non-root user with the CLI as entrypoint', () => {
  const runtime = dockerfile.stages.at(-1);
  assert.ok(runtime);
  const users = argsOf(runtime, 'USER');
  const last = users.at(-1);
  assert.ok(last !== undefined, 'USER is set');
  assert.match(last, /^[1-9]\d*(:\d+)?$/, 'numeric uid so runAsNonRoot can verify it');
  assert.deepEqual(argsOf(runtime, 'WORKDIR'), ['/app']);
  const entry = argsOf(runtime, 'ENTRYPOINT').at(-1);
  const cmd = argsOf(runtime, 'CMD').at(-1);
  assert.deepEqual(
    execForm(entry ?? ''),
    ['node', ...OPERATOR_NODE_FLAGS, 'dist/src/cli/main.js'],
    'the Node flags of src/cli/node-flags.ts (the benchmark starts the operator with them too)',
  );
  assert.deepEqual(execForm(cmd ?? ''), ['controller'], '`loadtester` replaces the default command');
  assert.deepEqual(argsOf(runtime, 'EXPOSE'), ['8080']);
});

test('.dockerignore sends only what the Dockerfile copies', () => {
  const lines = readFileSync(join(root, '.dockerignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  assert.equal(lines[0], '*', 'everything is excluded first');
  const included = new Set(lines.filter((l) => l.startsWith('!')).map((l) => l.slice(1).replace(/\/$/, '')));
  const sources = dockerfile.stages
    .flatMap((s) => s.instructions)
    .filter((i) => i.keyword === 'COPY' && !i.args.includes('--from='))
    .flatMap((i) => {
      const parts = i.args.split(/\s+/).filter((p) => !p.startsWith('--'));
      return parts.slice(0, -1).map((p) => p.replace(/^\.\//, '').replace(/\/$/, ''));
    });
  assert.ok(sources.length > 0);
  for (const src of sources) assert.ok(included.has(src), `.dockerignore excludes ${src}, which COPY needs`);
  assert.deepEqual([...included].sort(), [...new Set(sources)].sort(), 'nothing else in the context');
});
