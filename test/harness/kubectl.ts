// Runs the kubectl built with the control plane against the local cluster, the way
// a user would; used to apply YAML fixtures and to check printer columns.
import { spawnSync } from 'node:child_process';
import type { ClusterState } from '../../hack/cluster/state.js';
import { waitEstablished } from '../../hack/cluster/wait-established.js';

export { waitEstablished };

export function kubectl(cluster: ClusterState, args: string[], input?: string): string {
  const res = spawnSync(cluster.kubectl, ['--kubeconfig', cluster.kubeconfig, ...args], {
    input,
    encoding: 'utf8',
  });
  if (res.status !== 0) throw new Error(`kubectl ${args.join(' ')}: ${res.stderr.trim()}`);
  return res.stdout;
}

/** kubectl that is expected to fail; returns its stderr. */
export function kubectlFails(cluster: ClusterState, args: string[], input?: string): string {
  const res = spawnSync(cluster.kubectl, ['--kubeconfig', cluster.kubeconfig, ...args], {
    input,
    encoding: 'utf8',
  });
  if (res.status === 0) throw new Error(`kubectl ${args.join(' ')} unexpectedly succeeded: ${res.stdout}`);
  return res.stderr;
}

const installed = new Set<string>();

/** Applies a CRD manifest once per process and waits until every CRD in it is Established. */
export function installCrds(cluster: ClusterState, file: string): void {
  if (installed.has(file)) return;
  kubectl(cluster, ['apply', '--server-side', '--force-conflicts', '-f', file]);
  waitEstablished(cluster, ['-f', file]);
  installed.add(file);
}

export const FLAGGER_CRDS = 'charts/flagger-ts/crds/crds.yaml';
