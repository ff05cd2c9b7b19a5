// Webhook request bodies, as Flagger sends them (behaviour spec §2.6). Pure: the time
// of an event is an input, so payloads are deterministic and testable.
import { createHash } from 'node:crypto';
import type { Canary, CanaryWebhook } from '../api/canary.js';
import { canaryNamespace } from '../api/defaults.js';
import type { CanaryPhase } from '../api/status.js';

/** JSON body of every webhook call. */
export interface WebhookPayload {
  readonly name: string;
  readonly namespace: string;
  readonly phase: CanaryPhase;
  /** canaryChecksum(status): lets a hook tell one revision (and config set) from another. */
  readonly checksum: string;
  /** The hook's metadata; omitted when empty, like Flagger's `omitempty`. */
  readonly metadata?: Readonly<Record<string, string>>;
}

/** The status fields the checksum covers. */
export interface ChecksumInput {
  readonly trackedConfigs?: Readonly<Record<string, string>> | undefined;
  readonly lastAppliedSpec?: string | undefined;
}

/** JSON with object keys sorted, so equal inputs hash equally whatever their key order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Hash of {trackedConfigs, lastAppliedSpec}: it changes when the target's spec or a
 * tracked ConfigMap/Secret changes. Not byte-compatible with Flagger's value (which hooks
 * only compare, never parse); an absent trackedConfigs counts as empty.
 */
export function canaryChecksum(status: ChecksumInput | undefined): string {
  const input = {
    trackedConfigs: status?.trackedConfigs ?? {},
    lastAppliedSpec: status?.lastAppliedSpec ?? '',
  };
  return createHash('sha256').update(canonicalJson(input)).digest('hex').slice(0, 16);
}

function withMetadata(
  base: Omit<WebhookPayload, 'metadata'>,
  metadata: Readonly<Record<string, string>>,
): WebhookPayload {
  return Object.keys(metadata).length > 0 ? { ...base, metadata } : base;
}

/**
 * Payload of a gate or test hook. `phase` defaults to the canary's status phase; the
 * caller passes it explicitly where Flagger reports another (see the §2.6 table).
 */
export function webhookPayload(canary: Canary, hook: CanaryWebhook, phase?: CanaryPhase): WebhookPayload {
  return withMetadata(
    {
      name: canary.metadata.name,
      namespace: canaryNamespace(canary),
      phase: phase ?? canary.status?.phase ?? '',
      checksum: canaryChecksum(canary.status),
    },
    hook.metadata ?? {},
  );
}

export type EventWebhookType = 'Normal' | 'Warning';

export interface EventInfo {
  readonly message: string;
  /** Error-level events are sent as Warning, as Flagger does. */
  readonly eventType: EventWebhookType;
  /** When the event happened, Unix milliseconds. */
  readonly timeMs: number;
  /** The phase to report; Flagger reports the *new* phase for a few events. */
  readonly phase?: CanaryPhase | undefined;
}

/**
 * Payload of an `event` hook: metadata carries eventMessage, eventType and timestamp
 * (Unix ms as a string); the hook's own metadata is added without overwriting them.
 */
export function eventWebhookPayload(canary: Canary, hook: CanaryWebhook, event: EventInfo): WebhookPayload {
  const metadata: Record<string, string> = {
    eventMessage: event.message,
    eventType: event.eventType,
    timestamp: String(Math.trunc(event.timeMs)),
  };
  for (const [k, v] of Object.entries(hook.metadata ?? {})) {
    if (!Object.prototype.hasOwnProperty.call(metadata, k)) metadata[k] = v;
  }
  return withMetadata(
    {
      name: canary.metadata.name,
      namespace: canaryNamespace(canary),
      phase: event.phase ?? canary.status?.phase ?? '',
      checksum: canaryChecksum(canary.status),
    },
    metadata,
  );
}

/** Name Flagger gives the operator-wide event webhook (-event-webhook / EVENT_WEBHOOK_URL). */
export const GLOBAL_EVENT_WEBHOOK_NAME = 'events';

/**
 * The hooks that receive a canary's events: its own `event` hooks if it has any (they
 * replace the global one), otherwise the global URL when configured.
 */
export function eventWebhooksFor(canary: Canary, globalUrl?: string): CanaryWebhook[] {
  const own = (canary.spec.analysis.webhooks ?? []).filter((h) => h.type === 'event');
  if (own.length > 0) return own;
  return globalUrl ? [{ name: GLOBAL_EVENT_WEBHOOK_NAME, type: 'event', url: globalUrl }] : [];
}
