// Connecting to a cluster: errors a person can act on instead of a TLS message about
// localhost:8080 (client-node's fallback when no kubeconfig exists anywhere).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { connect } from '../../../src/cli/common/kube.js';

describe('connect', () => {
  const home = mkdtempSync(join(tmpdir(), 'flagger-ts-home-'));
  const saved = { HOME: process.env['HOME'], KUBECONFIG: process.env['KUBECONFIG'] };
  after(() => {
    rmSync(home, { recursive: true, force: true });
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) Reflect.deleteProperty(process.env, k);
      else process.env[k] = v;
    }
  });

  it('explains how to configure access when no kubeconfig exists', () => {
    process.env['HOME'] = home;
    Reflect.deleteProperty(process.env, 'KUBECONFIG');
    assert.throws(() => connect({}), /no Kubernetes configuration found: set KUBECONFIG, pass --kubeconfig/);
  });

  it('names the missing context and the ones that exist', () => {
    const file = join(home, 'config');
    writeFileSync(
      file,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters: [{name: c, cluster: {server: "https://127.0.0.1:6443"}}]',
        'users: [{name: u, user: {token: t}}]',
        'contexts: [{name: dev, context: {cluster: c, user: u, namespace: apps}}]',
        'current-context: dev',
      ].join('\n'),
    );
    assert.throws(
      () => connect({ kubeconfig: file, context: 'prod' }),
      /context "prod" not found in kubeconfig; available: dev/,
    );
    const ok = connect({ kubeconfig: file });
    assert.equal(ok.namespace, 'apps', 'the context namespace is the default');
    assert.equal(connect({ kubeconfig: file, namespace: 'web' }).namespace, 'web');
  });
});
