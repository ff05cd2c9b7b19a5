// The user-facing commands against the real cluster and operator: `status` while idle,
// `watch` following a rollout to Succeeded through a Kubernetes watch, `status <name>`
// with the checks the operator recorded, and the binary's exit codes and messages.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { stringify } from 'yaml';
import { runRequest } from '../../../src/cli/request-command.js';
import { runWatch } from '../../../src/cli/watch-command.js';
import { BufferWriter } from '../../../src/cli/common/output.js';
import { setImage, waitForPhase } from '../../harness/canary.js';
import { eventually, localCluster } from '../../harness/cluster.js';
import { podinfoCanary } from '../../harness/fixtures.js';
import { canaryScenario } from '../../harness/scenario.js';

const MAIN = join(process.cwd(), 'dist/src/cli/main.js');
const PLUGIN = join(process.cwd(), 'bin/kubectl-flagger_ts');

function cli(args: string[], env: Record<string, string> = {}): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [MAIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '', ...env },
    timeout: 60_000,
  });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

test('status lists the canary; watch follows it to Succeeded; status <name> shows its checks', async (t) => {
  const s = await canaryScenario(t, 'cli-status');
  const { env } = s;
  const ns = env.namespace;
  await waitForPhase(env, 'Initialized');

  // KUBECONFIG is honoured (no --kubeconfig), through the kubectl plugin script.
  const list = spawnSync(PLUGIN, ['status', '-n', ns], {
    encoding: 'utf8',
    env: { ...process.env, KUBECONFIG: env.cluster.kubeconfig },
  });
  assert.equal(list.status, 0, list.stderr);
  assert.match(list.stdout, /^NAME\s+PHASE\s+WEIGHT\s+FAILED CHECKS\s+LAST TRANSITION\n/);
  assert.match(list.stdout, /\npodinfo\s+Initialized\s+0\s+0\/2\s+\d+s ago\n/);
  assert.ok(!list.stdout.includes('\u001b['), 'no colour when not writing to a terminal');

  await setImage(env, 'ghcr.io/stefanprodan/podinfo:6.0.1');
  const w = new BufferWriter();
  const end = await runWatch(
    'podinfo',
    { kubeconfig: env.cluster.kubeconfig, namespace: ns, timeout: '3m' },
    w,
  );
  assert.equal(end, 'Succeeded');
  for (const weight of [10, 20, 30, 40, 50]) {
    assert.match(w.text, new RegExp(`Progressing\\s+\\[[#-]+\\] ${weight}% of 50%`), w.text);
  }
  assert.match(w.text, /✓ request-success-rate 100 \(>= 99\)/);
  assert.match(w.text, /✓ request-duration \d+ \(<= 500\)/);
  // Promoted: the bar is full, not back at the canary's weight 0 (issue 10 item 15).
  assert.match(w.text, /Succeeded\s+\[#+\] 100% promoted/);

  const detail = cli(['status', 'podinfo', '-n', ns, '--kubeconfig', env.cluster.kubeconfig, '-o', 'json']);
  assert.equal(detail.code, 0, detail.err);
  const view = JSON.parse(detail.out) as {
    phase: string;
    checks: { name: string; query?: string; passed: boolean }[];
  };
  assert.equal(view.phase, 'Succeeded');
  assert.ok(
    view.checks.some(
      (c) => c.name === 'request-success-rate' && c.passed && /istio_requests_total/.test(c.query ?? ''),
    ),
  );
  const table = cli(['status', 'podinfo', '-n', ns, '--kubeconfig', env.cluster.kubeconfig]);
  assert.match(table.out, /Recent checks \(last 10\):\n\s+TIME\s+CHECK\s+KIND\s+VALUE\s+THRESHOLD\s+VERDICT/);

  // Started on a finished canary, watch follows the NEXT run instead of reporting the last
  // one (issue 10 item 15); an abort of that run is labelled, and the reason printed.
  const w2 = new BufferWriter();
  let settled = false;
  const next = runWatch(
    'podinfo',
    { kubeconfig: env.cluster.kubeconfig, namespace: ns, timeout: '3m' },
    w2,
  ).finally(() => {
    settled = true;
  });
  await eventually('the watch says it follows the next run', () =>
    /Succeeded already; following the next run/.test(w2.text) ? true : undefined,
  );
  assert.equal(settled, false, `watch ended before the next run: ${w2.text}`);
  await setImage(env, 'ghcr.io/stefanprodan/podinfo:6.0.2');
  await waitForPhase(env, 'Progressing');
  await runRequest(
    'abort',
    'podinfo',
    { kubeconfig: env.cluster.kubeconfig, namespace: ns, timeout: '30s' },
    new BufferWriter(),
  );
  assert.equal(await next, 'Failed');
  assert.match(w2.text, /Progressing\s+\[/);
  assert.match(w2.text, /aborted manually by \S+ \(flagger-ts abort\)/);
  assert.match(w2.text, /reason: Rolling back podinfo\.\S+: aborted by a user/);
});

test('actionable errors and exit codes', async () => {
  const cluster = await localCluster();
  const missing = cli(['status', 'podinfo', '-n', 'no-such-ns', '--kubeconfig', cluster.kubeconfig]);
  assert.equal(missing.code, 1);
  assert.equal(
    missing.err.trim(),
    'flagger-ts: canary podinfo not found in namespace no-such-ns (list canaries with: flagger-ts status -n no-such-ns, or -A)',
  );
  const ctx = cli(['status', '--kubeconfig', cluster.kubeconfig, '--context', 'nope']);
  assert.equal(ctx.code, 1);
  assert.match(ctx.err, /context "nope" not found in kubeconfig; available: /);
  const promote = cli(['promote', 'podinfo', '-n', 'no-such-ns', '--kubeconfig', cluster.kubeconfig]);
  assert.equal(promote.code, 1);
  assert.match(promote.err, /canary podinfo not found in namespace no-such-ns/);
  const all = cli(['status', '-A', '--kubeconfig', cluster.kubeconfig, '-o', 'yaml']);
  assert.equal(all.code, 0, all.err);
});

test('validate and simulate on files (offline, exit codes and figures)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cli-files-'));
  const good = join(dir, 'good.yaml');
  const bad = join(dir, 'bad.yaml');
  writeFileSync(good, stringify(podinfoCanary('test')));
  const broken = podinfoCanary('test');
  (broken['spec'] as { analysis: Record<string, unknown> }).analysis['interval'] = 'soon';
  writeFileSync(
    bad,
    `${stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'x' } })}---\n${stringify(broken)}`,
  );
  const ok = cli(['validate', good]);
  assert.equal(ok.code, 0, ok.out + ok.err);
  assert.match(ok.out, /✓ .*good\.yaml: document 1 \(Canary podinfo\): valid\n1 checked, 0 invalid/);
  const ko = cli(['validate', good, bad]);
  assert.equal(ko.code, 1);
  assert.match(ko.out, /✗ .*bad\.yaml: document 2 \(Canary podinfo\): spec\.analysis\.interval: /);

  const sim = cli(['simulate', good]);
  assert.equal(sim.code, 0, sim.err);
  assert.match(sim.out, /#9\s+t\+1m20s\s+Succeeded/);
  assert.match(sim.out, /Completion: earliest 1m20s \(every check passes, every gate open\); latest 1m30s/);
  assert.match(
    sim.out,
    /Exposure:\s+this run peak 50%, weight×time 33\.3 %·min; maximum peak 50%, weight×time 41\.7 %·min/,
  );
  const failing = cli(['simulate', good, '--fail-at', '3', '-o', 'json']);
  const data = JSON.parse(failing.out) as {
    outcome: { outcome: string; durationMs: number; peakWeight: number };
  };
  assert.deepEqual(data.outcome, {
    outcome: 'Failed',
    finished: true,
    durationMs: 40_000,
    peakWeight: 10,
    exposurePercentMs: 300_000,
  });
});
