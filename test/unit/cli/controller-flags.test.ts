// `flagger-ts controller` takes Flagger's command line as Flagger's own chart writes it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { controllerConfig, type ControllerFlags } from '../../../src/cli/controller-command.js';
import { FLAGGER_FLAGS, normalizeFlaggerArgs } from '../../../src/cli/flagger-flags.js';
import { routerProviders } from '../../../src/routers/registry.js';
import { flaggerModuleDir } from '../api/flagger-module.js';

const CLI = join(process.cwd(), 'dist/src/cli/main.js');

describe("Flagger's flags", () => {
  it('every flag of cmd/flagger/main.go and of the chart is known (acted on or ignored)', async () => {
    const dir = await flaggerModuleDir();
    const main = readFileSync(join(dir, 'cmd/flagger/main.go'), 'utf8');
    const declared = [...main.matchAll(/flag\.\w+Var\(&\w+, "([\w-]+)"/g)].map((m) => m[1] ?? '');
    assert.ok(declared.length >= 30, `found only ${String(declared.length)} flags in main.go`);
    const chart = readFileSync(join(dir, 'charts/flagger/templates/deployment.yaml'), 'utf8');
    const used = [...chart.matchAll(/^\s*- -([a-z][\w-]*)=/gm)].map((m) => m[1] ?? '');
    assert.ok(used.length >= 20);
    const unknown = [...declared, ...used].filter((f) => !(f in FLAGGER_FLAGS));
    assert.deepEqual(unknown, []);
  });

  it("normalizes Go's spellings and reports ignored flags", () => {
    const n = normalizeFlaggerArgs([
      '-mesh-provider=istio',
      '-log-level',
      'warning',
      '-enable-config-tracking=false',
      '-enable-leader-election=true',
      '-no-cross-namespace-refs=false',
      '-kubeconfig-qps=50',
      '-kubeconfig-burst',
      '100',
      '-control-loop-interval=5s',
      '-zap-replace-globals',
      '-v=2',
      '-logtostderr',
      '-ingress-class=nginx',
      '--ingress-annotations-prefix',
      'custom.ingress.kubernetes.io',
      '-min-analysis-interval=1s',
    ]);
    assert.deepEqual(n.args, [
      '--mesh-provider=istio',
      '--log-level=warning',
      '--enable-config-tracking=false',
      '--enable-leader-election',
      '--ingress-class=nginx',
      '--ingress-annotations-prefix=custom.ingress.kubernetes.io',
      '--min-analysis-interval=1s',
    ]);
    assert.deepEqual(
      n.ignored.map((s) => s.split(' ')[0]),
      [
        '-kubeconfig-qps=50',
        '-kubeconfig-burst=100',
        '-control-loop-interval=5s',
        '-zap-replace-globals',
        '-v=2',
        '-logtostderr',
      ],
    );
    assert.ok(
      n.ignored.every((s) => / \(.+\)$/.test(s)),
      'each ignored flag says why',
    );
    assert.throws(() => normalizeFlaggerArgs(['-enable-leader-election=maybe']), /invalid boolean/);
  });

  it('maps levels, ingress flags and rejects a provider this build does not route', () => {
    const flags: ControllerFlags = {
      logLevel: 'warning',
      ingressClass: 'nginx',
      ingressAnnotationsPrefix: 'custom.ingress.kubernetes.io',
      meshProvider: 'kubernetes',
    };
    const c = controllerConfig(flags, {});
    assert.equal(c.logLevel, 'warn');
    assert.equal(c.ingressClass, 'nginx');
    assert.equal(c.ingressAnnotationsPrefix, 'custom.ingress.kubernetes.io');
    assert.equal(controllerConfig({}, {}).ingressAnnotationsPrefix, 'nginx.ingress.kubernetes.io');
    assert.throws(
      () => controllerConfig({ meshProvider: 'no-such-mesh' }, {}),
      (err: Error) => err.message.includes(routerProviders().join(', ')),
    );
  });
});

describe('controller start-up failures are one clear line', () => {
  const run = (args: string[], env: NodeJS.ProcessEnv) =>
    spawnSync(process.execPath, [CLI, 'controller', ...args], { env, encoding: 'utf8', timeout: 20_000 });

  it('without any kubeconfig it says what is missing instead of looping', () => {
    const home = mkdtempSync(join(tmpdir(), 'no-kube-'));
    const res = run(['-mesh-provider=kubernetes'], { PATH: process.env['PATH'], HOME: home });
    assert.equal(res.status, 1, res.stderr);
    assert.match(res.stderr, /no Kubernetes configuration found: set KUBECONFIG, pass --kubeconfig/);
  });

  it('an unsupported -mesh-provider fails with the supported list', () => {
    const res = run(['-mesh-provider=consul'], { PATH: process.env['PATH'] });
    assert.equal(res.status, 1);
    assert.match(res.stderr, /unsupported --mesh-provider "consul"; this build routes: .*istio/);
  });

  it('-version prints the version', () => {
    const res = run(['-version'], { PATH: process.env['PATH'] });
    assert.equal(res.status, 0);
    assert.match(res.stdout, /^flagger-ts version \d+\.\d+\.\d+/);
  });
});
