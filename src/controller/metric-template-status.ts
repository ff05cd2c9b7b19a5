// MetricTemplate health, written to the template's own status (Flagger defines the
// conditions but never writes them): condition `Ready` is True with reason
// ProviderOnline when the provider answers IsOnline, False with reason InvalidTemplate
// when the template cannot be used at all (schema, unknown type, missing address/region
// or secret key), and False with reason ProviderUnreachable and the last error otherwise.
// Canaries are not blocked by this: their checks report their own failures.
//
// Templates are re-checked when they change (seen in the informer cache) and every
// `recheckMs`; each check is bounded by the provider's timeout, and templates are checked
// one at a time so a hanging provider costs one timeout, not a pile-up.
import type { Canary } from '../api/canary.js';
import { templateNamespace } from '../api/defaults.js';
import { validateMetricTemplate } from '../api/validate.js';
import type { KubeClient } from '../kube/client.js';
import { readSecretData } from '../kube/secrets.js';
import type { KubeObject } from '../kube/types.js';
import { ProviderConfigError } from '../metrics/providers/provider.js';
import { type KubeAccess, createMetricProvider } from '../metrics/providers/registry.js';
import type { Logger } from '../telemetry/logger.js';

export const READY = 'Ready';

export interface TemplateHealth {
  readonly status: 'True' | 'False';
  readonly reason: 'ProviderOnline' | 'InvalidTemplate' | 'ProviderUnreachable';
  readonly message: string;
}

const errText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/**
 * What makes a stored template unusable whatever its Secret holds, or undefined. Used for
 * the template's status and to mark a Canary that references it as InvalidSpec.
 */
export function staticTemplateProblem(raw: KubeObject, kube?: KubeAccess): string | undefined {
  const v = validateMetricTemplate(raw);
  if (!v.ok) return v.errors.map((e) => e.message).join('; ');
  const { provider } = v.template.spec;
  // With a secretRef the credentials are only known at query time; without one, building
  // the provider shows every missing setting now.
  if (provider.secretRef !== undefined) return undefined;
  try {
    createMetricProvider({ provider, kube });
    return undefined;
  } catch (err) {
    return err instanceof ProviderConfigError ? errText(err) : undefined;
  }
}

/**
 * The first metric whose MetricTemplate exists but can never work, as an InvalidSpec
 * message naming the field; a template not yet created is not a spec error (the checks
 * report it, as in Flagger).
 */
export function canaryTemplateProblem(
  canary: Canary,
  lookup: (namespace: string, name: string) => KubeObject | undefined,
  kube?: KubeAccess,
): string | undefined {
  const metrics = canary.spec.analysis.metrics ?? [];
  for (const [i, m] of metrics.entries()) {
    if (m.templateRef === undefined) continue;
    const ns = templateNamespace(canary, m);
    const raw = lookup(ns, m.templateRef.name);
    const problem = raw === undefined ? undefined : staticTemplateProblem(raw, kube);
    if (problem !== undefined) {
      return `spec.analysis.metrics[${i}].templateRef: MetricTemplate ${ns}/${m.templateRef.name} is invalid: ${problem}`;
    }
  }
  return undefined;
}

export interface HealthDeps {
  readonly client: KubeClient;
  readonly kube?: KubeAccess | undefined;
  readonly timeoutMs?: number | undefined;
  readonly signal?: AbortSignal | undefined;
}

export async function templateHealth(raw: KubeObject, deps: HealthDeps): Promise<TemplateHealth> {
  const invalid = (message: string): TemplateHealth => ({
    status: 'False',
    reason: 'InvalidTemplate',
    message,
  });
  const v = validateMetricTemplate(raw);
  if (!v.ok) return invalid(v.errors.map((e) => e.message).join('; '));
  const { provider } = v.template.spec;
  const ns = raw.metadata.namespace ?? '';
  let credentials: Readonly<Record<string, string>> | undefined;
  if (provider.secretRef !== undefined) {
    try {
      credentials = await readSecretData(deps.client, ns, provider.secretRef.name, deps.signal);
    } catch (err) {
      return {
        status: 'False',
        reason: 'ProviderUnreachable',
        message: `secret ${provider.secretRef.name}: ${errText(err)}`,
      };
    }
    if (credentials === undefined) return invalid(`secret ${provider.secretRef.name} not found`);
  }
  let p;
  try {
    p = createMetricProvider({ provider, credentials, kube: deps.kube, timeoutMs: deps.timeoutMs });
  } catch (err) {
    return invalid(errText(err));
  }
  try {
    const online = await p.isOnline(deps.signal);
    return online
      ? { status: 'True', reason: 'ProviderOnline', message: `${provider.type} provider is online` }
      : {
          status: 'False',
          reason: 'ProviderUnreachable',
          message: `${provider.type} provider is not online`,
        };
  } catch (err) {
    if (deps.signal?.aborted === true) throw err;
    return { status: 'False', reason: 'ProviderUnreachable', message: errText(err) };
  }
}

interface Condition {
  type?: unknown;
  status?: unknown;
  reason?: unknown;
  message?: unknown;
  lastTransitionTime?: unknown;
}

export interface StatusLoopOptions extends HealthDeps {
  readonly list: () => readonly KubeObject[];
  readonly logger: Logger;
  readonly now?: () => Date;
  /** How often the cache is looked at for changed templates (default 2 s). */
  readonly pollMs?: number;
  /** How often an unchanged template is checked again (default 60 s). */
  readonly recheckMs?: number;
}

/** Keeps every cached MetricTemplate's `Ready` condition current. */
export class MetricTemplateStatusLoop {
  readonly #o: StatusLoopOptions;
  readonly #seen = new Map<string, { rv: string; at: number }>();
  readonly #abort = new AbortController();
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;

  constructor(o: StatusLoopOptions) {
    this.#o = o;
  }

  start(): void {
    const tick = (): void => {
      this.#running = this.#pass()
        .catch((err: unknown) => {
          this.#o.logger.warn({ err: errText(err) }, 'metric template status check failed');
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
      const rv = raw.metadata.resourceVersion ?? '';
      const last = this.#seen.get(key);
      // Our own status write changes the resourceVersion too; the generation does not.
      const version = String(raw.metadata.generation ?? rv);
      if (last !== undefined && last.rv === version && now - last.at < (this.#o.recheckMs ?? 60_000))
        continue;
      this.#seen.set(key, { rv: version, at: now });
      const health = await templateHealth(raw, { ...this.#o, signal: this.#abort.signal });
      await this.#write(raw, health);
    }
  }

  async #write(raw: KubeObject, h: TemplateHealth): Promise<void> {
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
        kind: 'MetricTemplate',
        namespace: raw.metadata.namespace,
        name: raw.metadata.name,
      },
      { conditions: [...others, condition] },
      { signal: this.#abort.signal },
    );
    this.#o.logger.info(
      { template: `${raw.metadata.namespace ?? ''}/${raw.metadata.name}`, ready: h.status, reason: h.reason },
      'metric template status',
    );
  }
}
