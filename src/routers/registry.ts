// Provider string → router. Adding a provider is one file plus one line in ROUTER_FACTORIES.
// Unlike Flagger, an unknown provider is an error (a spec problem the user must fix), never
// a silent fall back to Istio.

import { createIstioRouter } from './istio.js';
import { createNopRouter } from './nop.js';
import { RouterError, type Router } from './router.js';

export type RouterFactory = () => Router;

export const ROUTER_FACTORIES = {
  kubernetes: createNopRouter,
  istio: createIstioRouter,
} as const satisfies Record<string, RouterFactory>;

export type RouterProvider = keyof typeof ROUTER_FACTORIES;

export function isRouterProvider(provider: string): provider is RouterProvider {
  return Object.hasOwn(ROUTER_FACTORIES, provider);
}

/** The providers this build supports, for validation messages. */
export const routerProviders = (): RouterProvider[] => Object.keys(ROUTER_FACTORIES).filter(isRouterProvider);

const cache = new Map<RouterProvider, Router>();

/** The router for a provider string (spec.provider or -mesh-provider). Throws RouterError('InvalidSpec'). */
export function routerFor(provider: string): Router {
  if (!isRouterProvider(provider)) {
    throw new RouterError(
      'InvalidSpec',
      `unsupported provider "${provider}"; supported: ${routerProviders().join(', ')}`,
    );
  }
  let router = cache.get(provider);
  if (router === undefined) {
    router = ROUTER_FACTORIES[provider]();
    cache.set(provider, router);
  }
  return router;
}
