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
  /** Occurrences seen, and how many of them the Event on the server shows. */
  count: number;
  written: number;
  lastTimestamp: string;
  /** When the count was last written (ms), and the write scheduled for the end of the window. */
  writtenAt: number;
  timer: ReturnType<typeof setTimeout> | undefined;
}

const MAX_FOLDED = 4096;

/**
 * A canary waiting on a slow control plane repeats the same Warning at every tick and every
 * wake-up: 1,000 such canaries wrote 172,000 count updates in one benchmark run, more requests
 * than all their other work. The first repeat is written at once; after it a repeat's count is
 * written at most once per window (and once at its end); occurrences in between are counted here, so `kubectl describe` may show a count up
 * to one window behind. client-go's recorder throttles repeats for the same reason.
 */
export const REPEAT_WRITE_WINDOW_MS = 60_000;

export interface RecorderOptions {
  readonly component?: string;
  readonly repeatWriteWindowMs?: number;
  readonly now?: () => number;
}

export class KubeEventRecorder {
  readonly #client: KubeClient;
  readonly #component: string;
  readonly #windowMs: number;
  readonly #now: () => number;
  readonly #folded = new Map<string, Folded>();

  constructor(client: KubeClient, o: RecorderOptions = {}) {
    this.#client = client;
    this.#component = o.component ?? 'flagger-ts';
    this.#windowMs = o.repeatWriteWindowMs ?? REPEAT_WRITE_WINDOW_MS;
    this.#now = o.now ?? Date.now;
  }

  async record(target: EventTarget, type: EventType, reason: string, message: string): Promise<void> {
    const now = new Date(this.#now()).toISOString();
    const foldKey = `${target.namespace}/${target.name}/${target.uid ?? ''}/${type}/${reason}/${message}`;
    const prior = this.#folded.get(foldKey);
    if (prior) {
      prior.count++;
      prior.lastTimestamp = now;
      // The first repeat is written at once, so a user sees promptly that something recurs;
      // later ones wait for the window.
      const due = prior.written === 1 ? 0 : prior.writtenAt + this.#windowMs;
      if (this.#now() < due) {
        prior.timer ??= setTimeout(() => {
          void this.#writeCount(target.namespace, foldKey, prior).catch(() => undefined);
        }, due - this.#now()).unref();
        return;
      }
      try {
        await this.#writeCount(target.namespace, foldKey, prior);
        return;
      } catch {
        // the Event expired or was deleted; write a new one
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
    if (this.#folded.size >= MAX_FOLDED) this.#forgetAll();
    this.#folded.set(foldKey, {
      name,
      count: 1,
      written: 1,
      lastTimestamp: now,
      writtenAt: this.#now(),
      timer: undefined,
    });
  }

  /** Writes the occurrences counted since the last write; a failed write forgets the fold. */
  async #writeCount(namespace: string, foldKey: string, f: Folded): Promise<void> {
    if (f.timer !== undefined) clearTimeout(f.timer);
    f.timer = undefined;
    f.writtenAt = this.#now();
    if (f.count === f.written) return;
    const count = f.count;
    try {
      await this.#client.mergePatch(
        { apiVersion: 'v1', kind: 'Event', namespace, name: f.name },
        { count, lastTimestamp: f.lastTimestamp },
      );
      f.written = Math.max(f.written, count);
    } catch (err) {
      if (this.#folded.get(foldKey) === f) this.#folded.delete(foldKey);
      throw err;
    }
  }

  #forgetAll(): void {
    for (const f of this.#folded.values()) if (f.timer !== undefined) clearTimeout(f.timer);
    this.#folded.clear();
  }
}
