// The benchmark's figures are only meaningful if its own operator is the only one
// acting on its canaries. A controller started without a namespace scope (a demo, a
// CLI test, a real Flagger) would also reconcile them: it would write their status
// and shift their traffic, and the benchmark would time and count the wrong thing.
// Before starting its operator, each part therefore leaves a probe Canary alone for a
// few seconds and checks that nobody touched it.
import type { KubeClient } from '../src/kube/client.js';
import { isRecord } from '../src/kube/json.js';
import { phaseOf, sleep, type ObjectWatch } from './kube.js';
import { benchCanary, benchDeployment } from './objects.js';

const PROBE = 'probe';
const PROBE_WAIT_MS = 3000;

export class ForeignOperatorError extends Error {
  override readonly name = 'ForeignOperatorError';
}

export async function assertNoForeignOperator(
  kube: KubeClient,
  canaries: ObjectWatch,
  ns: string,
): Promise<void> {
  await kube.create(benchDeployment(ns, PROBE, '6.0.0', 1));
  await kube.create(benchCanary(ns, PROBE, { interval: '1m', stepWeight: 10, maxWeight: 50, threshold: 5 }));
  await sleep(PROBE_WAIT_MS);
  const canary = canaries.latest(PROBE);
  const touched =
    canary !== undefined && (isRecord(canary['status']) || (canary.metadata.finalizers ?? []).length > 0);
  const events = await kube.list('v1', 'Event', ns);
  const about = events.filter((e) => {
    const o = e['involvedObject'];
    return isRecord(o) && o['kind'] === 'Canary' && o['name'] === PROBE;
  });
  await kube.delete({ apiVersion: 'flagger.app/v1beta1', kind: 'Canary', namespace: ns, name: PROBE });
  await kube.delete({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: ns, name: PROBE });
  if (touched || about.length > 0) {
    const what = touched
      ? `its status became phase "${phaseOf(canary)}"`
      : `${about.length} Event(s) were recorded for it`;
    throw new ForeignOperatorError(
      `another canary controller is acting on namespace ${ns}: ${PROBE_WAIT_MS / 1000} s after creating a probe Canary, ` +
        `before the benchmark started its own operator, ${what}. A controller without a namespace scope ` +
        '(e.g. `flagger-ts controller` without --namespace, or the demo) is running on this cluster; ' +
        'stop it, or rerun the benchmark when it has finished.',
    );
  }
}
