// The DaemonSet kind for the shared workload adapter (workload-adapter.ts): Flagger's
// DaemonSetController. A DaemonSet cannot have zero replicas, so "scaled to zero" is a
// nodeSelector no node carries (`flagger.app/scale-to-zero: "true"`); readiness comes from
// desired/updated/available pod counts.
import type { V1DaemonSet } from '@kubernetes/client-node';
import { isRecord } from '../kube/json.js';
import {
  SCALE_TO_ZERO_KEY,
  desiredPrimaryDaemonSet,
  dropScaleToZero,
  promotedPrimaryDaemonSet,
} from './daemonset-primary.js';
import { hashValue } from './hash.js';
import { daemonSetReadiness } from './readiness.js';
import type { WorkloadKind } from './workload.js';
import { WorkloadAdapter, type WorkloadAdapterOptions } from './workload-adapter.js';

/**
 * The pod template without the scale-to-zero key, so scaling the target down and up never
 * looks like a new revision; an empty nodeSelector counts as none.
 */
export function computeDaemonSetHash(ds: V1DaemonSet): string {
  const template = structuredClone(ds.spec?.template);
  dropScaleToZero(template?.spec);
  const selector = template?.spec?.nodeSelector;
  if (selector !== undefined && Object.keys(selector).length === 0) delete template?.spec?.nodeSelector;
  return hashValue(template);
}

export const daemonSetKind: WorkloadKind<V1DaemonSet> = {
  kind: 'DaemonSet',
  noun: 'daemonset',
  as: (value) => (isRecord(value) && value['kind'] === 'DaemonSet' ? value : undefined),
  invalid: (ds) => {
    const type = ds.spec?.updateStrategy?.type;
    // OnDelete would never replace the canary's pods, so an analysis could not start.
    return type === undefined || type === '' || type === 'RollingUpdate'
      ? undefined
      : `daemonset ${ds.metadata?.name ?? ''}.${ds.metadata?.namespace ?? ''} must have RollingUpdate strategy but have ${type}`;
  },
  hash: computeDaemonSetHash,
  readiness: (ds, _role, ctx) =>
    daemonSetReadiness(ds, ctx.thresholdPercent, ctx.progressDeadlineSeconds, ctx.now, ctx.lastTransition),
  desiredPrimary: desiredPrimaryDaemonSet,
  promotedPrimary: promotedPrimaryDaemonSet,
  replicas: () => undefined,
  isScaledToZero: (ds) => ds.spec?.template.spec?.nodeSelector?.[SCALE_TO_ZERO_KEY] !== undefined,
  zeroPatch: () => ({ spec: { template: { spec: { nodeSelector: { [SCALE_TO_ZERO_KEY]: 'true' } } } } }),
  // null deletes the key in a JSON merge patch; the user's other node selectors stay.
  fromZeroPatch: () =>
    Promise.resolve({ spec: { template: { spec: { nodeSelector: { [SCALE_TO_ZERO_KEY]: null } } } } }),
};

export class DaemonSetAdapter extends WorkloadAdapter<V1DaemonSet> {
  constructor(opts: WorkloadAdapterOptions) {
    super(daemonSetKind, opts);
  }
}
