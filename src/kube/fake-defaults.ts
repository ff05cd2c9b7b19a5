// The server-side defaulting and immutability checks of the real API server that callers
// must cope with, reproduced for the fake client: a Service read back has a clusterIP,
// protocols and policies nobody wrote, and changing an allocated clusterIP is rejected.

import { KubeApiError, type Verb } from './errors.js';
import { asArray, isRecord, type JsonRecord } from './json.js';
import { refOf, type KubeObject } from './types.js';

let nextIp = 1;
let nextNodePort = 30000;

function allocateClusterIP(): string {
  const n = nextIp++;
  return `10.96.${String(Math.floor(n / 250) % 250)}.${String((n % 250) + 1)}`;
}

function livePorts(live: KubeObject | undefined): JsonRecord[] {
  const spec = live?.['spec'];
  return isRecord(spec) ? asArray(spec['ports']).filter(isRecord) : [];
}

function defaultServicePorts(
  ports: unknown[],
  live: KubeObject | undefined,
  needsNodePort: boolean,
): JsonRecord[] {
  const old = livePorts(live);
  return ports.filter(isRecord).map((p) => {
    const port: JsonRecord = { ...p, protocol: p['protocol'] ?? 'TCP' };
    if (port['targetPort'] === undefined) port['targetPort'] = port['port'];
    if (needsNodePort && port['nodePort'] === undefined) {
      const match = old.find(
        (o) => o['port'] === port['port'] && (o['protocol'] ?? 'TCP') === port['protocol'],
      );
      port['nodePort'] = match?.['nodePort'] ?? nextNodePort++;
    }
    return port;
  });
}

function defaultService(verb: Verb, obj: KubeObject, live: KubeObject | undefined): KubeObject {
  const spec: JsonRecord = isRecord(obj['spec']) ? { ...obj['spec'] } : {};
  const liveSpec = isRecord(live?.['spec']) ? live['spec'] : undefined;
  spec['type'] ??= 'ClusterIP';
  spec['sessionAffinity'] ??= 'None';
  spec['internalTrafficPolicy'] ??= 'Cluster';
  spec['ipFamilies'] ??= ['IPv4'];
  spec['ipFamilyPolicy'] ??= 'SingleStack';
  const liveIP = liveSpec?.['clusterIP'];
  const wanted = spec['clusterIP'];
  if (wanted === undefined || wanted === '') {
    // Like the apiserver, an update that leaves clusterIP empty keeps the allocated one.
    spec['clusterIP'] = typeof liveIP === 'string' ? liveIP : allocateClusterIP();
  } else if (typeof liveIP === 'string' && wanted !== liveIP) {
    throw new KubeApiError(verb, refOf(obj), {
      code: 422,
      reason: 'Invalid',
      message: `Service "${obj.metadata.name}" is invalid: spec.clusterIP: Invalid value: ${JSON.stringify(wanted)}: field is immutable`,
    });
  }
  spec['clusterIPs'] = [spec['clusterIP']];
  const type = spec['type'];
  spec['ports'] = defaultServicePorts(
    asArray(spec['ports']),
    live,
    type === 'NodePort' || type === 'LoadBalancer',
  );
  return { ...obj, spec };
}

function defaultDeployment(obj: KubeObject): KubeObject {
  const spec: JsonRecord = isRecord(obj['spec']) ? { ...obj['spec'] } : {};
  spec['replicas'] ??= 1;
  return { ...obj, spec };
}

/** Applies the defaults the API server would add on create/update of `obj`. */
export function defaultObject(verb: Verb, obj: KubeObject, live: KubeObject | undefined): KubeObject {
  if (obj.apiVersion === 'v1' && obj.kind === 'Service') return defaultService(verb, obj, live);
  if (obj.apiVersion === 'apps/v1' && obj.kind === 'Deployment') return defaultDeployment(obj);
  return obj;
}
