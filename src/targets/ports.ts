// Port discovery (spec.service.portDiscovery): container ports the generated Services expose
// besides the main service port.
import type { V1PodSpec } from '@kubernetes/client-node';

/** Mesh proxies: their ports belong to the mesh, not to the application. */
const SIDECARS: readonly string[] = ['istio-proxy', 'envoy'];

export interface ServicePortSpec {
  port: number;
  /** A number or a container port name; unset means `port`. */
  targetPort?: number | string | undefined;
}

/**
 * Every container port except sidecars' and the one the main service port already routes
 * to (matched by number, or by name for a named targetPort). An unnamed port is called
 * `tcp-<container>-<index>`. Later duplicates of a name overwrite earlier ones, as in Flagger.
 */
export function discoverPorts(spec: V1PodSpec | undefined, service: ServicePortSpec): Record<string, number> {
  const ports: Record<string, number> = {};
  for (const container of spec?.containers ?? []) {
    if (SIDECARS.includes(container.name)) continue;
    (container.ports ?? []).forEach((p, index) => {
      const target = service.targetPort ?? service.port;
      if (typeof target === 'number' ? p.containerPort === target : p.name === target) return;
      const name = p.name !== undefined && p.name !== '' ? p.name : `tcp-${container.name}-${index}`;
      ports[name] = p.containerPort;
    });
  }
  return ports;
}
