// Plays the part of Knative Serving's controller for one Knative Service, because the real one
// does not run here (docs/providers/knative.md says why): each change of spec.template creates a
// Ready Revision `<name>-0000N` and becomes status.latestCreatedRevisionName, and status.traffic
// is spec.traffic with `latestRevision: true` resolved to that revision (all traffic to it when
// spec.traffic is empty), as Knative's route reconciler reports it.
import type { KubeClient } from '../../../src/kube/client.js';
import { isRecord } from '../../../src/kube/json.js';
import type { KubeObject } from '../../../src/kube/types.js';

const SERVING = 'serving.knative.dev/v1';

export interface KnativeStandIn {
  /** Revision names created so far, oldest first. */
  readonly revisions: readonly string[];
  stop(): Promise<void>;
}

function resolvedTraffic(spec: Record<string, unknown>, latest: string): unknown[] {
  const traffic = Array.isArray(spec['traffic']) ? spec['traffic'].filter(isRecord) : [];
  if (traffic.length === 0) return [{ revisionName: latest, latestRevision: true, percent: 100 }];
  return traffic.map((t) =>
    t['latestRevision'] === true
      ? { revisionName: latest, latestRevision: true, percent: t['percent'] }
      : { revisionName: t['revisionName'], latestRevision: false, percent: t['percent'] },
  );
}

export function startKnativeStandIn(kube: KubeClient, namespace: string, name: string): KnativeStandIn {
  const revisions: string[] = [];
  let lastTemplate = '';
  const state = { running: true };
  const ref = { apiVersion: SERVING, kind: 'Service', namespace, name };

  async function step(): Promise<void> {
    const svc = await kube.get(ref);
    if (svc === undefined) return;
    const spec = isRecord(svc['spec']) ? svc['spec'] : {};
    const template = JSON.stringify(spec['template'] ?? {});
    if (template !== lastTemplate) {
      lastTemplate = template;
      const rev = `${name}-${String(revisions.length + 1).padStart(5, '0')}`;
      const revision: KubeObject = {
        apiVersion: SERVING,
        kind: 'Revision',
        metadata: { name: rev, namespace },
      };
      await kube.create({ ...revision, spec: isRecord(spec['template']) ? spec['template']['spec'] : {} });
      await kube.patchStatus(
        { apiVersion: SERVING, kind: 'Revision', namespace, name: rev },
        {
          conditions: [{ type: 'Ready', status: 'True' }],
        },
      );
      revisions.push(rev);
    }
    const latest = revisions.at(-1);
    if (latest === undefined) return;
    const status = {
      observedGeneration: svc.metadata.generation,
      latestCreatedRevisionName: latest,
      latestReadyRevisionName: latest,
      traffic: resolvedTraffic(spec, latest),
      conditions: [{ type: 'Ready', status: 'True' }],
    };
    if (JSON.stringify(svc['status']) !== JSON.stringify(status)) await kube.patchStatus(ref, status);
  }

  const loop = (async (): Promise<void> => {
    while (state.running) {
      await step().catch(() => undefined);
      await new Promise((r) => setTimeout(r, 150));
    }
  })();
  return {
    revisions,
    stop: async () => {
      state.running = false;
      await loop;
    },
  };
}
