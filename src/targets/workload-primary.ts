// What every `<name>-primary` workload shares, whatever its kind (Flagger §2.4, §2.12):
// metadata, pod template labels and annotations, and the pod spec with config references
// renamed and anti-affinity/spread selectors rewritten. The kind files (deployment-primary,
// daemonset-primary) add only their own spec fields. Pure: the flagger-id is an input.
import type { V1LabelSelector, V1ObjectMeta, V1PodSpec, V1PodTemplateSpec } from '@kubernetes/client-node';
import { canaryOwnerReference, type OwnerIdentity } from '../kube/owner.js';
import { renameConfigRefs } from './config-refs.js';
import {
  DEFAULT_SELECTOR_LABELS,
  includeLabelsByPrefix,
  primaryValue,
  withLabel,
  withoutToolkitKeys,
} from './labels.js';

/** Pod template annotation whose fresh value forces a rolling update of the primary. */
export const FLAGGER_ID_ANNOTATION = 'flagger-id';

/** The parts of a Deployment or DaemonSet the primary is built from. */
export interface PodWorkload {
  metadata?: V1ObjectMeta | undefined;
  spec?: { template: V1PodTemplateSpec } | undefined;
}

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
 * the canary's. Flagger compares with the workload name, not the label value; kept as is.
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
export function primaryPodSpec(target: PodWorkload, opts: PrimaryOptions): V1PodSpec {
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

/** The primary's pod template: selector label `<value>-primary`, new flagger-id, renamed spec. */
export function primaryTemplate(
  target: PodWorkload,
  opts: PrimaryOptions,
): V1PodTemplateSpec & { spec: V1PodSpec } {
  const template = target.spec?.template;
  return {
    metadata: {
      labels: withLabel(template?.metadata?.labels, opts.selectorLabel, primaryValue(opts.selectorValue)),
      annotations: primaryPodAnnotations(template?.metadata?.annotations, opts.newFlaggerId),
    },
    spec: primaryPodSpec(target, opts),
  };
}

/** The primary's object metadata at creation: every annotation is copied (promotion is stricter). */
export function primaryObjectMeta(
  target: PodWorkload,
  canary: CanaryIdentity,
  opts: PrimaryOptions,
): V1ObjectMeta {
  return {
    name: primaryName(target.metadata?.name ?? ''),
    namespace: canary.metadata.namespace ?? target.metadata?.namespace ?? 'default',
    labels: withLabel(
      includeLabelsByPrefix(target.metadata?.labels, opts.includeLabelPrefix),
      opts.selectorLabel,
      primaryValue(opts.selectorValue),
    ),
    annotations: withoutToolkitKeys(target.metadata?.annotations),
    ownerReferences: [canaryOwnerReference(canary)],
  };
}

/** The primary's selector: only its own pods. */
export function primarySelector(opts: PrimaryOptions): V1LabelSelector {
  return { matchLabels: { [opts.selectorLabel]: primaryValue(opts.selectorValue) } };
}

/**
 * Copies the target's template and metadata into `next` (a deep copy of the live primary,
 * so resourceVersion, selector, owner references and status survive a replace).
 * Object annotations and labels are replaced, not merged, and filtered by prefix.
 */
export function applyPromotion(next: PodWorkload, target: PodWorkload, opts: PrimaryOptions): void {
  const wanted = primaryTemplate(target, opts);
  if (next.spec !== undefined) {
    const templateMeta = next.spec.template.metadata ?? {};
    templateMeta.labels = wanted.metadata?.labels ?? {};
    templateMeta.annotations = wanted.metadata?.annotations ?? {};
    next.spec.template.metadata = templateMeta;
    next.spec.template.spec = wanted.spec;
  }
  const meta = next.metadata ?? {};
  meta.annotations = includeLabelsByPrefix(target.metadata?.annotations, opts.includeLabelPrefix);
  meta.labels = withLabel(
    includeLabelsByPrefix(target.metadata?.labels, opts.includeLabelPrefix),
    opts.selectorLabel,
    primaryValue(opts.selectorValue),
  );
  next.metadata = meta;
}

/**
 * Sets each of `fields` on `dst` to a copy of the value on `src`; a field `src` leaves
 * unset is removed from `dst`, so API defaults apply as they do on the target.
 */
export function copyFields<T extends object>(dst: T, src: T | undefined, fields: readonly (keyof T)[]): void {
  for (const field of fields) {
    const value = src?.[field];
    if (value === undefined) Reflect.deleteProperty(dst, field);
    else dst[field] = structuredClone(value);
  }
}

/**
 * The live primary with the target copied into it (§2.12): `fields` of the spec, then the
 * template and metadata. A deep copy, so the caller's (possibly cached) object is untouched.
 */
export function promotedCopy<W extends PodWorkload>(
  primary: W,
  target: W,
  opts: PrimaryOptions,
  fields: readonly (keyof NonNullable<W['spec']>)[],
): W {
  const next = structuredClone(primary);
  const spec: NonNullable<W['spec']> | undefined = next.spec ?? undefined;
  if (spec !== undefined) copyFields<NonNullable<W['spec']>>(spec, target.spec ?? undefined, fields);
  applyPromotion(next, target, opts);
  return next;
}
