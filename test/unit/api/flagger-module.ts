// Flagger 1.44's Go module (pinned in hack/crds/pins.txt as "flagger"), read at test time and
// never committed: its CRDs, docs, chart values and flags are what flagger-ts must be a
// drop-in for.
import { crdSource } from '../../harness/third-party-crds.js';

export const FLAGGER_MODULE_VERSION = 'v1.44.0';

/** The module's root directory in the Go module cache (fetched on first use). */
export async function flaggerModuleDir(): Promise<string> {
  const src = await crdSource('flagger');
  const file = src.files[0];
  const marker = `@${FLAGGER_MODULE_VERSION}`;
  const at = file?.indexOf(marker) ?? -1;
  if (file === undefined || at < 0) throw new Error(`unexpected Flagger CRD path: ${String(file)}`);
  return file.slice(0, at + marker.length);
}
