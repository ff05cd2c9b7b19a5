// What a KWOK pod "runs" in the real-traffic lane: its behaviour is read from the pod's own
// env, so a new Deployment revision (new env or image) is a new behaviour, exactly as a new
// container image would be. Pure functions, so the rules are unit-testable.
import type { V1Pod } from '@kubernetes/client-node';

export interface PodBehaviour {
  /** VERSION env, else the image tag. Returned in every answer. */
  readonly version: string;
  /** ERROR_RATE env, a fraction in [0, 1]: that share of requests gets HTTP 500. */
  readonly errorRate: number;
  /** LATENCY_MS env: delay before each answer. */
  readonly latencyMs: number;
}

function envOf(pod: V1Pod, name: string): string | undefined {
  for (const c of pod.spec?.containers ?? []) {
    const v = c.env?.find((e) => e.name === name)?.value;
    if (v !== undefined) return v;
  }
  return undefined;
}

function imageTag(image: string | undefined): string {
  if (!image) return 'unknown';
  const name = image.split('@')[0] ?? image;
  const slash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  return colon > slash ? name.slice(colon + 1) : 'latest';
}

function fraction(raw: string | undefined): number {
  const n = Number(raw ?? 0);
  if (!Number.isFinite(n) || n < 0) return 0;
  return Math.min(n, 1);
}

export function behaviourOf(pod: V1Pod): PodBehaviour {
  const latency = Number(envOf(pod, 'LATENCY_MS') ?? 0);
  return {
    version: envOf(pod, 'VERSION') ?? imageTag(pod.spec?.containers[0]?.image),
    errorRate: fraction(envOf(pod, 'ERROR_RATE')),
    latencyMs: Number.isFinite(latency) && latency > 0 ? latency : 0,
  };
}

/** Every TCP containerPort of the pod (each gets a listener on the pod IP). */
export function containerPorts(pod: V1Pod): number[] {
  const ports = new Set<number>();
  for (const c of pod.spec?.containers ?? []) {
    for (const p of c.ports ?? []) if ((p.protocol ?? 'TCP') === 'TCP') ports.add(p.containerPort);
  }
  return [...ports].sort((a, b) => a - b);
}

/**
 * A pod gets a server while it is Running with an IP, Terminating included: a real container
 * keeps answering while it drains and routers drop its endpoint (lane pods stay Terminating
 * for TERMINATING_FOR, see hack/cluster/kwok-stages/pod-delete.yaml).
 */
export function shouldServe(pod: V1Pod): boolean {
  return pod.status?.phase === 'Running' && typeof pod.status.podIP === 'string' && pod.status.podIP !== '';
}

/** The annotation our KWOK pod-delete stage reads, and how long lane pods stay Terminating. */
export const TERMINATING_FOR_ANNOTATION = 'flagger-ts.dev/kwok-terminating-for';
export const TERMINATING_FOR = '10s';

/**
 * Deterministic errors: request n (1-based) fails when the running count of errors owed,
 * floor(n × rate), goes up. So 10 % means exactly one 500 in every 10 requests, and a
 * rate measured over any window is within one request of the configured one.
 */
export function isErrorRequest(n: number, rate: number): boolean {
  return Math.floor(n * rate) > Math.floor((n - 1) * rate);
}
