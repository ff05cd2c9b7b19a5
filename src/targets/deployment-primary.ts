// The `<name>-primary` Deployment: its desired shape at creation (Flagger §2.4) and after a
// promotion (§2.12). Pure: the random flagger-id is an input, so the same inputs always give
// the same object and tests can compare whole objects.
import type { V1Deployment, V1DeploymentSpec, V1LabelSelector, V1PodSpec } from '@kubernetes/client-node';
import { renameConfigRefs } from './config-refs.js';
import {
  DEFAULT_SELECTOR_LABELS,
  includeLabelsByPrefix,
  primaryValue,
  withLabel,
  withoutToolkitKeys,
} from './labels.js';
import { canaryOwnerReference, type OwnerIdentity } from '../kube/owner.js';

/** Pod template annotation whose fresh value forces a rolling update of the primary. */
export const FLAGGER_ID_ANNOTATION = 'flagger-id';

export interface PrimaryOptions {
  /** Parsed `-include-label-prefix`: which object labels (and, on promote, annotations) are copied. */
  includeLabelPrefix: readonly string[];
  /** The target's selector label and value (see findSelectorLabel). */
  selectorLabel: string;
  selectorValue: string;
  /** `-selector-labels`: label keys whose affinity/topology values get rewritten. */
  selectorLabels?: readonly string[];
  /** Keys (`configmap/x`, `secret/y`) of tracked configs whose references get `-primary`. */
  configRenames: ReadonlySet<string>;
  /** A fresh random UUID for the pod template's flagger-id annotation. */
  newFlaggerId: string;
}

export interface PromoteOptions extends PrimaryOptions {
  /** With an autoscaler the primary's replicas belong to its HPA/ScaledObject, not the target. */
  hasAutoscaler: boolean;
}

/** The Canary as far as the primary needs it: owner reference and namespace. */
export interface CanaryIdentity extends OwnerIdentity {
  metadata: { name: string; namespace?: string | undefined; uid?: string | undefined };
}

export function primaryName(targetName: string): string {
  return `${targetName}-primary`;
}

/**
 * Appends `-primary` to selector values equal to the target's name under one of the
 * selector-label keys, so primary pods spread against (or repel) primary pods rather than
 * the canary's. Flagger compares with the Deployment name, not the label value; kept as is.
 */
function rewriteSelector(
  selector: V1LabelSelector | undefined,
  targetName: string,
  keys: readonly string[],
): void {
  if (selector === undefined) return;
  const matchLabels = selector.matchLabels;
  for (const key of Object.keys(matchLabels ?? {})) {
    if (matchLabels !== undefined && keys.includes(key) && matchLabels[key] === targetName) {
      matchLabels[key] = primaryName(targetName);
    }
  }
  for (const expr of selector.matchExpressions ?? []) {
    if (!keys.includes(expr.key) || expr.values === undefined) continue;
    expr.values = expr.values.map((v) => (v === targetName ? primaryName(targetName) : v));
  }
}

/** The primary's pod spec: config references renamed, anti-affinity and spread selectors rewritten. */
export function primaryPodSpec(target: V1Deployment, opts: PrimaryOptions): V1PodSpec {
  const source = target.spec?.template.spec ?? { containers: [] };
  const spec = renameConfigRefs(source, opts.configRenames);
  const name = target.metadata?.name ?? '';
  const keys = opts.selectorLabels ?? DEFAULT_SELECTOR_LABELS;
  for (const constraint of spec.topologySpreadConstraints ?? [])
    rewriteSelector(constraint.labelSelector, name, keys);
  // Only anti-affinity: pod affinity towards the canary's pods is left as the user wrote it.
  const anti = spec.affinity?.podAntiAffinity;
  for (const term of anti?.preferredDuringSchedulingIgnoredDuringExecution ?? []) {
    rewriteSelector(term.podAffinityTerm.labelSelector, name, keys);
  }
  for (const term of anti?.requiredDuringSchedulingIgnoredDuringExecution ?? []) {
    rewriteSelector(term.labelSelector, name, keys);
  }
  return spec;
}

/** Template annotations: the target's minus toolkit keys, plus the new flagger-id. */
export function primaryPodAnnotations(
  annotations: Readonly<Record<string, string>> | undefined,
  flaggerId: string,
): Record<string, string> {
  return { ...withoutToolkitKeys(annotations), [FLAGGER_ID_ANNOTATION]: flaggerId };
}

