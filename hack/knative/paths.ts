// Where hack/knative/build.sh puts Knative Serving and net-gateway-api (the versioned cache,
// keyed by the pins in hack/knative/versions.sh), and which modules their manifests come from:
// the versions the tools modules were built from, so the CRDs, ConfigMaps and webhook
// configurations always match the binaries.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheRoot, clusterSourceDir } from '../cluster/paths.js';

export const knativeSourceDir = (): string => join(clusterSourceDir, '../knative');

function pin(key: string): string {
  const text = readFileSync(join(knativeSourceDir(), 'versions.sh'), 'utf8');
  const m = new RegExp(`^${key}=(\\S+)`, 'm').exec(text);
  if (!m?.[1]) throw new Error(`hack/knative/versions.sh: ${key} is not set`);
  return m[1];
}

export const knativeServingVersion = (): string => pin('KNATIVE_SERVING_VERSION');
export const netGatewayApiVersion = (): string => pin('KNATIVE_NET_GATEWAY_API_VERSION');

export type KnativeBinary = 'controller' | 'webhook' | 'autoscaler-hpa' | 'net-gateway-api';

/** The binary's path in the cache (it may not be built yet). */
export function knativeBin(bin: KnativeBinary): string {
  if (bin === 'net-gateway-api') {
    return join(cacheRoot(), 'bin', `net-gateway-api-${netGatewayApiVersion()}`, 'controller');
  }
  return join(cacheRoot(), 'bin', `knative-serving-${knativeServingVersion()}`, bin);
}

export const knativeBuildScript = (): string => join(knativeSourceDir(), 'build.sh');

/** `<module>@<version>` as the serving tools module requires it (knative.dev/networking ...). */
export function knativeModule(module: string): string {
  if (module === 'knative.dev/serving') return `${module}@${knativeServingVersion()}`;
  if (module === 'knative.dev/net-gateway-api') return `${module}@${netGatewayApiVersion()}`;
  const gomod = readFileSync(join(knativeSourceDir(), 'serving-bin', 'go.mod'), 'utf8');
  const m = new RegExp(`^\\s*${module.replace(/[.]/g, '\\.')} (\\S+)`, 'm').exec(gomod);
  if (!m?.[1]) throw new Error(`hack/knative/serving-bin/go.mod does not require ${module}`);
  return `${module}@${m[1]}`;
}
