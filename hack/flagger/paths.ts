// Where hack/flagger/build.sh puts the real Flagger: the versioned cache, keyed by the pin in
// hack/flagger/versions.sh (so a pin change means a new path and a rebuild).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheRoot, clusterSourceDir } from '../cluster/paths.js';

export function flaggerVersion(): string {
  const text = readFileSync(join(clusterSourceDir, '../flagger/versions.sh'), 'utf8');
  const m = /^FLAGGER_VERSION=(\S+)/m.exec(text);
  if (!m?.[1]) throw new Error('hack/flagger/versions.sh: FLAGGER_VERSION is not set');
  return m[1];
}

/** The binary's path in the cache (it may not be built yet). */
export const flaggerBin = (): string => join(cacheRoot(), 'bin', `flagger-${flaggerVersion()}`);

export const flaggerBuildScript = (): string => join(clusterSourceDir, '../flagger/build.sh');
