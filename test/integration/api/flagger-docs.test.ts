// Flagger 1.44's own documentation as a compatibility suite (issue 10 item 3): every Canary,
// MetricTemplate and AlertProvider YAML block of docs/ in the github.com/fluxcd/flagger@v1.44.0
// Go module (read at test time, never committed) must be accepted by our CRDs exactly when
// Flagger's CRDs (artifacts/flagger/crd.yaml of the same module) accept it.
//
// Design: both verdicts come from the same real API server, side by side. Flagger's CRDs are
// installed under a renamed group (upstream.flagger-ts.test), so they coexist with ours
// (flagger.app) without touching what other tests use; each block is then created with
// `--dry-run=server` twice, once per group, in this test's namespace. A dry run stores nothing,
// so the renamed CRDs stay empty and are safe to share between concurrent test files.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseAllDocuments, stringify } from 'yaml';
import type { ClusterState } from '../../../hack/cluster/state.js';
import { testEnv } from '../../harness/cluster.js';
import { FLAGGER_CRDS, installCrds, kubectl, waitEstablished } from '../../harness/kubectl.js';
import { flaggerModuleDir } from '../../unit/api/flagger-module.js';

const UPSTREAM_GROUP = 'upstream.flagger-ts.test';
const KINDS = new Set(['Canary', 'MetricTemplate', 'AlertProvider']);

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? markdownFiles(join(dir, e.name)) : e.name.endsWith('.md') ? [join(dir, e.name)] : [],
  );
}

/** The flagger.app documents of every ```yaml block, read as kubectl reads YAML (1.1). */
function docBlocks(moduleDir: string): { where: string; obj: Obj }[] {
  const out: { where: string; obj: Obj }[] = [];
  for (const file of markdownFiles(join(moduleDir, 'docs'))) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/```ya?ml\n([\s\S]*?)```/g)) {
      for (const doc of parseAllDocuments(m[1] ?? '', { version: '1.1' })) {
        if (doc.errors.length > 0) continue;
        const obj: unknown = doc.toJS();
        if (!isObj(obj) || !KINDS.has(String(obj['kind'])) || obj['apiVersion'] !== 'flagger.app/v1beta1')
          continue;
        out.push({ where: file.slice(moduleDir.length + 1), obj });
      }
    }
  }
  return out;
}

/** Flagger's CRDs with the group renamed, applied once (server-side apply is idempotent). */
function installUpstreamCrds(cluster: ClusterState, moduleDir: string): void {
  // Read by kubectl itself (Go's YAML): Flagger's file has plain scalars other parsers split.
  const file = join(moduleDir, 'artifacts/flagger/crd.yaml');
  const json = kubectl(cluster, ['create', '--dry-run=client', '-o', 'json', '-f', file]);
  const docs = json
    .trim()
    .split(/\n(?=\{)/)
    .map((chunk) => JSON.parse(chunk) as unknown)
    .filter(isObj);
  const renamed = docs.map((crd) => {
    const spec = crd['spec'] as Obj;
    const names = spec['names'] as Obj;
    return {
      ...crd,
      metadata: { name: `${String(names['plural'])}.${UPSTREAM_GROUP}` },
      spec: { ...spec, group: UPSTREAM_GROUP },
    };
  });
  // JSON, so Flagger's long descriptions cannot be re-wrapped into something else.
  const text = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: renamed });
  kubectl(cluster, ['apply', '--server-side', '--force-conflicts', '-f', '-'], text);
  waitEstablished(
    cluster,
    renamed.map((c) => `crd/${c.metadata.name}`),
  );
}

/** Names of the documents the API server accepts (dry run). */
function accepted(cluster: ClusterState, file: string): Set<string> {
  const res = spawnSync(
    cluster.kubectl,
    ['--kubeconfig', cluster.kubeconfig, 'create', '--dry-run=server', '-o', 'name', '-f', file],
    {
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    },
  );
  return new Set(
    res.stdout
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => l.split('/').pop() ?? ''),
  );
}

test("our CRDs accept exactly the documentation blocks Flagger's CRDs accept", async (t) => {
  const env = await testEnv(t, 'flagger-docs');
  const moduleDir = await flaggerModuleDir();
  installCrds(env.cluster, FLAGGER_CRDS);
  installUpstreamCrds(env.cluster, moduleDir);
  const blocks = docBlocks(moduleDir);
  assert.ok(blocks.length >= 50, `only ${blocks.length} flagger.app blocks found in the docs`);
  const dir = mkdtempSync(join(tmpdir(), 'flagger-docs-'));
  const write = (group: string): string => {
    const file = join(dir, `${group}.yaml`);
    const docs = blocks.map(({ obj }, i) => ({
      ...obj,
      apiVersion: `${group}/v1beta1`,
      metadata: {
        ...(isObj(obj['metadata']) ? obj['metadata'] : {}),
        name: `doc-${i}`,
        namespace: env.namespace,
      },
    }));
    writeFileSync(file, docs.map((d) => stringify(d, { version: '1.1' })).join('---\n'));
    return file;
  };
  const ours = accepted(env.cluster, write('flagger.app'));
  const theirs = accepted(env.cluster, write(UPSTREAM_GROUP));
  const differ = blocks
    .map((b, i) => ({ ...b, name: `doc-${i}` }))
    .filter((b) => ours.has(b.name) !== theirs.has(b.name))
    .map(
      (b) =>
        `${b.name} (${b.where}, ${String(b.obj['kind'])}): Flagger ${theirs.has(b.name) ? 'accepts' : 'refuses'}, flagger-ts ${ours.has(b.name) ? 'accepts' : 'refuses'}`,
    );
  t.diagnostic(`${blocks.length} blocks; Flagger's CRDs accept ${theirs.size}, ours ${ours.size}`);
  assert.deepEqual(differ, []);
  assert.ok(
    theirs.size >= 30,
    `Flagger's CRDs accepted only ${theirs.size}: the comparison would say little`,
  );
});
