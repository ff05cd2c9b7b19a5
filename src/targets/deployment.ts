// The Deployment kind for the shared workload adapter (workload-adapter.ts): Flagger's
// DeploymentController. Scaling is spec.replicas; readiness comes from the Deployment's
// own status and conditions.
import type { V1Deployment } from '@kubernetes/client-node';
import { isRecord } from '../kube/json.js';
import { desiredPrimary, promotedPrimary } from './deployment-primary.js';
import { computeTargetHash } from './hash.js';
import { canaryReadiness, primaryReadiness } from './readiness.js';
import type { WorkloadKind } from './workload.js';
import { WorkloadAdapter, type WorkloadAdapterOptions } from './workload-adapter.js';

export const deploymentKind: WorkloadKind<V1Deployment> = {
  kind: 'Deployment',
  noun: 'deployment',
  // Plain API JSON matches the client-node model shape; timestamps stay strings, which the
  // readiness code accepts.
  as: (value) => (isRecord(value) && value['kind'] === 'Deployment' ? value : undefined),
  invalid: () => undefined,
  hash: computeTargetHash,
  readiness: (d, role, ctx) => (role === 'canary' ? canaryReadiness(d, ctx) : primaryReadiness(d, ctx)),
  desiredPrimary,
  promotedPrimary,
  replicas: (d) => d.spec?.replicas,
  isScaledToZero: (d) => d.spec?.replicas === 0,
  zeroPatch: () => ({ spec: { replicas: 0 } }),
  fromZeroPatch: async (replicas) => ({ spec: { replicas: await replicas() } }),
};

export type DeploymentAdapterOptions = WorkloadAdapterOptions;

export class DeploymentAdapter extends WorkloadAdapter<V1Deployment> {
  constructor(opts: DeploymentAdapterOptions) {
    super(deploymentKind, opts);
  }
}
