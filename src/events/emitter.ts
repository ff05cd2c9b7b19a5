// One seam for "something happened to this canary": a Kubernetes Event, the event
// webhooks (the canary's own `event` hooks, else the operator-wide one), and a log
// line. Event webhooks are delivered in order per canary but off the reconcile path,
// so a slow receiver cannot stall an analysis.
import type { Canary } from '../api/canary.js';
import type { CanaryPhase } from '../api/status.js';
import type { KubeObject } from '../kube/types.js';
import type { Logger } from '../telemetry/logger.js';
import { callWebhook } from '../webhooks/client.js';
import { eventWebhookPayload, eventWebhooksFor } from '../webhooks/payloads.js';
import type { EventType, KubeEventRecorder } from './kube-events.js';

export interface CanaryEvent {
  readonly type: EventType;
  readonly reason: string;
  readonly message: string;
  /** Phase reported to event webhooks (Flagger sends the new phase for some events). */
  readonly phase?: CanaryPhase | undefined;
}

export class CanaryEventEmitter {
  readonly #recorder: KubeEventRecorder;
  readonly #globalWebhook: string | undefined;
  readonly #log: Logger;
  readonly #chains = new Map<string, Promise<void>>();

  constructor(recorder: KubeEventRecorder, log: Logger, globalWebhook?: string) {
    this.#recorder = recorder;
    this.#log = log;
    this.#globalWebhook = globalWebhook;
  }

  async emit(canary: Canary, event: CanaryEvent, log: Logger = this.#log): Promise<void> {
    const ns = canary.metadata.namespace ?? 'default';
    const fields = { reason: event.reason, eventType: event.type };
    if (event.type === 'Warning') log.warn(fields, event.message);
    else log.info(fields, event.message);
    try {
      await this.#recorder.record(
        {
          apiVersion: 'flagger.app/v1beta1',
          kind: 'Canary',
          name: canary.metadata.name,
          namespace: ns,
          uid: canary.metadata.uid,
        },
        event.type,
        event.reason,
        event.message,
      );
    } catch (err) {
      log.error({ err: String(err) }, 'recording Kubernetes event failed');
    }
    this.#sendWebhooks(canary, event, log);
  }

  /** For a Canary that could not be parsed: a Kubernetes Event and a log line, no webhooks. */
  async emitRaw(raw: KubeObject, event: CanaryEvent): Promise<void> {
    const ns = raw.metadata.namespace ?? 'default';
    this.#log.warn({ canary: raw.metadata.name, namespace: ns, reason: event.reason }, event.message);
    await this.#recorder
      .record(
        {
          apiVersion: raw.apiVersion,
          kind: raw.kind,
          name: raw.metadata.name,
          namespace: ns,
          uid: raw.metadata.uid,
        },
        event.type,
        event.reason,
        event.message,
      )
      .catch((err: unknown) => {
        this.#log.error({ err: String(err) }, 'recording Kubernetes event failed');
      });
  }

  /** Resolves when every queued event webhook has been attempted (tests, shutdown). */
  async flush(): Promise<void> {
    await Promise.all(this.#chains.values());
  }

  #sendWebhooks(canary: Canary, event: CanaryEvent, log: Logger): void {
    const hooks = eventWebhooksFor(canary, this.#globalWebhook);
    if (hooks.length === 0) return;
    const key = `${canary.metadata.namespace ?? ''}/${canary.metadata.name}`;
    const info = { message: event.message, eventType: event.type, timeMs: Date.now(), phase: event.phase };
    const prev = this.#chains.get(key) ?? Promise.resolve();
    const next = prev.then(async () => {
      for (const hook of hooks) {
        try {
          await callWebhook(hook, eventWebhookPayload(canary, hook, info));
        } catch (err) {
          log.warn(
            { hook: hook.name, err: err instanceof Error ? err.message : String(err) },
            'event webhook failed',
          );
        }
      }
    });
    this.#chains.set(key, next);
    void next.then(() => {
      if (this.#chains.get(key) === next) this.#chains.delete(key);
    });
  }
}
