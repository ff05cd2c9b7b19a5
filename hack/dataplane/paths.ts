// Where hack/dataplane/build.sh puts the routers: the versioned cache, keyed by the pins in
// hack/dataplane/versions.sh (so a pin change means a new path and a rebuild).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheRoot, clusterSourceDir } from '../cluster/paths.js';

export type DataplaneBinary =
  'traefik' | 'skipper' | 'contour' | 'envoy' | 'kuma-cp' | 'kuma-dp' | 'kuma-prometheus-sd';

const PIN: Record<DataplaneBinary, string> = {
  traefik: 'TRAEFIK_VERSION',
  skipper: 'SKIPPER_VERSION',
  contour: 'CONTOUR_VERSION',
  envoy: 'ENVOY_VERSION',
  'kuma-cp': 'KUMA_VERSION',
  'kuma-dp': 'KUMA_VERSION',
  'kuma-prometheus-sd': 'KUMA_VERSION',
};

/** The cache directory's name: Kuma's binaries come from one build into kuma-<version>/. */
const DIR: Partial<Record<DataplaneBinary, string>> = {
  'kuma-cp': 'kuma',
  'kuma-dp': 'kuma',
  'kuma-prometheus-sd': 'kuma',
};

export function dataplaneVersion(bin: DataplaneBinary): string {
  const text = readFileSync(join(clusterSourceDir, '../dataplane/versions.sh'), 'utf8');
  const m = new RegExp(`^${PIN[bin]}=(\\S+)`, 'm').exec(text);
  if (!m?.[1]) throw new Error(`hack/dataplane/versions.sh: ${PIN[bin]} is not set`);
  return m[1];
}

/** The binary's path in the cache (it may not be built yet). */
export const dataplaneBin = (bin: DataplaneBinary): string =>
  join(cacheRoot(), 'bin', `${DIR[bin] ?? bin}-${dataplaneVersion(bin)}`, bin);

export const dataplaneBuildScript = (): string => join(clusterSourceDir, '../dataplane/build.sh');
