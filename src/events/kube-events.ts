// Kubernetes Events for a Canary, so `kubectl describe canary` tells the story.
// Repeats of the same reason and message are folded into one Event (count and
// lastTimestamp), as kubelet and client-go's recorder do, instead of flooding etcd.
import { randomBytes } from 'node:crypto';
import type { KubeClient } from '../kube/client.js';
import type { KubeObject } from '../kube/types.js';

export type EventType = 'Normal' | 'Warning';

export interface EventTarget {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  readonly uid?: string | undefined;
}

interface Folded {
  readonly name: string;
  count: number;
}

const MAX_FOLDED = 4096;

export class KubeEventRecorder {
  readonly #client: KubeClient;
  readonly #component: string;
  readonly #folded = new Map<string, Folded>();

  constructor(client: KubeClient, component = 'flagger-ts') {
    this.#client = client;
    this.#component = component;
  }

  async record(target: EventTarget, type: EventType, reason: string, message: string): Promise<void> {
    const now = new Date().toISOString();
    const foldKey = `${target.namespace}/${target.name}/${target.uid ?? ''}/${type}/${reason}/${message}`;
    const prior = this.#folded.get(foldKey);
    if (prior) {
      prior.count++;
      try {
        await this.#client.mergePatch(
          { apiVersion: 'v1', kind: 'Event', namespace: target.namespace, name: prior.name },
          { count: prior.count, lastTimestamp: now },
        );
        return;
      } catch {
        this.#folded.delete(foldKey); // the Event expired or was deleted; write a new one
      }
    }
    const name = `${target.name}.${randomBytes(8).toString('hex')}`;
    const event: KubeObject = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace: target.namespace },
      involvedObject: {
        apiVersion: target.apiVersion,
        kind: target.kind,
        name: target.name,
        namespace: target.namespace,
        ...(target.uid === undefined ? {} : { uid: target.uid }),
      },
      reason,
      message,
      type,
      source: { component: this.#component },
      reportingComponent: this.#component,
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
    };
    await this.#client.create(event);
    if (this.#folded.size >= MAX_FOLDED) this.#folded.clear();
    this.#folded.set(foldKey, { name, count: 1 });
  }
}
