// Differential test of the query template interpreter against Go's own text/template set
// up as Flagger v1.44.0 sets it up (see go-template.ts): for every template, Go's output
// must be ours byte for byte, and where Go fails to parse or execute, we must fail too.
// The templates: one per feature, every query in Flagger 1.44's documentation (read from
// the Go module at test time), and 1,500 generated combinations.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { type QueryModel, QueryRenderError, renderTemplate } from '../../../src/metrics/render.js';
import { flaggerModuleDir } from '../api/flagger-module.js';
import { type GoResult, goRender } from './go-template.js';
import { FEATURE_CASES, generatedCases } from './template-cases.js';

const model: QueryModel = {
  name: 'podinfo',
  namespace: 'test',
  target: 'podinfo-deploy',
  service: 'podinfo-svc',
  ingress: 'podinfo-ing',
  route: 'podinfo-route',
  interval: '1m',
  variables: { region: 'eu-west-1', job: 'api', direction: 'inbound' },
};

function ours(template: string): GoResult {
  try {
    return { out: renderTemplate(template, model) };
  } catch (err) {
    assert.ok(err instanceof QueryRenderError, `not a QueryRenderError: ${String(err)}`);
    return { err: err.message };
  }
}

/** Every mismatch, so one run shows them all. */
function differences(templates: readonly string[]): string[] {
  const go = goRender(templates, model);
  const bad: string[] = [];
  templates.forEach((t, i) => {
    const g = go[i];
    const o = ours(t);
    const same = g?.out !== undefined ? o.out === g.out : o.err !== undefined;
    if (!same) bad.push(`${JSON.stringify(t)}\n  go: ${JSON.stringify(g)}\n  ts: ${JSON.stringify(o)}`);
  });
  return bad;
}

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.md'))
    .map((e) => join(e.parentPath, e.name));
}

type DocObject = {
  kind?: string;
  spec?: { query?: unknown; analysis?: { metrics?: { query?: unknown }[] } };
};

/** The queries one YAML document holds: a MetricTemplate's, or a Canary's inline ones. */
function queriesOf(o: DocObject): string[] {
  if (o.kind === 'MetricTemplate') return typeof o.spec?.query === 'string' ? [o.spec.query] : [];
  if (o.kind !== 'Canary') return [];
  return (o.spec?.analysis?.metrics ?? []).flatMap((m) => (typeof m.query === 'string' ? [m.query] : []));
}

/** MetricTemplate queries and Canary inline metric queries of Flagger's docs. */
async function docsQueries(): Promise<string[]> {
  const dir = join(await flaggerModuleDir(), 'docs', 'gitbook');
  const blocks = markdownFiles(dir).flatMap((f) =>
    [...readFileSync(f, 'utf8').matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] ?? ''),
  );
  return blocks.flatMap((block) =>
    parseAllDocuments(block).flatMap((doc) => {
      try {
        return queriesOf(doc.toJS() as DocObject);
      } catch {
        return []; // a docs block that is not valid YAML (Helm templates)
      }
    }),
  );
}

describe('query templates compared with Go text/template', () => {
  let docs: string[] = [];
  before(async () => {
    docs = await docsQueries();
  });

  it('renders every feature case as Go does', () => {
    assert.deepEqual(differences(FEATURE_CASES), []);
  });

  it('renders every query of Flagger 1.44 docs as Go does', () => {
    // 26 queries; one uses printf (the Graphite example), the rest variables.
    assert.ok(docs.length >= 25, `only ${docs.length} queries found in Flagger's docs`);
    assert.ok(docs.some((q) => q.includes('printf')));
    assert.deepEqual(differences(docs), []);
    // And none of them fails: each is a working Flagger example.
    assert.deepEqual(
      docs.filter((q) => ours(q).err !== undefined),
      [],
    );
  });

  it('renders 1,500 generated templates as Go does', () => {
    const cases = generatedCases(1_500, 20_260_512);
    const bad = differences(cases);
    assert.deepEqual(bad.slice(0, 10), [], `${bad.length} of ${cases.length} differ`);
  });
});
