// The autoscaler's minimum, which Flagger's ScaleFromZero gives the target when the
// autoscaler owns its replica count (§2.4).
import type { Canary } from '../api/canary.js';
import { canaryNamespace } from '../api/defaults.js';
import type { KubeClient } from '../kube/client.js';
import { isRecord } from '../kube/json.js';
import { autoscalerApiVersion } from './refs.js';

/** HPA minReplicas or ScaledObject minReplicaCount; undefined when unset or unreadable. */
export async function readAutoscalerMin(client: KubeClient, canary: Canary): Promise<number | undefined> {
  const ref = canary.spec.autoscalerRef;
  if (ref === undefined) return undefined;
  const isHpa = ref.kind === 'HorizontalPodAutoscaler';
  try {
    const obj = await client.get({
      apiVersion: autoscalerApiVersion(ref.kind),
      kind: ref.kind,
      name: ref.name,
      namespace: canaryNamespace(canary),
    });
    const spec = isRecord(obj?.['spec']) ? obj['spec'] : {};
    const min = spec[isHpa ? 'minReplicas' : 'minReplicaCount'];
    return typeof min === 'number' ? min : undefined;
  } catch {
    // Flagger falls back to one replica when the autoscaler cannot be read.
    return undefined;
  }
}
