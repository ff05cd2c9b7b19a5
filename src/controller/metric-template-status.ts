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
import { ReadyConditionLoop } from './ready-condition.js';

export { READY } from './ready-condition.js';

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

export interface StatusLoopOptions extends HealthDeps {
  readonly list: () => readonly KubeObject[];
  readonly logger: Logger;
  readonly now?: () => Date;
  /** How often the cache is looked at for changed templates (default 2 s). */
  readonly pollMs?: number;
  /** How often an unchanged template is checked again (default 60 s). */
  readonly recheckMs?: number;
}

/** Keeps every cached MetricTemplate's `Ready` condition current (see ready-condition.ts). */
export class MetricTemplateStatusLoop extends ReadyConditionLoop {
  constructor(o: StatusLoopOptions) {
    super({ ...o, kind: 'MetricTemplate', check: (raw, signal) => templateHealth(raw, { ...o, signal }) });
  }
}
