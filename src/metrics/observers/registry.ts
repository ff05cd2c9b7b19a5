// Provider string → builtin-metrics observer (behaviour spec §3.15).
//
// Only Istio and the generic HTTP observer exist so far. Flagger maps every unknown
// provider to Istio; here a provider without an observer is an UnsupportedObserverError,
// because Istio queries against a Linkerd or NGINX setup would only ever report
// "no values found", hiding the real cause.
import { appMeshObserver } from './appmesh.js';
import { httpObserver } from './http.js';
import { istioObserver } from './istio.js';
import { knativeObserver } from './knative.js';
import { kumaObserver } from './kuma.js';
import { linkerdObserver } from './linkerd.js';
import { osmObserver } from './osm.js';
import { type MetricsObserver, UnsupportedObserverError } from './observer.js';

/** Flagger providers that have their own observer there, not yet ported here. */
const NOT_YET_PORTED = ['contour', 'gloo', 'nginx', 'skipper', 'traefik', 'apisix'];

/**
 * The provider whose queries the builtin checks use (Flagger's runBuiltinMetricChecks):
 * the operator's mesh provider, unless the canary sets spec.provider; a global `linkerd`
 * mesh forces linkerd, and a `crossover` mesh means crossover (Istio queries).
 *
 * Not reproduced: Flagger appends ":service" for Service targets, which makes every
 * provider except appmesh/gloo/gatewayapi fall back to Istio queries by accident.
 */
export function resolveMetricsProvider(specProvider: string | undefined, meshProvider: string): string {
  let provider = meshProvider.includes('crossover') ? 'crossover' : meshProvider;
  if (specProvider) provider = meshProvider.includes('linkerd') ? 'linkerd' : specProvider;
  return provider || 'istio';
}

export function observerFor(provider: string): MetricsObserver {
  if (provider === 'istio' || provider === 'crossover' || provider.startsWith('smi:')) return istioObserver;
  if (provider === 'kubernetes' || provider.startsWith('gatewayapi')) return httpObserver;
  if (provider.startsWith('appmesh')) return appMeshObserver;
  if (provider === 'linkerd') return linkerdObserver;
  if (provider === 'osm') return osmObserver;
  if (provider === 'kuma') return kumaObserver;
  if (provider === 'knative') return knativeObserver;
  if (NOT_YET_PORTED.some((p) => provider === p || provider.startsWith(`${p}:`))) {
    throw new UnsupportedObserverError(`builtin metrics for provider ${provider} are not supported yet`);
  }
  throw new UnsupportedObserverError(`no builtin metrics observer for unknown provider "${provider}"`);
}
