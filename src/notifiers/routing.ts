// Which notifiers receive an alert (§2.15), and with which configuration.
//
// - No analysis.alerts: the global notifier, whatever the severity.
// - Otherwise each alert whose severity admits the message: info receives everything,
//   warn receives warn and error, error receives error. An EMPTY severity counts as info
//   (Flagger documents this but its code matches nothing; we follow the documentation).
// - The AlertProvider is looked up in providerRef.namespace, else the canary's namespace.
//   With a secretRef, the Secret (same namespace) must hold `address` (overrides
//   spec.address) and may hold `token` and `proxy` (overrides spec.proxy).
// A provider that cannot be used (missing, invalid, Secret without address) becomes a
// problem for that alert only; the other alerts are still sent.
import type { AlertProviderType } from '../api/alert-provider.js';
import { alertChannel, alertUsername } from '../api/alert-provider.js';
import type { Canary, CanaryAlert } from '../api/canary.js';
import { alertProviderNamespace } from '../api/defaults.js';
import { validateAlertProvider } from '../api/validate.js';
import { createNotifier } from './factory.js';
import { NotifierError, type AlertField, type AlertSeverity, type Notifier } from './notifier.js';

/** Where providers and secrets come from; the shell backs it with its caches and client. */
export interface AlertResolver {
  /**
   * The AlertProvider object as stored (validated here) or undefined when it does not exist.
   * May return the object directly (an informer cache) or a promise.
   */
  getAlertProvider(namespace: string, name: string, signal: AbortSignal): unknown;
  /** A Secret's data, base64-decoded; undefined when the Secret does not exist. */
  getSecretData(
    namespace: string,
    name: string,
    signal: AbortSignal,
  ): Promise<Readonly<Record<string, string>> | undefined>;
}

/** A notifier selected for one alert. */
export interface AlertTarget {
  readonly notifier: Notifier;
  /** For logs: "global", or "alert <name> (AlertProvider <ns>/<name>)". Never the address. */
  readonly label: string;
  readonly messageTemplate?: string | undefined;
}

/** An alert whose provider could not be used. */
export interface RoutingProblem {
  readonly label: string;
  /** The provider type when known, for the metric label. */
  readonly provider: AlertProviderType | 'unknown';
  readonly error: string;
}

export interface AlertSelection {
  readonly targets: readonly AlertTarget[];
  readonly problems: readonly RoutingProblem[];
}

export interface RoutingContext {
  readonly resolver: AlertResolver;
  /** The global notifier built from the operator flags (createGlobalNotifier). */
  readonly global?: Notifier | undefined;
  readonly timeoutMs?: number | undefined;
  readonly signal: AbortSignal;
}

const RANK: Readonly<Record<AlertSeverity, number>> = { info: 0, warn: 1, error: 2 };

/** Whether an alert configured with `configured` severity receives a `severity` message. */
export function alertReceives(configured: CanaryAlert['severity'], severity: AlertSeverity): boolean {
  const min = configured === undefined || configured === '' ? 'info' : configured;
  return RANK[severity] >= RANK[min];
}

/** Adds the `Cluster` field first when a cluster name is set and the core has not added it. */
export function withClusterField(
  fields: readonly AlertField[],
  clusterName: string | undefined,
): AlertField[] {
  if (!clusterName || fields.some((f) => f.name === 'Cluster')) return [...fields];
  return [{ name: 'Cluster', value: clusterName }, ...fields];
}

export class RoutingError extends Error {
  readonly provider: AlertProviderType | 'unknown';
  constructor(message: string, provider: AlertProviderType | 'unknown' = 'unknown') {
    super(message);
    this.provider = provider;
  }
}

async function resolveTarget(canary: Canary, alert: CanaryAlert, ctx: RoutingContext): Promise<AlertTarget> {
  const ns = alertProviderNamespace(canary, alert);
  const ref = `AlertProvider ${ns}/${alert.providerRef.name}`;
  const label = `alert ${alert.name} (${ref})`;
  const raw: unknown = await Promise.resolve(
    ctx.resolver.getAlertProvider(ns, alert.providerRef.name, ctx.signal),
  );
  if (raw === undefined || raw === null) throw new RoutingError(`${ref} not found`);
  return { label, ...(await providerNotifier(raw, ns, ref, ctx)) };
}

/**
 * The notifier a stored AlertProvider yields, or a RoutingError saying why it cannot be
 * used (never quoting the address). Alert routing and the AlertProvider's own Ready
 * condition both go through here, so the condition says exactly what routing would do.
 */
export async function providerNotifier(
  raw: unknown,
  ns: string,
  ref: string,
  ctx: Pick<RoutingContext, 'resolver' | 'timeoutMs' | 'signal'>,
): Promise<Omit<AlertTarget, 'label'>> {
  const v = validateAlertProvider(raw);
  // Field paths only: validation messages may quote the address, which can hold a secret.
  if (!v.ok) throw new RoutingError(`${ref} is invalid (${v.errors.map((e) => e.field).join(', ')})`);
  const spec = v.provider.spec;
  let address = spec.address;
  let token: string | undefined;
  let proxy = spec.proxy;
  if (spec.secretRef) {
    const secret = `Secret ${ns}/${spec.secretRef.name}`;
    const data = await ctx.resolver.getSecretData(ns, spec.secretRef.name, ctx.signal);
    if (!data) throw new RoutingError(`${secret} referenced by ${ref} not found`, spec.type);
    if (!data['address']) throw new RoutingError(`${secret} has no "address" key`, spec.type);
    address = data['address'];
    token = data['token'] || undefined;
    proxy = data['proxy'] || proxy;
  }
  if (!address) throw new RoutingError(`${ref} has no address`, spec.type);
  try {
    const notifier = createNotifier({
      type: spec.type,
      url: address,
      token,
      channel: alertChannel(spec),
      username: alertUsername(spec),
      proxy,
      timeoutMs: ctx.timeoutMs,
    });
    return { notifier, messageTemplate: spec.messageTemplate };
  } catch (err) {
    const message = err instanceof NotifierError ? err.message : 'invalid configuration';
    throw new RoutingError(`${ref}: ${message}`, spec.type);
  }
}

/** The notifiers for one alert of `severity` about `canary`. Never throws. */
export async function selectNotifiers(
  canary: Canary,
  severity: AlertSeverity,
  ctx: RoutingContext,
): Promise<AlertSelection> {
  const alerts = canary.spec.analysis.alerts ?? [];
  if (alerts.length === 0) {
    return { targets: ctx.global ? [{ notifier: ctx.global, label: 'global' }] : [], problems: [] };
  }
  const chosen = alerts.filter((a) => alertReceives(a.severity, severity));
  const settled = await Promise.allSettled(chosen.map((a) => resolveTarget(canary, a, ctx)));
  const targets: AlertTarget[] = [];
  const problems: RoutingProblem[] = [];
  settled.forEach((r, i) => {
    if (r.status === 'fulfilled') {
      targets.push(r.value);
      return;
    }
    const a = chosen[i];
    const label = a ? `alert ${a.name}` : 'alert';
    const err: unknown = r.reason;
    problems.push({
      label,
      provider: err instanceof RoutingError ? err.provider : 'unknown',
      error: err instanceof Error ? err.message : String(err),
    });
  });
  return { targets, problems };
}
