// The operator's process must not load @kubernetes/client-node (≈ 75 MB of RSS for its
// generated models; docs/benchmarks.md): `flagger-ts controller` is started as a real process
// against a fake API server, with a module-resolution hook recording every module it loads,
// until its caches have synced. A runtime import of client-node re-added anywhere in its
// module graph fails this test; a kubeconfig with an exec credential plugin is the one case
// that loads it, which also proves the hook would see it.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { clientNodeModules, moduleTrace, packageModules } from '../../harness/module-trace.js';
import { json, startFakeApiServer, type FakeApiServer } from './fake-apiserver.js';

const CLI = new URL('../../../src/cli/main.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'flagger-ts-no-client-node-'));

function kubeconfig(name: string, server: string, user: string): string {
  const file = join(dir, name);
  writeFileSync(
    file,
    `clusters: [{name: c, cluster: {server: "${server}"}}]\nusers: [{name: u, user: ${user}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n`,
  );
  return file;
}

/** Runs the operator until it has synced its caches; the modules it loaded meanwhile. */
async function operatorModules(file: string): Promise<string[]> {
  const trace = moduleTrace();
  try {
    const args = ['controller', '--kubeconfig', file, '--namespace', 'ns', '--mesh-provider', 'kubernetes'];
    const child = spawn(
      process.execPath,
      [
        ...trace.nodeArgs,
        CLI,
        ...args,
        '--port',
        '0',
        '--listen-address',
        '127.0.0.1',
        '--log-level',
        'info',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...trace.env } },
    );
    const output: string[] = [];
    createInterface({ input: child.stderr }).on('line', (l) => output.push(l));
    const started = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        resolve(false);
      }, 60_000);
      createInterface({ input: child.stdout }).on('line', (line) => {
        output.push(line);
        if (line.includes('flagger-ts controller started')) {
          clearTimeout(timer);
          resolve(true);
        }
      });
      child.once('exit', () => {
        clearTimeout(timer);
        resolve(false);
      });
    });
    child.kill('SIGKILL');
    assert.ok(started, `the operator started and synced: ${output.slice(-5).join('\n')}`);
    return trace.resolved();
  } finally {
    trace.remove();
  }
}

describe('the operator process', () => {
  let api: FakeApiServer;
  before(async () => {
    // Every list is empty; every watch stays open and quiet.
    api = await startFakeApiServer((req, res) => {
      if (req.query.get('watch') === 'true') {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.write('');
        return;
      }
      json(res, 200, { kind: 'List', metadata: { resourceVersion: '1' }, items: [] });
    });
  });
  after(async () => {
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('does not load @kubernetes/client-node', async () => {
    const modules = await operatorModules(kubeconfig('token', api.url, '{token: t}'));
    assert.ok(
      modules.some((u) => u.endsWith('/dist/src/controller/operator.js')),
      'the hook saw the operator being loaded',
    );
    assert.deepEqual(clientNodeModules(modules), []);
    // Nor the metric vendors' SDKs, loaded by their providers on the first query.
    for (const sdk of ['@aws-sdk/client-cloudwatch', 'google-auth-library', 'ws'])
      assert.deepEqual(packageModules(modules, sdk), [], `${sdk} is loaded at start`);
  });

  it('loads it only for a kubeconfig with a credential plugin', async () => {
    const plugin = join(dir, 'plugin.mjs');
    writeFileSync(
      plugin,
      `process.stdout.write(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: 'p' } }));`,
    );
    const exec = `{exec: {apiVersion: client.authentication.k8s.io/v1, command: ${JSON.stringify(process.execPath)}, args: [${JSON.stringify(plugin)}]}}`;
    const modules = await operatorModules(kubeconfig('exec', api.url, exec));
    assert.notDeepEqual(clientNodeModules(modules), [], 'the exec plugin path loads client-node');
    assert.ok(
      api.requests.some((r) => r.headers.authorization === 'Bearer p'),
      "requests carry the plugin's token",
    );
  });
});
