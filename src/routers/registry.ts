// Provider string → router. Adding a provider is one file plus one line in ROUTER_FACTORIES.
// Unlike Flagger, an unknown provider is an error (a spec problem the user must fix), never
// a silent fall back to Istio.

import { createAppMeshRouter } from './appmesh.js';
import { createAppMeshV1beta2Router } from './appmesh-v1beta2.js';
import { createApisixRouter } from './apisix.js';
import { createContourRouter } from './contour.js';
import { createGatewayApiV1Router, createGatewayApiV1beta1Router } from './gatewayapi.js';
import { createGlooRouter } from './gloo.js';
import { createIstioRouter } from './istio.js';
import { createKnativeRouter } from './knative.js';
import { createKumaRouter } from './kuma.js';
import { createLinkerdRouter } from './linkerd.js';
import { createNginxRouter } from './nginx.js';
import { createNopRouter } from './nop.js';
import { createOsmRouter } from './osm.js';
import { RouterError, type Router } from './router.js';
import { createSkipperRouter } from './skipper.js';
import { createSmiRouterFor } from './smi.js';
import { createTraefikRouter } from './traefik.js';

/** Gets the full provider string, so `smi:v1alpha2:<mesh>` can read its mesh. */
export type RouterFactory = (provider: string) => Router;

export const ROUTER_FACTORIES = {
  kubernetes: createNopRouter,
  istio: createIstioRouter,
  linkerd: createLinkerdRouter,
  'smi:v1alpha1:*': createSmiRouterFor,
  'smi:v1alpha2:*': createSmiRouterFor,
  'smi:v1alpha3:*': createSmiRouterFor,
  osm: createOsmRouter,
  kuma: createKumaRouter,
  appmesh: createAppMeshRouter,
  'appmesh:v1beta2': createAppMeshV1beta2Router,
  knative: createKnativeRouter,
  'gatewayapi:v1': createGatewayApiV1Router,
  'gatewayapi:v1beta1': createGatewayApiV1beta1Router,
  traefik: createTraefikRouter,
  skipper: createSkipperRouter,
  contour: createContourRouter,
  nginx: createNginxRouter,
  'gloo*': createGlooRouter,
  apisix: createApisixRouter,
} as const satisfies Record<string, RouterFactory>;

export type RouterProvider = keyof typeof ROUTER_FACTORIES;

export function isRouterProvider(provider: string): provider is RouterProvider {
  return Object.hasOwn(ROUTER_FACTORIES, provider);
}

/** The providers this build supports, for validation messages. */
export const routerProviders = (): RouterProvider[] => Object.keys(ROUTER_FACTORIES).filter(isRouterProvider);

const cache = new Map<string, Router>();

/** The registry key serving `provider`: itself, or a `<prefix>*` family such as `smi:v1alpha2:*`. */
function registryKey(provider: string): RouterProvider | undefined {
  if (isRouterProvider(provider)) return provider;
  return routerProviders().find((k) => k.endsWith('*') && provider.startsWith(k.slice(0, -1)));
}

/** The router for a provider string (spec.provider or -mesh-provider). Throws RouterError('InvalidSpec'). */
export function routerFor(provider: string): Router {
  const key = registryKey(provider);
  if (key === undefined) {
    throw new RouterError(
      'InvalidSpec',
      `unsupported provider "${provider}"; supported: ${routerProviders().join(', ')}`,
    );
  }
  let router = cache.get(provider);
  if (router === undefined) {
    router = ROUTER_FACTORIES[key](provider);
    cache.set(provider, router);
  }
  return router;
}
