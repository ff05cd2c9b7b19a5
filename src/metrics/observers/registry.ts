// Provider string → builtin-metrics observer (behaviour spec §3.15).
//
// Flagger maps every unknown provider to Istio; here a provider without an observer is an
// UnsupportedObserverError, because Istio queries against another mesh or ingress would
// only ever report "no values found", hiding the real cause.
import { apisixObserver } from './apisix.js';
import { appMeshObserver } from './appmesh.js';
import { contourObserver } from './contour.js';
import { glooObserver } from './gloo.js';
import { httpObserver } from './http.js';
import { istioObserver } from './istio.js';
import { knativeObserver } from './knative.js';
import { kumaObserver } from './kuma.js';
import { linkerdObserver } from './linkerd.js';
import { nginxObserver } from './nginx.js';
import { osmObserver } from './osm.js';
import { type MetricsObserver, UnsupportedObserverError } from './observer.js';
import { skipperObserver } from './skipper.js';
import { traefikObserver } from './traefik.js';

/**
 * The provider whose queries the builtin checks use (Flagger's runBuiltinMetricChecks):
 * the operator's mesh provider, unless the canary sets spec.provider; a global `linkerd`
 * mesh forces linkerd, and a `crossover` mesh means crossover (Istio queries).
 *
 * A plain Service target (not a Knative one) gets ":service" appended, as in Flagger: only the
 * prefix-matched observers (appmesh*, gloo*, gatewayapi*) still match it, every other provider
 * then gets the Istio queries (observerFor).
 */
export function resolveMetricsProvider(
  specProvider: string | undefined,
  meshProvider: string,
  target?: { readonly kind: string; readonly apiVersion: string },
): string {
  let provider = meshProvider.includes('crossover') ? 'crossover' : meshProvider;
  if (specProvider) provider = meshProvider.includes('linkerd') ? 'linkerd' : specProvider;
  provider ||= 'istio';
  const plainService = target?.kind === 'Service' && !target.apiVersion.startsWith('serving.knative.dev/');
  return plainService ? `${provider}:service` : provider;
}

export function observerFor(provider: string): MetricsObserver {
  if (provider === 'istio' || provider === 'crossover' || provider.startsWith('smi:')) return istioObserver;
  if (provider === 'kubernetes' || provider.startsWith('gatewayapi')) return httpObserver;
  if (provider.startsWith('appmesh')) return appMeshObserver;
  if (provider === 'linkerd') return linkerdObserver;
  if (provider === 'osm') return osmObserver;
  if (provider === 'kuma') return kumaObserver;
  if (provider === 'knative') return knativeObserver;
  if (provider === 'contour') return contourObserver;
  if (provider.startsWith('gloo')) return glooObserver;
  if (provider === 'nginx') return nginxObserver;
  if (provider === 'skipper') return skipperObserver;
  if (provider === 'traefik') return traefikObserver;
  if (provider === 'apisix') return apisixObserver;
  // Flagger's Service-target suffix on a provider matched exactly: its default, Istio.
  if (provider.endsWith(':service')) return istioObserver;
  throw new UnsupportedObserverError(`no builtin metrics observer for unknown provider "${provider}"`);
}
