// Label and annotation plumbing shared by the workload adapters: which metadata is copied
// to generated objects (-include-label-prefix) and which pod label identifies the workload
// (-selector-labels).
import type { V1LabelSelector } from '@kubernetes/client-node';

/** Flagger's default `-selector-labels`, checked in this order. */
export const DEFAULT_SELECTOR_LABELS: readonly string[] = ['app', 'name', 'app.kubernetes.io/name'];

/**
 * Keys containing this marker belong to Flux controllers (kustomize/helm). Copying them to
 * objects Flagger owns would make Flux adopt or garbage-collect those objects.
 */
export const TOOLKIT_MARKER = 'toolkit.fluxcd.io';

/** Splits the `-include-label-prefix` flag ("a,b", "*", "") into prefixes; blanks are dropped. */
export function parseLabelPrefixes(flag: string): string[] {
  return flag
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
}

/** A copy of `map` without Flux toolkit keys. */
export function withoutToolkitKeys(
  map: Readonly<Record<string, string>> | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(map ?? {})) if (!k.includes(TOOLKIT_MARKER)) out[k] = v;
  return out;
}

/**
 * The entries of `map` whose key starts with one of `prefixes` (`*` matches every key), minus
 * Flux toolkit keys. No prefixes means nothing is copied, which is Flagger's default: an
 * empty prefix is ignored rather than treated as "matches everything".
 */
export function includeLabelsByPrefix(
  map: Readonly<Record<string, string>> | undefined,
  prefixes: readonly string[],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(withoutToolkitKeys(map))) {
    if (prefixes.some((p) => p === '*' || (p !== '' && k.startsWith(p)))) out[k] = v;
  }
  return out;
}

/** `labels` with `label` forced to `value` (the `-primary` selector value on generated objects). */
export function withLabel(
  labels: Readonly<Record<string, string>> | undefined,
  label: string,
  value: string,
): Record<string, string> {
  return { ...labels, [label]: value };
}

export interface SelectorLabel {
  /** The pod label that selects the workload, e.g. `app`. */
  label: string;
  /** Its value on the target, e.g. `podinfo`; the primary uses `<value>-primary`. */
  value: string;
}

export type SelectorLabelResult = ({ ok: true } & SelectorLabel) | { ok: false; message: string };

export interface WorkloadIdentity {
  /** Lower-case kind used in messages: `deployment`, `daemonset`. */
  kind: string;
  name: string;
  namespace: string;
}

/**
 * The first of `selectorLabels` present in the workload's `spec.selector.matchLabels`.
 * The message names the whole candidate list, as Flagger's does, so users see what to add.
 */
export function findSelectorLabel(
  workload: WorkloadIdentity,
  selector: V1LabelSelector | undefined,
  selectorLabels: readonly string[] = DEFAULT_SELECTOR_LABELS,
): SelectorLabelResult {
  const matchLabels = selector?.matchLabels ?? {};
  for (const label of selectorLabels) {
    const value = matchLabels[label];
    if (value !== undefined) return { ok: true, label, value };
  }
  return {
    ok: false,
    message: `${workload.kind} ${workload.name}.${workload.namespace} spec.selector.matchLabels must contain one of [${selectorLabels.join(' ')}]`,
  };
}

/** The selector value of the primary workload and its pods. */
export function primaryValue(value: string): string {
  return `${value}-primary`;
}
