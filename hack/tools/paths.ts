// Where the packaging tools built by hack/tools/build.sh live: the versioned cache,
// keyed by the pins in hack/tools/versions.sh (so a pin change means a new path).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheRoot, clusterSourceDir } from '../cluster/paths.js';

function pinned(key: string): string {
  const text = readFileSync(join(clusterSourceDir, '../tools/versions.sh'), 'utf8');
  const m = new RegExp(`^${key}=(\\S+)`, 'm').exec(text);
  if (!m?.[1]) throw new Error(`hack/tools/versions.sh: ${key} is not set`);
  return m[1];
}

export const helmBin = (): string => join(cacheRoot(), 'bin', `helm-${pinned('HELM_VERSION')}`, 'helm');
export const hadolintBin = (): string =>
  join(cacheRoot(), 'bin', `hadolint-${pinned('HADOLINT_VERSION')}`, 'hadolint');
