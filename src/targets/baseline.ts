// The judge's baseline cohort (analysis.baseline, docs/judge.md): `<target>-baseline`, a
// Deployment running the PRIMARY's pod template (the version in production) with the canary's
// replica count, and `<svc>-baseline`, a ClusterIP Service selecting its pods for the routers.
// Started with the analysis and removed after it, so canary and baseline pods are the same age
// and take the same load, unlike a fresh canary compared with long-warm primaries. Pure.
import type { V1Deployment } from '@kubernetes/client-node';
import type { Canary } from '../api/canary.js';
import { analysisBaseline } from '../api/judge.js';
import type { CanaryPhase } from '../api/status.js';
import { desiredService, type ServiceInputs } from '../routers/kubernetes.js';
import { baselineServiceName } from '../routers/shared/baseline.js';
import { canaryOwnerReference } from '../kube/owner.js';
import type { KubeObject } from '../kube/types.js';
import { hashValue } from './hash.js';
import { withLabel, type SelectorLabel } from './labels.js';

/** The primary template and replica count the baseline was built from: compared instead of the defaulted spec. */
export const BASELINE_SOURCE_ANNOTATION = 'flagger-ts.io/baseline-source';

/** Set on a baseline the operator could only scale to zero (no RBAC to delete it). */
export const BASELINE_RETIRED_ANNOTATION = 'flagger-ts.io/baseline-retired';

/** Phases in which the analysis runs and the baseline takes traffic. */
const ANALYSIS_PHASES: ReadonlySet<CanaryPhase> = new Set(['Progressing', 'WaitingPromotion']);

export const baselineName = (canary: Canary): string => `${canary.spec.targetRef.name}-baseline`;
export const baselineValue = (selector: SelectorLabel): string => `${selector.value}-baseline`;

export function baselineEnabled(canary: Canary): boolean {
  return (
    analysisBaseline(canary.spec.analysis)?.enabled === true && canary.spec.targetRef.kind === 'Deployment'
  );
}

/** The baseline runs and takes traffic while an analysis does (not while promoting or finalising). */
export function baselineActive(canary: Canary, phase: CanaryPhase | undefined): boolean {
  return baselineEnabled(canary) && phase !== undefined && ANALYSIS_PHASES.has(phase);
}

/** The canary's replica count; at least one pod, so the cohort has samples. */
export function baselineReplicas(target: V1Deployment): number {
  return Math.max(1, target.spec?.replicas ?? 1);
}

export function baselineSource(primary: V1Deployment, target: V1Deployment): string {
  return hashValue({ template: primary.spec?.template, replicas: baselineReplicas(target) });
}

/** `<target>-baseline`: the primary's template relabelled `<value>-baseline`, the canary's replicas. */
export function desiredBaseline(
  canary: Canary,
  primary: V1Deployment,
  target: V1Deployment,
  selector: SelectorLabel,
): KubeObject {
  const value = baselineValue(selector);
  const template = structuredClone(primary.spec?.template ?? { spec: { containers: [] } });
  // A deep copy: relabelling it leaves the (cached) primary untouched.
  template.metadata ??= {};
  template.metadata.labels = withLabel(template.metadata.labels, selector.label, value);
  const spec: Record<string, unknown> = {
    replicas: baselineReplicas(target),
    selector: { matchLabels: { [selector.label]: value } },
    template,
  };
  for (const f of ['minReadySeconds', 'progressDeadlineSeconds', 'strategy'] as const) {
    const v = primary.spec?.[f];
    if (v !== undefined) spec[f] = structuredClone(v);
  }
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: baselineName(canary),
      namespace: canary.metadata.namespace ?? 'default',
      labels: { [selector.label]: value },
      annotations: { [BASELINE_SOURCE_ANNOTATION]: baselineSource(primary, target) },
      ownerReferences: [canaryOwnerReference(canary)],
    },
    spec,
  };
}

/** `<svc>-baseline`: the `-primary` Service's ports, selecting the baseline pods. */
export function desiredBaselineService(canary: Canary, inputs: ServiceInputs): KubeObject {
  const svc = desiredService(canary, 'primary', inputs);
  const name = baselineServiceName(canary);
  const spec = {
    ...(svc['spec'] as Record<string, unknown>),
    selector: { [inputs.label]: `${inputs.value}-baseline` },
  };
  return {
    ...svc,
    metadata: { ...svc.metadata, name, labels: { ...svc.metadata.labels, [inputs.label]: name } },
    spec,
  };
}

/** Ready: the controller saw the latest spec and every replica is updated and ready. */
export function baselineReady(live: V1Deployment | undefined): boolean {
  if (live === undefined) return false;
  const want = live.spec?.replicas ?? 1;
  const s = live.status;
  return (
    (s?.observedGeneration ?? 0) >= (live.metadata?.generation ?? 0) &&
    (s?.updatedReplicas ?? 0) >= want &&
    (s?.readyReplicas ?? 0) >= want &&
    (s?.replicas ?? 0) <= want
  );
}
