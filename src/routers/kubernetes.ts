// The ClusterIP Services every provider routes through (spec §3.0): `<svc>-canary` selects
// the target's pods, `<svc>-primary` and the apex `<svc>` select the primary's pods.
// Reads:  spec.service (port, portName, targetPort, appProtocol, headless,
//         trafficDistribution, apex/primary/canary metadata, unmanagedMetadata).
// Writes: the three Services. Ports and selector always converge; labels and annotations
//         only on Services this Canary owns; clusterIP and nodePorts are never touched.
//         A Service it does not own (the user's apex) still gets the Flux toolkit annotations,
//         as Flagger adds them on every update: otherwise Flux reverts the selector to the
//         target's pods, which sit at 0 replicas, and the apex Service has no endpoints.

import type { Canary } from '../api/canary.js';
import {
  canaryName,
  canaryNamespace,
  portName,
  primaryName,
  serviceName,
  targetPort,
} from '../api/defaults.js';
import { ensureObject, type EnsureResult } from '../kube/ensure.js';
import { asArray, isRecord, stringMap, type JsonRecord } from '../kube/json.js';
import { isOwnedBy, isOwnedByAnyCanary } from '../kube/owner.js';
import type { KubeObject } from '../kube/types.js';
import type { RouterContext } from './router.js';
import { keepUnmanaged, TOOLKIT_ANNOTATIONS, withToolkitAnnotations } from './shared/metadata.js';
import { KUBECTL_LAST_APPLIED } from './shared/original-spec.js';
import { ownerFor } from './shared/routed-object.js';

/** What the workload adapter knows and the Services need (see targets/labels.ts, ports.ts). */
export interface ServiceInputs {
  /** The selector label, e.g. `app`. */
  readonly label: string;
  /** Its value on the target's pods, e.g. `podinfo`; the primary's pods have `<value>-primary`. */
  readonly value: string;
  /** Discovered container ports, name → port; empty unless service.portDiscovery. */
  readonly ports: Readonly<Record<string, number>>;
}

export type ServiceRole = 'apex' | 'primary' | 'canary';

export interface ServicePort {
  name: string;
  protocol: string;
  port: number;
  targetPort: number | string;
  appProtocol?: string;
  nodePort?: number;
}

function roleName(canary: Canary, role: ServiceRole): string {
  if (role === 'apex') return serviceName(canary);
  return role === 'primary' ? primaryName(canary) : canaryName(canary);
}

/** The main port, then the discovered ones sorted by name (a stable order for comparison). */
export function servicePorts(canary: Canary, discovered: Readonly<Record<string, number>>): ServicePort[] {
  const svc = canary.spec.service;
  const main: ServicePort = {
    name: portName(canary),
    protocol: 'TCP',
    port: svc.port,
    targetPort: targetPort(canary),
  };
  if (svc.appProtocol !== undefined && svc.appProtocol !== '') main.appProtocol = svc.appProtocol;
  const extra = Object.entries(discovered)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, port]): ServicePort => ({ name, protocol: 'TCP', port, targetPort: port }));
  return [main, ...extra];
}

/** The Service Flagger generates for `role`. Pure. */
export function desiredService(canary: Canary, role: ServiceRole, inputs: ServiceInputs): KubeObject {
  const svc = canary.spec.service;
  const name = roleName(canary, role);
  const meta = svc[role];
  const spec: JsonRecord = {
    type: 'ClusterIP',
    selector: { [inputs.label]: role === 'canary' ? inputs.value : `${inputs.value}-primary` },
    ports: servicePorts(canary, inputs.ports),
  };
  if (svc.headless === true) spec['clusterIP'] = 'None';
  if (svc.trafficDistribution !== undefined) spec['trafficDistribution'] = svc.trafficDistribution;
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name,
      namespace: canaryNamespace(canary),
      labels: { ...meta?.labels, [inputs.label]: name },
      annotations: withToolkitAnnotations(meta?.annotations),
    },
    spec,
  };
}

function portsOf(obj: KubeObject): JsonRecord[] {
  const spec = obj['spec'];
  return isRecord(spec) ? asArray(spec['ports']).filter(isRecord) : [];
}

const nameOf = (v: unknown): string => (typeof v === 'string' ? v : '');

/** The parts of a Service this router manages, in a form where server defaults compare equal. */
export function projectService(obj: KubeObject): unknown {
  const spec = isRecord(obj['spec']) ? obj['spec'] : {};
  const ports = portsOf(obj)
    .map((p) => ({
      name: p['name'],
      protocol: p['protocol'] ?? 'TCP',
      port: p['port'],
      targetPort: p['targetPort'] ?? p['port'],
      appProtocol: p['appProtocol'],
      nodePort: p['nodePort'],
    }))
    .sort((a, b) => nameOf(a.name).localeCompare(nameOf(b.name)));
  return {
    ports,
    selector: stringMap(spec['selector']),
    labels: obj.metadata.labels ?? {},
    annotations: obj.metadata.annotations ?? {},
  };
}

