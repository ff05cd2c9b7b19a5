// One verdict everywhere (issue 10 item 10): thousands of mutated Canary, MetricTemplate and
// AlertProvider documents go through
//   1. the real API server with our CRDs, as `kubectl create --dry-run=server` sends them
//      (YAML 1.1, strict field validation),
//   2. `flagger-ts validate` on the same YAML text (its admission errors: everything but the
//      operator-only checks), and
//   3. the operator's validation of the object the API server would store.
// The API server's verdict must equal validate's admission verdict, and for accepted documents
// the operator's verdict must equal validate's full verdict. Seeded, so a failure reproduces
// (FUZZ_SEED, FUZZ_COUNT override).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse, stringify } from 'yaml';
import { validateAlertProvider, validateCanary, validateMetricTemplate } from '../../../src/api/validate.js';
import { validateText } from '../../../src/cli/validate-command.js';
import { routerProviders } from '../../../src/routers/registry.js';
import { testEnv } from '../../harness/cluster.js';
import { FLAGGER_CRDS, installCrds } from '../../harness/kubectl.js';
import { PODINFO_YAML } from '../../unit/api/fixtures.js';
import { MUTATION_VALUES, mulberry32, mutate } from './fuzz-mutations.js';

const SEED = Number(process.env['FUZZ_SEED'] ?? 20261205);
const COUNT = Number(process.env['FUZZ_COUNT'] ?? 3000);

const BASES: readonly string[] = [
  PODINFO_YAML,
  `apiVersion: flagger.app/v1beta1
kind: Canary
metadata: {name: bg}
spec:
  provider: kubernetes
  targetRef: {apiVersion: apps/v1, kind: Deployment, name: podinfo}
  service: {port: 80, targetPort: 9898, portDiscovery: true}
  skipAnalysis: false
  analysis:
    interval: 30s
    threshold: 2
    iterations: 10
    mirror: true
    mirrorWeight: 50
    primaryReadyThreshold: 100
    sessionAffinity: {cookieName: flagger-cookie, primaryCookieName: primary-cookie, maxAge: 21600}
    metrics:
      - {name: request-success-rate, thresholdRange: {min: 99, max: 100}, interval: 1m}
    webhooks:
      - {name: smoke, type: pre-rollout, url: "http://loadtester.test/", timeout: 15s, retries: 2}
`,
  `apiVersion: flagger.app/v1beta1
kind: Canary
metadata: {name: steps}
spec:
  provider: istio
  targetRef: {apiVersion: apps/v1, kind: DaemonSet, name: podinfo}
  service: {port: 9898, delegation: false, gateways: [public], hosts: [app.example.com]}
  analysis:
    interval: 1m
    threshold: 5
    stepWeights: [1, 5, 10, 50]
    stepWeightPromotion: 20
    match:
      - headers: {x-canary: {exact: insider}}
        port: 8080
`,
  `apiVersion: flagger.app/v1beta1
kind: MetricTemplate
metadata: {name: latency}
spec:
  provider: {type: prometheus, address: "http://prometheus.istio-system:9090", insecureSkipVerify: false}
  query: histogram_quantile(0.99, sum(rate(x[{{ interval }}])) by (le))
`,
  `apiVersion: flagger.app/v1beta1
kind: AlertProvider
metadata: {name: on-call}
spec:
  type: slack
  channel: general
  username: flagger
  secretRef: {name: slack-url}
`,
];

interface Doc {
  readonly name: string;
  readonly kind: string;
  readonly text: string;
}

function generate(namespace: string): Doc[] {
  const rand = mulberry32(SEED);
  const docs: Doc[] = [];
  for (let i = 0; i < COUNT; i++) {
    const base = BASES[i % BASES.length] ?? PODINFO_YAML;
    const obj = parse(base) as Record<string, unknown>;
    const name = `fuzz-${i}`;
    obj['metadata'] = { name, namespace };
    const times = 1 + Math.floor(rand() * 2);
    for (let m = 0; m < times; m++) mutate(obj, rand);
    // YAML 1.2 output: a string such as "yes" is written bare, and kubectl (YAML 1.1) reads a bool.
    docs.push({ name, kind: String(obj['kind']), text: stringify(obj) });
  }
  return docs;
}

