// The operator's own kubeconfig loader (no client-node): the data and file forms of CA,
// client certificate/key and token, contexts, KUBECONFIG with several files, the in-cluster
// ServiceAccount, and the order in which the places are tried.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { KubeConfig } from '@kubernetes/client-node';
import {
  currentConfig,
  kubeConfigFromDocument,
  mergeKubeConfigs,
  normalizeKubeConfig,
  withContext,
  withServer,
} from '../../../src/kube/kubeconfig.js';
import {
  inClusterKubeConfig,
  loadKubeConfig,
  loadKubeConfigFile,
  NoKubeConfigError,
} from '../../../src/kube/kubeconfig-load.js';

const dir = mkdtempSync(join(tmpdir(), 'flagger-ts-kubeconfig-'));
after(() => {
  rmSync(dir, { recursive: true, force: true });
});

function file(name: string, text: string): string {
  const path = join(dir, name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  return path;
}

const KUBECONFIG = `
apiVersion: v1
kind: Config
clusters:
  - name: data
    cluster:
      server: https://10.0.0.1:6443/
      certificate-authority-data: Q0EgREFUQQ==
      tls-server-name: kubernetes
  - name: files
    cluster:
      server: https://files.example:6443
      certificate-authority: pki/ca.crt
      insecure-skip-tls-verify: true
      proxy-url: http://proxy.example:3128
users:
  - name: certs-data
    user:
      client-certificate-data: Q0VSVA==
      client-key-data: S0VZ
  - name: certs-files
    user:
      client-certificate: pki/admin.crt
      client-key: /abs/admin.key
  - name: token
    user:
      token: s3cret-token
  - name: token-file
    user:
      tokenFile: token
  - name: basic
    user:
      username: admin
      password: pw
      as: someone
contexts:
  - name: a
    context: { cluster: data, user: certs-data, namespace: apps }
  - name: b
    context: { cluster: files, user: certs-files }
  - name: anonymous
    context: { cluster: data }
current-context: a
`;

describe('kubeconfig parsing', () => {
  const path = file('cfg/config', KUBECONFIG);
  const kc = loadKubeConfigFile(path);

  it('reads clusters with data and file forms; relative files are relative to the kubeconfig', () => {
    assert.deepEqual(kc.clusters[0], {
      name: 'data',
      server: 'https://10.0.0.1:6443',
      caData: 'Q0EgREFUQQ==',
      caFile: undefined,
      skipTLSVerify: false,
      tlsServerName: 'kubernetes',
      proxyUrl: undefined,
    });
    const files = kc.clusters[1];
    assert.ok(files);
    assert.equal(files.caFile, join(dir, 'cfg', 'pki', 'ca.crt'));
    assert.equal(files.skipTLSVerify, true);
    assert.equal(files.proxyUrl, 'http://proxy.example:3128');
  });

  it('reads users: certificate data or files, token, token file, basic auth, impersonation', () => {
    const user = (name: string) => kc.users.find((u) => u.name === name);
    assert.equal(user('certs-data')?.certData, 'Q0VSVA==');
    assert.equal(user('certs-data')?.keyData, 'S0VZ');
    assert.equal(user('certs-files')?.certFile, join(dir, 'cfg', 'pki', 'admin.crt'));
    assert.equal(user('certs-files')?.keyFile, '/abs/admin.key');
    assert.equal(user('token')?.token, 's3cret-token');
    assert.equal(user('token-file')?.tokenFile, join(dir, 'cfg', 'token'));
    assert.equal(user('basic')?.username, 'admin');
    assert.equal(user('basic')?.impersonateUser, 'someone');
  });

  it('resolves the current context, its namespace, and another context on request', () => {
    const a = currentConfig(kc);
    assert.equal(a.cluster.name, 'data');
    assert.equal(a.user.name, 'certs-data');
    assert.equal(a.namespace, 'apps');
    const b = currentConfig(withContext(kc, 'b'));
    assert.equal(b.cluster.name, 'files');
    assert.equal(b.namespace, 'default', 'no namespace in the context: default');
    const anonymous = currentConfig(withContext(kc, 'anonymous'));
    assert.equal(anonymous.user.token, undefined, 'a context without a user is anonymous');
    assert.throws(
      () => withContext(kc, 'prod'),
      /context "prod" not found in kubeconfig; available: a, b, anonymous/,
    );
  });

  it('replaces the current cluster server for -master, and only that one', () => {
    const moved = withServer(kc, 'https://elsewhere:443/');
    assert.equal(currentConfig(moved).cluster.server, 'https://elsewhere:443');
    assert.equal(moved.clusters[1]?.server, 'https://files.example:6443');
  });

  it('names what is missing, and never the credentials', () => {
    assert.throws(
      () => kubeConfigFromDocument({ clusters: [{ name: 'x', cluster: {} }] }),
      /clusters\[0\]\.cluster\.server is missing/,
    );
    assert.throws(
      () => kubeConfigFromDocument({ users: [{ user: { token: 'hush' } }] }),
      (err: Error) => {
        assert.match(err.message, /users\[0\]\.name is missing/);
        assert.doesNotMatch(err.message, /hush/);
        return true;
      },
    );
    const noContext = kubeConfigFromDocument({ clusters: [{ name: 'c', cluster: { server: 'https://x' } }] });
    assert.throws(() => currentConfig(noContext), /the kubeconfig has no current context/);
    const broken = file('broken', 'users: [{name: u, user: {token: "hush"}}]\nclusters: {{{');
    assert.throws(
      () => loadKubeConfigFile(broken),
      (err: Error) => {
        assert.match(err.message, /is not valid YAML \(line 2\)/);
        assert.doesNotMatch(err.message, /hush/);
        return true;
      },
    );
  });

  it('reads a client-node KubeConfig the same way (nulls, the in-cluster tokenFile provider)', () => {
    const cn = new KubeConfig();
    cn.loadFromFile(path);
    const ours = normalizeKubeConfig(cn);
    assert.deepEqual(ours.clusters, normalizeKubeConfig(kc).clusters);
    assert.equal(ours.users.find((u) => u.name === 'token')?.token, 's3cret-token');
    assert.equal(ours.users.find((u) => u.name === 'certs-data')?.exec, undefined, 'null is absent');
    const inCluster = new KubeConfig();
    inCluster.loadFromOptions({
      clusters: [{ name: 'c', server: 'https://k:443', skipTLSVerify: false }],
      users: [{ name: 'u', authProvider: { name: 'tokenFile', config: { tokenFile: '/sa/token' } } }],
      contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
      currentContext: 'x',
    });
    const user = currentConfig(normalizeKubeConfig(inCluster)).user;
    assert.equal(user.tokenFile, '/sa/token');
    assert.equal(user.authProvider, undefined, 'a token file is not a credential plugin');
  });
});

describe('KUBECONFIG with several files', () => {
  const one = file(
    'merge/one',
    `clusters: [{name: c, cluster: {server: "https://one"}}]
users: [{name: u, user: {token: one}}]
contexts: [{name: x, context: {cluster: c, user: u}}]`,
  );
  const two = file(
    'merge/two',
    `clusters: [{name: c, cluster: {server: "https://two"}}, {name: d, cluster: {server: "https://d"}}]
users: [{name: v, user: {token: two}}]
contexts: [{name: y, context: {cluster: d, user: v}}]
current-context: y`,
  );
  const three = file('merge/three', 'current-context: x');

  it('merges as kubectl does: the first current-context and the first of each name win', () => {
    const kc = mergeKubeConfigs([
      loadKubeConfigFile(one),
      loadKubeConfigFile(two),
      loadKubeConfigFile(three),
    ]);
    assert.equal(kc.currentContext, 'y', 'one sets none; two is the first that does');
    assert.equal(kc.clusters.find((c) => c.name === 'c')?.server, 'https://one');
    assert.deepEqual(
      kc.users.map((u) => u.name),
      ['u', 'v'],
    );
    assert.equal(currentConfig(kc).cluster.server, 'https://d');
  });

  it('skips paths that do not exist, and fails when none does', () => {
    const env = { KUBECONFIG: [join(dir, 'missing'), '', one, two].join(delimiter) };
    assert.equal(loadKubeConfig(undefined, { env }).currentContext, 'y');
    assert.throws(
      () => loadKubeConfig(undefined, { env: { KUBECONFIG: join(dir, 'missing') } }),
      /KUBECONFIG names no existing file/,
    );
  });
});

describe('where the kubeconfig comes from', () => {
  const home = join(dir, 'home');
  file(
    'home/.kube/config',
    'clusters: [{name: h, cluster: {server: "https://home"}}]\ncontexts: [{name: h, context: {cluster: h}}]\ncurrent-context: h',
  );
  const explicit = file(
    'explicit',
    'clusters: [{name: e, cluster: {server: "https://explicit"}}]\ncontexts: [{name: e, context: {cluster: e}}]\ncurrent-context: e',
  );
  const sa = join(dir, 'sa');
  file('sa/token', 'sa-token');
  file('sa/ca.crt', 'CA');
  file('sa/namespace', 'flagger-system\n');
  const server = (kc: ReturnType<typeof loadKubeConfig>): string => currentConfig(kc).cluster.server;
  const cluster = { KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443' };

  it('an explicit file first, then KUBECONFIG, then ~/.kube/config, then in-cluster', () => {
    const all = { KUBECONFIG: explicit, HOME: home, ...cluster };
    assert.equal(
      server(loadKubeConfig(explicit, { env: { HOME: home }, serviceAccountDir: sa })),
      'https://explicit',
    );
    assert.equal(server(loadKubeConfig(undefined, { env: all, serviceAccountDir: sa })), 'https://explicit');
    assert.equal(
      server(loadKubeConfig(undefined, { env: { HOME: home, ...cluster }, serviceAccountDir: sa })),
      'https://home',
    );
    assert.equal(
      server(
        loadKubeConfig(undefined, { env: { HOME: join(dir, 'nobody'), ...cluster }, serviceAccountDir: sa }),
      ),
      'https://10.96.0.1:443',
    );
  });

  it('with nothing anywhere, says what to set instead of trying localhost:8080', () => {
    assert.throws(
      () =>
        loadKubeConfig(undefined, {
          env: { HOME: join(dir, 'nobody') },
          serviceAccountDir: join(dir, 'none'),
        }),
      (err: Error) =>
        err instanceof NoKubeConfigError && /set KUBECONFIG, pass --kubeconfig/.test(err.message),
    );
  });

  it('in-cluster: the service address, the CA and token files, the namespace', () => {
    const c = currentConfig(inClusterKubeConfig({ env: cluster, serviceAccountDir: sa }));
    assert.equal(c.cluster.server, 'https://10.96.0.1:443');
    assert.equal(c.cluster.caFile, join(sa, 'ca.crt'));
    assert.equal(c.user.tokenFile, join(sa, 'token'), 'the file, re-read as it rotates, not its content');
    assert.equal(c.user.token, undefined);
    assert.equal(c.namespace, 'flagger-system');
    const v6 = inClusterKubeConfig({
      env: { KUBERNETES_SERVICE_HOST: 'fd00::1', KUBERNETES_SERVICE_PORT: '8080' },
      serviceAccountDir: sa,
    });
    assert.equal(currentConfig(v6).cluster.server, 'http://[fd00::1]:8080');
    assert.throws(() => inClusterKubeConfig({ env: {}, serviceAccountDir: sa }), /KUBERNETES_SERVICE_HOST/);
  });
});
