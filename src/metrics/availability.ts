// Init-time check that every metrics backend a canary uses answers (Flagger's
// checkMetricProviderAvailability). Flagger only records the outcome as an event
// ("all the metrics providers are available!" or "Error checking metric providers: …");
// it never blocks initialization, so this returns a result instead of throwing.
import type { Canary } from '../api/canary.js';
import { redactUrl } from '../webhooks/http.js';
import { usesBuiltinQuery } from './analysis.js';
import { observerFor } from './observers/registry.js';
import type { MetricProvider } from './providers/provider.js';
import { type MetricCheckDeps, RunContext, errText, isFailure } from './run-context.js';

export const PROVIDERS_AVAILABLE_MESSAGE = 'all the metrics providers are available!';

export type AvailabilityResult =
  | { readonly available: true; readonly message: typeof PROVIDERS_AVAILABLE_MESSAGE }
  | { readonly available: false; readonly message: string };

async function online(ctx: RunContext, provider: MetricProvider): Promise<string | undefined> {
  try {
    return (await provider.isOnline(ctx.deps.signal)) ? undefined : 'vector(1) did not return 1';
  } catch (err) {
    if (ctx.deps.signal?.aborted === true) throw err;
    return errText(err);
  }
}

/**
 * Checks the Prometheus server of the builtin metrics (once, whatever the number of
 * builtin metrics) and the provider of every template metric. Inline `query` metrics are
 * not checked, as in Flagger. Unlike Flagger, a provider without a builtin-metrics
 * observer is reported here, at init, instead of on the first analysis run.
 */
export async function checkProvidersAvailable(
  canary: Canary,
  deps: MetricCheckDeps,
): Promise<AvailabilityResult> {
  const ctx = new RunContext(canary, deps);
  const unavailable = (message: string): AvailabilityResult => ({ available: false, message });
  let builtinChecked = false;
  for (const metric of canary.spec.analysis.metrics ?? []) {
    if (usesBuiltinQuery(metric)) {
      if (builtinChecked) continue;
      builtinChecked = true;
      try {
        observerFor(ctx.metricsProvider);
      } catch (err) {
        return unavailable(errText(err));
      }
      const provider = ctx.builtinProvider();
      if (isFailure(provider)) return unavailable(provider.message);
      const problem = await online(ctx, provider);
      if (problem !== undefined) {
        return unavailable(`prometheus at ${redactUrl(ctx.builtinAddress)} not available: ${problem}`);
      }
    } else if (metric.templateRef) {
      const resolved = await ctx.templateProvider(metric, metric.templateRef.name);
      if (isFailure(resolved)) return unavailable(resolved.message);
      const problem = await online(ctx, resolved.provider);
      if (problem !== undefined) {
        const { type } = resolved.template.spec.provider;
        // Flagger's wording: "<type> in metric template <name>.<ns> not available: …"
        const where = resolved.where.replace(/^Metric template/, 'metric template');
        return unavailable(`${type} in ${where} not available: ${problem}`);
      }
    }
  }
  return { available: true, message: PROVIDERS_AVAILABLE_MESSAGE };
}
