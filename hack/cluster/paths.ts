// Where the local control plane keeps its binaries (a cache keyed by version,
// outside the repo) and its runtime state (certificates, data, logs, PIDs).
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** hack/cluster in the source tree, whether we run from src or from dist. */
export const clusterSourceDir: string = (() => {
  const here = dirname(fileURLToPath(import.meta.url));
  return here.includes(join('dist', 'hack')) ? resolve(here, '../../../hack/cluster') : here;
})();

export interface Versions {
  readonly k8s: string;
  readonly etcd: string;
  readonly kwok: string;
}

/** versions.sh is the single place versions are pinned; build.sh sources it too. */
export function readVersions(): Versions {
  const text = readFileSync(join(clusterSourceDir, 'versions.sh'), 'utf8');
  const pick = (key: string): string => {
    const m = new RegExp(`^${key}=(\\S+)`, 'm').exec(text);
    if (!m?.[1]) throw new Error(`versions.sh: ${key} is not set`);
    return m[1];
  };
  return { k8s: pick('K8S_VERSION'), etcd: pick('ETCD_VERSION'), kwok: pick('KWOK_VERSION') };
}

export function cacheRoot(): string {
  const xdg = process.env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache');
  return process.env['FLAGGER_TS_CACHE'] ?? join(xdg, 'flagger-ts');
}

export interface BinPaths {
  readonly kubeApiserver: string;
  readonly kubeControllerManager: string;
  readonly kubeScheduler: string;
  readonly kubectl: string;
  readonly etcd: string;
  readonly kwok: string;
  readonly kwokDir: string;
}

export function binPaths(v: Versions = readVersions()): BinPaths {
  const bin = join(cacheRoot(), 'bin');
  const k8s = join(bin, `k8s-${v.k8s}`);
  const kwokDir = join(bin, `kwok-${v.kwok}`);
  return {
    kubeApiserver: join(k8s, 'kube-apiserver'),
    kubeControllerManager: join(k8s, 'kube-controller-manager'),
    kubeScheduler: join(k8s, 'kube-scheduler'),
    kubectl: join(k8s, 'kubectl'),
    etcd: join(bin, `etcd-${v.etcd}`, 'etcd'),
    kwok: join(kwokDir, 'kwok'),
    kwokDir,
  };
}

/** The runtime directory of the one local cluster; FLAGGER_TS_CLUSTER_DIR overrides it. */
export function runDir(): string {
  return process.env['FLAGGER_TS_CLUSTER_DIR'] ?? join(cacheRoot(), 'cluster');
}
