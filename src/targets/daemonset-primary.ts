// The `<name>-primary` DaemonSet (Flagger §2.4, §2.12): the shared primary shape plus the
// DaemonSet's own fields. A DaemonSet has no replicas; "scaled to zero" is a nodeSelector
// no node matches, which the primary must never inherit. Pure.
import type { V1DaemonSet, V1DaemonSetSpec, V1PodSpec } from '@kubernetes/client-node';
import * as shared from './workload-primary.js';

/** The nodeSelector key that keeps a DaemonSet's pods off every node (Flagger's scale to zero). */
export const SCALE_TO_ZERO_KEY = 'flagger.app/scale-to-zero';

const COPIED: readonly (keyof V1DaemonSetSpec)[] = [
  'minReadySeconds',
  'revisionHistoryLimit',
  'updateStrategy',
];

/** Removes the scale-to-zero key from `spec` in place (an emptied nodeSelector is dropped). */
export function dropScaleToZero(spec: V1PodSpec | undefined): void {
  const selector = spec?.nodeSelector;
  if (selector?.[SCALE_TO_ZERO_KEY] === undefined) return;
  Reflect.deleteProperty(selector, SCALE_TO_ZERO_KEY);
  if (Object.keys(selector).length === 0) delete spec?.nodeSelector;
}

function stripScaleToZero(ds: V1DaemonSet): void {
  dropScaleToZero(ds.spec?.template.spec);
}

/** The primary DaemonSet created when none exists. */
export function desiredPrimaryDaemonSet(
  target: V1DaemonSet,
  canary: shared.CanaryIdentity,
  opts: shared.PrimaryOptions,
): V1DaemonSet {
  const spec: V1DaemonSetSpec = {
    selector: shared.primarySelector(opts),
    template: shared.primaryTemplate(target, opts),
  };
  shared.copyFields(spec, target.spec, COPIED);
  const primary: V1DaemonSet = {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: shared.primaryObjectMeta(target, canary, opts),
    spec,
  };
  // The target may already be scaled to zero (a primary deleted and re-created).
  stripScaleToZero(primary);
  return primary;
}

/** The primary after copying the target into it, starting from the live primary. */
export function promotedPrimaryDaemonSet(
  primary: V1DaemonSet,
  target: V1DaemonSet,
  opts: shared.PrimaryOptions,
): V1DaemonSet {
  const next = shared.promotedCopy(primary, target, opts, COPIED);
  stripScaleToZero(next);
  return next;
}