/**
 * Folds the desired Service into the live one. Pure. Ports (with live nodePorts carried over
 * by port name) and selector are always taken; labels and annotations only when `owned`.
 * An unowned Service keeps its own metadata plus the toolkit annotations (Flagger's
 * filterMetadata on update); they are added even when the selector already matches, so a
 * Service taken over from Flagger, or whose annotations someone removed, converges too.
 */
export function mergeService(
  live: KubeObject,
  desired: KubeObject,
  canary: Canary,
  owned: boolean,
): KubeObject {
  const next = structuredClone(live);
  const liveSpec = isRecord(live['spec']) ? live['spec'] : {};
  const desiredSpec = isRecord(desired['spec']) ? desired['spec'] : {};
  const nodePorts = new Map<unknown, unknown>(portsOf(live).map((p) => [p['name'], p['nodePort']]));
  const ports = asArray(desiredSpec['ports'])
    .filter(isRecord)
    .map((p) => {
      const nodePort = nodePorts.get(p['name']);
      return typeof nodePort === 'number' && nodePort > 0 ? { ...p, nodePort } : { ...p };
    });
  next['spec'] = { ...liveSpec, ports, selector: desiredSpec['selector'] };
  if (owned) {
    const unmanaged = canary.spec.service.unmanagedMetadata;
    const { labels = {}, annotations = {} } = desired.metadata;
    next.metadata.labels = keepUnmanaged(labels, live.metadata.labels, unmanaged?.labels);
    next.metadata.annotations = keepUnmanaged(annotations, live.metadata.annotations, unmanaged?.annotations);
  } else {
    next.metadata.annotations = { ...live.metadata.annotations, ...TOOLKIT_ANNOTATIONS };
  }
  return next;
}

function ensureService(
  canary: Canary,
  role: ServiceRole,
  inputs: ServiceInputs,
  ctx: RouterContext,
): Promise<EnsureResult> {
  return ensureObject(ctx.client, desiredService(canary, role, inputs), {
    owner: ownerFor(canary, ctx),
    signal: ctx.signal,
    project: projectService,
    merge: (live, desired) => mergeService(live, desired, canary, isOwnedBy(live, canary)),
  });
}

/** Initialization: `<svc>-canary` and `<svc>-primary` (Flagger's KubernetesRouter.Initialize). */
export async function ensureCanaryServices(
  canary: Canary,
  inputs: ServiceInputs,
  ctx: RouterContext,
): Promise<{ canary: EnsureResult; primary: EnsureResult }> {
  const canarySvc = await ensureService(canary, 'canary', inputs, ctx);
  const primarySvc = await ensureService(canary, 'primary', inputs, ctx);
  return { canary: canarySvc, primary: primarySvc };
}

/** The apex `<svc>`, selecting the primary pods (Flagger's KubernetesRouter.Reconcile). */
export function ensureApexService(
  canary: Canary,
  inputs: ServiceInputs,
  ctx: RouterContext,
): Promise<EnsureResult> {
  return ensureService(canary, 'apex', inputs, ctx);
}

/** The selector a pre-existing apex Service had: kubectl's last-applied one, else the target's pods. */
export function originalSelector(live: KubeObject, inputs: ServiceInputs): Record<string, string> {
  const text = live.metadata.annotations?.[KUBECTL_LAST_APPLIED];
  if (text !== undefined) {
    try {
      const applied: unknown = JSON.parse(text);
      const spec = isRecord(applied) ? applied['spec'] : undefined;
      if (isRecord(spec) && isRecord(spec['selector'])) return stringMap(spec['selector']);
    } catch {
      // An unreadable annotation is treated as absent.
    }
  }
  return { [inputs.label]: inputs.value };
}

/**
 * revertOnDeletion (spec §2.13 step 5): an apex Service that existed before Flagger gets a
 * selector for the target's pods back. Services a Canary owns are left to the garbage collector.
 */
export async function finalizeApexService(
  canary: Canary,
  inputs: ServiceInputs,
  ctx: RouterContext,
): Promise<EnsureResult | undefined> {
  const ref = {
    apiVersion: 'v1',
    kind: 'Service',
    namespace: canaryNamespace(canary),
    name: serviceName(canary),
  };
  const live = await ctx.client.get(ref, { signal: ctx.signal });
  if (live === undefined || isOwnedByAnyCanary(live)) return undefined;
  const selector = originalSelector(live, inputs);
  return ensureObject(ctx.client, live, {
    signal: ctx.signal,
    project: (o) => (isRecord(o['spec']) ? stringMap(o['spec']['selector']) : {}),
    merge: (l) => {
      const next = structuredClone(l);
      next['spec'] = { ...(isRecord(l['spec']) ? l['spec'] : {}), selector };
      return next;
    },
  });
}
