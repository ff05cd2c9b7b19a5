// Metadata rules shared by every router (spec §3, "annotation rule"): generated objects
// tell Flux to keep its hands off, and user-declared unmanaged keys keep their live values.

/** Stops Flux (kustomize and helm controllers) from reverting what Flagger manages. */
export const TOOLKIT_ANNOTATIONS: Readonly<Record<string, string>> = {
  'kustomize.toolkit.fluxcd.io/reconcile': 'disabled',
  'helm.toolkit.fluxcd.io/driftDetection': 'disabled',
};

/** The configured annotations plus the toolkit ones (which win). */
export function withToolkitAnnotations(
  annotations: Readonly<Record<string, string>> | undefined,
): Record<string, string> {
  return { ...annotations, ...TOOLKIT_ANNOTATIONS };
}

/**
 * `desired` with the `unmanaged` keys taken from `live` instead: present live → live value,
 * absent live → absent. Every other live key is dropped, so the map converges on `desired`.
 */
export function keepUnmanaged(
  desired: Readonly<Record<string, string>>,
  live: Readonly<Record<string, string>> | undefined,
  unmanaged: readonly string[] | undefined,
): Record<string, string> {
  const skip = new Set(unmanaged ?? []);
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(desired)) if (!skip.has(key)) out[key] = value;
  for (const key of skip) {
    const value = live?.[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}