/** Runs one batch through the API server; returns the stored objects by name. */
function serverAccepted(kubectl: string, kubeconfig: string, file: string): Map<string, unknown> {
  const res = spawnSync(
    kubectl,
    ['--kubeconfig', kubeconfig, 'create', '--dry-run=server', '-o', 'json', '-f', file],
    {
      encoding: 'utf8',
      maxBuffer: 512 << 20,
    },
  );
  const out = new Map<string, unknown>();
  const text = res.stdout.trim();
  if (text === '') return out;
  // One object, a List, or several objects in a row.
  const values: unknown[] = [];
  try {
    values.push(JSON.parse(text));
  } catch {
    for (const chunk of text.split(/\n(?=\{)/)) values.push(JSON.parse(chunk));
  }
  for (const v of values) {
    const items =
      (v as { kind?: string; items?: unknown[] }).kind === 'List' ? (v as { items: unknown[] }).items : [v];
    for (const item of items) out.set((item as { metadata: { name: string } }).metadata.name, item);
  }
  return out;
}

function operatorVerdict(kind: string, obj: unknown): boolean {
  if (kind === 'Canary')
    return validateCanary(obj, { noCrossNamespaceRefs: false, knownProviders: routerProviders() }).ok;
  if (kind === 'MetricTemplate') return validateMetricTemplate(obj).ok;
  return validateAlertProvider(obj).ok;
}

test('validate, the API server with our CRDs and the operator agree on every mutated document', async (t) => {
  const env = await testEnv(t, 'fuzz-verdict');
  installCrds(env.cluster, FLAGGER_CRDS);
  const docs = generate(env.namespace);
  const dir = mkdtempSync(join(tmpdir(), 'fuzz-verdict-'));
  const disagreements: string[] = [];
  let accepted = 0;
  let operatorRejected = 0;
  const BATCH = 500;
  for (let start = 0; start < docs.length; start += BATCH) {
    const batch = docs.slice(start, start + BATCH);
    const file = join(dir, `batch-${start}.yaml`);
    writeFileSync(file, batch.map((d) => d.text).join('---\n'));
    const stored = serverAccepted(env.cluster.kubectl, env.cluster.kubeconfig, file);
    for (const doc of batch) {
      const report = validateText(doc.name, doc.text)[0];
      assert.ok(report, `no report for ${doc.name}`);
      const admissionErrors = report.errors.filter((e) => e.operatorOnly !== true);
      const server = stored.get(doc.name);
      const serverOk = server !== undefined;
      if (serverOk) accepted++;
      if (serverOk !== (admissionErrors.length === 0)) {
        disagreements.push(
          `${doc.name}: API server ${serverOk ? 'accepted' : 'refused'}, validate ${admissionErrors.length === 0 ? 'accepted' : `refused (${admissionErrors.map((e) => e.message).join('; ')})`}\n${doc.text}`,
        );
        continue;
      }
      if (!serverOk) continue;
      const operatorOk = operatorVerdict(doc.kind, server);
      if (!operatorOk) operatorRejected++;
      if (operatorOk !== (report.status === 'valid')) {
        disagreements.push(
          `${doc.name}: operator ${operatorOk ? 'accepted' : 'refused'} the stored object, validate said ${report.status} (${report.errors.map((e) => e.message).join('; ')})\n${doc.text}`,
        );
      }
    }
  }
  t.diagnostic(
    `${docs.length} documents (seed ${SEED}): ${accepted} accepted by the API server, ${docs.length - accepted} refused; ${operatorRejected} accepted ones refused by the operator only; values: ${MUTATION_VALUES.length}`,
  );
  if (disagreements.length > 0) writeFileSync(join(dir, 'disagreements.txt'), disagreements.join('\n---\n'));
  assert.deepEqual(
    disagreements.slice(0, 8),
    [],
    `${disagreements.length} disagreements (all in ${join(dir, 'disagreements.txt')})`,
  );
  // The fuzz must exercise both sides.
  assert.ok(accepted > docs.length * 0.15 && accepted < docs.length * 0.85, `accepted ${accepted}`);
});
