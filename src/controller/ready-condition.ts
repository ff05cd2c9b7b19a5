// Keeps a `Ready` condition current on every cached object of one kind (MetricTemplate,
// AlertProvider): each object is checked when its generation changes and every
// `recheckMs`, one at a time (a hanging check costs one timeout, not a pile-up), and the
// status is patched only when the condition's status, reason or message changes.
import type { KubeClient } from '../kube/client.js';
import type { KubeObject } from '../kube/types.js';
import type { Logger } from '../telemetry/logger.js';

export const READY = 'Ready';

export interface ReadyState {
  readonly status: 'True' | 'False';
  readonly reason: string;
  readonly message: string;
}

interface Condition {
  type?: unknown;
  status?: unknown;
  reason?: unknown;
  message?: unknown;
  lastTransitionTime?: unknown;
}

export interface ReadyLoopOptions {
  readonly kind: string;
  readonly client: KubeClient;
  readonly list: () => readonly KubeObject[];
  readonly check: (raw: KubeObject, signal: AbortSignal) => Promise<ReadyState>;
  readonly logger: Logger;
  readonly now?: () => Date;
  /** How often the cache is looked at for changed objects (default 2 s). */
  readonly pollMs?: number;
  /** How often an unchanged object is checked again (default 60 s). */
  readonly recheckMs?: number;
}

const errText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export class ReadyConditionLoop {
  readonly #o: ReadyLoopOptions;
  readonly #seen = new Map<string, { rv: string; at: number }>();
  readonly #abort = new AbortController();
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;

  constructor(o: ReadyLoopOptions) {
    this.#o = o;
  }

  start(): void {
    const tick = (): void => {
      this.#running = this.#pass()
        .catch((err: unknown) => {
          this.#o.logger.warn({ err: errText(err), kind: this.#o.kind }, 'status condition check failed');
        })
        .finally(() => {
          if (!this.#abort.signal.aborted) this.#timer = setTimeout(tick, this.#o.pollMs ?? 2_000);
        });
    };
    tick();
  }

  async stop(): Promise<void> {
    this.#abort.abort();
    clearTimeout(this.#timer);
    await this.#running;
  }

  async #pass(): Promise<void> {
    const now = Date.now();
    for (const raw of this.#o.list()) {
      if (this.#abort.signal.aborted) return;
      const key = `${raw.metadata.namespace ?? ''}/${raw.metadata.name}`;
      const last = this.#seen.get(key);
      // Our own status write changes the resourceVersion too; the generation does not.
      const version = String(raw.metadata.generation ?? raw.metadata.resourceVersion ?? '');
      if (last !== undefined && last.rv === version && now - last.at < (this.#o.recheckMs ?? 60_000))
        continue;
      this.#seen.set(key, { rv: version, at: now });
      await this.#write(raw, await this.#o.check(raw, this.#abort.signal));
    }
  }

  async #write(raw: KubeObject, h: ReadyState): Promise<void> {
    const status = (raw['status'] ?? {}) as { conditions?: Condition[] };
    const old = (status.conditions ?? []).find((c) => c.type === READY);
    if (old?.status === h.status && old.reason === h.reason && old.message === h.message) return;
    const at = (this.#o.now ?? (() => new Date()))().toISOString();
    const condition = {
      type: READY,
      status: h.status,
      reason: h.reason,
      message: h.message,
      lastUpdateTime: at,
      lastTransitionTime:
        old?.status === h.status && typeof old.lastTransitionTime === 'string' ? old.lastTransitionTime : at,
    };
    const others = (status.conditions ?? []).filter((c) => c.type !== READY);
    await this.#o.client.patchStatus(
      {
        apiVersion: raw.apiVersion,
        kind: this.#o.kind,
        namespace: raw.metadata.namespace,
        name: raw.metadata.name,
      },
      { conditions: [...others, condition] },
      { signal: this.#abort.signal },
    );
    this.#o.logger.info(
      {
        kind: this.#o.kind,
        object: `${raw.metadata.namespace ?? ''}/${raw.metadata.name}`,
        ready: h.status,
        reason: h.reason,
      },
      'status condition',
    );
  }
}