/** The scheduling/rollout fields copied verbatim from the target, at creation and on promotion. */
function copiedFields(
  src: V1DeploymentSpec | undefined,
): Pick<
  V1DeploymentSpec,
  'progressDeadlineSeconds' | 'minReadySeconds' | 'revisionHistoryLimit' | 'strategy'
> {
  const out: Pick<
    V1DeploymentSpec,
    'progressDeadlineSeconds' | 'minReadySeconds' | 'revisionHistoryLimit' | 'strategy'
  > = {};
  if (src?.progressDeadlineSeconds !== undefined) out.progressDeadlineSeconds = src.progressDeadlineSeconds;
  if (src?.minReadySeconds !== undefined) out.minReadySeconds = src.minReadySeconds;
  if (src?.revisionHistoryLimit !== undefined) out.revisionHistoryLimit = src.revisionHistoryLimit;
  if (src?.strategy !== undefined) out.strategy = structuredClone(src.strategy);
  return out;
}

/** The primary Deployment Flagger creates when none exists (§2.4). */
export function desiredPrimary(
  target: V1Deployment,
  canary: CanaryIdentity,
  opts: PrimaryOptions,
): V1Deployment {
  const value = primaryValue(opts.selectorValue);
  const targetReplicas = target.spec?.replicas ?? 0;
  const spec: V1DeploymentSpec = {
    ...copiedFields(target.spec),
    // A target already scaled to zero (e.g. re-initialisation) must not produce an empty primary.
    replicas: targetReplicas > 0 ? targetReplicas : 1,
    selector: { matchLabels: { [opts.selectorLabel]: value } },
    template: {
      metadata: {
        labels: withLabel(target.spec?.template.metadata?.labels, opts.selectorLabel, value),
        annotations: primaryPodAnnotations(target.spec?.template.metadata?.annotations, opts.newFlaggerId),
      },
      spec: primaryPodSpec(target, opts),
    },
  };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: primaryName(target.metadata?.name ?? ''),
      namespace: canary.metadata.namespace ?? target.metadata?.namespace ?? 'default',
      labels: withLabel(
        includeLabelsByPrefix(target.metadata?.labels, opts.includeLabelPrefix),
        opts.selectorLabel,
        value,
      ),
      // At creation every annotation is copied (minus toolkit keys); promotion is stricter.
      annotations: withoutToolkitKeys(target.metadata?.annotations),
      ownerReferences: [canaryOwnerReference(canary)],
    },
    spec,
  };
}

/**
 * The primary after copying the target into it (§2.12). Starts from the live primary so
 * resourceVersion, selector, owner references and status survive a replace.
 */
export function promotedPrimary(
  primary: V1Deployment,
  target: V1Deployment,
  opts: PromoteOptions,
): V1Deployment {
  // A deep copy, so mutating it below never touches the caller's (possibly cached) object.
  const next = structuredClone(primary);
  const value = primaryValue(opts.selectorValue);
  const spec: V1DeploymentSpec = next.spec ?? { selector: {}, template: {} };
  // Fields the target leaves unset are unset on the primary too (API defaults apply).
  delete spec.progressDeadlineSeconds;
  delete spec.minReadySeconds;
  delete spec.revisionHistoryLimit;
  delete spec.strategy;
  Object.assign(spec, copiedFields(target.spec));
  if (!opts.hasAutoscaler) {
    if (target.spec?.replicas === undefined) delete spec.replicas;
    else spec.replicas = target.spec.replicas;
  }
  const templateMeta = spec.template.metadata ?? {};
  templateMeta.labels = withLabel(target.spec?.template.metadata?.labels, opts.selectorLabel, value);
  templateMeta.annotations = primaryPodAnnotations(
    target.spec?.template.metadata?.annotations,
    opts.newFlaggerId,
  );
  spec.template.metadata = templateMeta;
  spec.template.spec = primaryPodSpec(target, opts);
  next.spec = spec;
  const meta = next.metadata ?? {};
  // Replaced, not merged, and filtered by prefix (stricter than at creation).
  meta.annotations = includeLabelsByPrefix(target.metadata?.annotations, opts.includeLabelPrefix);
  meta.labels = withLabel(
    includeLabelsByPrefix(target.metadata?.labels, opts.includeLabelPrefix),
    opts.selectorLabel,
    value,
  );
  next.metadata = meta;
  return next;
}
