// The image without Docker (there is no container engine here): hadolint checks the
// Dockerfile, then the runtime stage's filesystem is assembled the way the Dockerfile
// does it (production-only `npm ci` from the lock file + the compiled dist/src) and the
// CLI is started from it as uid 1000 with the WHOLE filesystem mounted read-only (a
// private mount namespace), which is stricter than readOnlyRootFilesystem with /tmp.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { testEnv } from '../../harness/cluster.js';
import { FLAGGER_CRDS, installCrds, kubectl } from '../../harness/kubectl.js';
import { startCli } from './cli-process.js';
import { hadolintBin, repoRoot, run } from './tools.js';

const UID = 1000;
/** Runs argv as uid/gid 1000 with every mount read-only, in its own mount namespace. */
const SANDBOX = [
  'unshare',
  '--mount',
  '--',
  'sh',
  '-c',
  `mount --make-rprivate / && mount -o remount,ro,bind / && exec setpriv --reuid=${UID} --regid=${UID} --clear-groups -- "$@"`,
  'sandbox',
];

let appDir = '';

before(() => {
  const base = mkdtempSync(join(tmpdir(), 'flagger-ts-rootfs-'));
  chmodSync(base, 0o755);
  appDir = join(base, 'app');
  // deps stage: production dependencies only, from the lock file.
  for (const f of ['package.json', 'package-lock.json']) cpSync(join(repoRoot, f), join(appDir, f));
  const npm = spawnSync(
    'npm',
    [
      'ci',
      '--omit=dev',
      '--ignore-scripts',
      '--no-audit',
      '--no-fund',
      '--prefer-offline',
      '--loglevel=error',
    ],
    { cwd: appDir, encoding: 'utf8', timeout: 300_000 },
  );
  if (npm.status !== 0) throw new Error(`npm ci --omit=dev: ${npm.stderr}`);
  // build stage output: the compiled CLI (scripts/setup.sh built it with the same tsconfig).
  cpSync(join(repoRoot, 'dist/src'), join(appDir, 'dist/src'), { recursive: true });
  process.on('exit', () => {
    rmSync(base, { recursive: true, force: true });
  });
});

test('hadolint finds nothing in the Dockerfile', () => {
  const res = run(hadolintBin(), ['--no-color', 'Dockerfile']);
  assert.equal(res.status, 0, res.stdout + res.stderr);
});

test('runtime filesystem: no dev dependencies, no sources', () => {
  // (@types/node does come along: @kubernetes/client-node lists it as a dependency.)
  for (const dev of ['typescript', 'eslint', 'prettier', 'typescript-eslint'])
    assert.ok(!existsSync(join(appDir, 'node_modules', dev)), `${dev} must not be in the image`);
  for (const dep of ['@kubernetes/client-node', 'commander', 'pino', 'zod'])
    assert.ok(existsSync(join(appDir, 'node_modules', dep)), `${dep} is needed at run time`);
  assert.ok(!existsSync(join(appDir, 'src')) && !existsSync(join(appDir, 'dist/test')));
});

test('read-only filesystem, uid 1000: --version, then the load tester answers /healthz', async (t) => {
  const version = spawnSync(
    SANDBOX[0] ?? 'unshare',
    [...SANDBOX.slice(1), process.execPath, 'dist/src/cli/main.js', '--version'],
    {
      cwd: appDir,
      encoding: 'utf8',
    },
  );
  assert.equal(version.status, 0, version.stderr);
  assert.equal(version.stdout.trim(), '0.1.0');
  // The sandbox really is read-only and unprivileged.
  const write = spawnSync(SANDBOX[0] ?? 'unshare', [...SANDBOX.slice(1), 'sh', '-c', 'id -u; touch /tmp/x'], {
    encoding: 'utf8',
  });
  assert.equal(write.stdout.trim(), String(UID));
  assert.notEqual(write.status, 0, 'writes fail in the sandbox');
  assert.match(write.stderr, /Read-only file system/);

  const lt = startCli(t, ['loadtester', '-port=0', '-listen-address=127.0.0.1', '-log-level=info'], {
    cwd: appDir,
    wrapper: SANDBOX,
    startedMessage: /listening/,
  });
  const port = await lt.port();
  const res = await fetch(`http://127.0.0.1:${port}/healthz`);
  assert.equal(res.status, 200);
  await res.arrayBuffer();
  assert.equal(await lt.stop(), 0, 'clean shutdown on SIGTERM');
});

test('read-only filesystem, uid 1000: the controller syncs its caches and reports ready', async (t) => {
  const env = await testEnv(t, 'pkg-image');
  installCrds(env.cluster, FLAGGER_CRDS);
  // A self-contained kubeconfig the unprivileged user can read (the cluster's refers
  // to certificate files under root's home).
  const kubeconfig = join(appDir, '..', `kubeconfig-${env.namespace}`);
  writeFileSync(kubeconfig, kubectl(env.cluster, ['config', 'view', '--raw', '--flatten']), { mode: 0o600 });
  chownSync(kubeconfig, UID, UID);
  t.after(() => {
    rmSync(kubeconfig, { force: true });
  });
  const op = startCli(
    t,
    [
      'controller',
      `--kubeconfig=${kubeconfig}`,
      `--namespace=${env.namespace}`,
      `--metrics-server=${env.cluster.prometheusUrl}`,
      '--port=0',
      '--listen-address=127.0.0.1',
    ],
    { cwd: appDir, wrapper: SANDBOX, startedMessage: /controller started/ },
  );
  const port = await op.port();
  const deadline = Date.now() + 30_000;
  let status = 0;
  while (Date.now() < deadline) {
    const res = await fetch(`http://127.0.0.1:${port}/readyz`);
    await res.arrayBuffer();
    status = res.status;
    if (status === 200) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  assert.equal(status, 200, '/readyz');
  assert.ok(
    !op.lines.some((l) => /EROFS|EACCES|read-only/i.test(l)),
    'nothing tried to write to the filesystem',
  );
  assert.equal(await op.stop(), 0, 'clean shutdown on SIGTERM');
});
