// Waits until CRDs are Established, for the demo and the tests that install CRDs.
import { spawnSync } from 'node:child_process';
import type { ClusterState } from './state.js';

/**
 * Waits until the CRDs `targets` name (`-f file` or `crd/name` arguments) are Established.
 * `kubectl wait` fails at once with "accessor error: <nil>" when it reads a CRD before the API
 * server has written its first condition, so that answer is retried until the deadline.
 */
export function waitEstablished(
  cluster: Pick<ClusterState, 'kubectl' | 'kubeconfig'>,
  targets: string[],
  timeoutSeconds = 60,
): void {
  const deadline = Date.now() + timeoutSeconds * 1000;
  const args = ['--kubeconfig', cluster.kubeconfig, 'wait', '--for=condition=Established'];
  for (;;) {
    const res = spawnSync(cluster.kubectl, [...args, `--timeout=${timeoutSeconds}s`, ...targets], {
      encoding: 'utf8',
    });
    if (res.status === 0) return;
    if (!/accessor error/.test(res.stderr) || Date.now() > deadline) {
      throw new Error(`kubectl wait Established ${targets.join(' ')}: ${res.stderr.trim()}`);
    }
    // A synchronous pause: callers are synchronous kubectl sequences.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
  }
}
