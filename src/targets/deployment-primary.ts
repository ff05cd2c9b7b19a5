// The `<name>-primary` Deployment: its desired shape at creation (Flagger §2.4) and after a
// promotion (§2.12). The parts every workload kind shares are in workload-primary.ts; this
// file adds the Deployment's own fields (replicas, strategy, deadlines). Pure.
import type { V1Deployment, V1DeploymentSpec } from '@kubernetes/client-node';
import {
  copyFields,
  primaryObjectMeta,
  promotedCopy,
  primarySelector,
  primaryTemplate,
  type CanaryIdentity,
  type PrimaryOptions,
  type PromoteOptions,
} from './workload-primary.js';

export {
  FLAGGER_ID_ANNOTATION,
  primaryName,
  primaryPodAnnotations,
  primaryPodSpec,
  type CanaryIdentity,
  type PrimaryOptions,
  type PromoteOptions,
} from './workload-primary.js';

/** The scheduling/rollout fields copied verbatim from the target, at creation and on promotion. */
const COPIED: readonly (keyof V1DeploymentSpec)[] = [
  'progressDeadlineSeconds',
  'minReadySeconds',
  'revisionHistoryLimit',
  'strategy',
];

/** The primary Deployment Flagger creates when none exists (§2.4). */
export function desiredPrimary(
  target: V1Deployment,
  canary: CanaryIdentity,
  opts: PrimaryOptions,
): V1Deployment {
  const targetReplicas = target.spec?.replicas ?? 0;
  const spec: V1DeploymentSpec = {
    // A target already scaled to zero (e.g. re-initialisation) must not produce an empty primary.
    replicas: targetReplicas > 0 ? targetReplicas : 1,
    selector: primarySelector(opts),
    template: primaryTemplate(target, opts),
  };
  copyFields(spec, target.spec, COPIED);
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: primaryObjectMeta(target, canary, opts),
    spec,
  };
}

/** The primary after copying the target into it (§2.12), starting from the live primary. */
export function promotedPrimary(
  primary: V1Deployment,
  target: V1Deployment,
  opts: PromoteOptions,
): V1Deployment {
  // With an autoscaler the primary's replicas are the autoscaler's, not the target's.
  return promotedCopy(primary, target, opts, opts.hasAutoscaler ? COPIED : [...COPIED, 'replicas']);
}
