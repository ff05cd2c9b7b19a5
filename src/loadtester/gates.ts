// Manual gates (behaviour spec §7): in-memory flags keyed `<name>.<namespace>` for
// /gate/* and `rollback.<name>.<namespace>` for /rollback/*. Gates start closed.
import type { Reply } from './http-io.js';
import type { LoadtesterMetrics } from './metrics.js';
import { type LoadtesterPayload, canaryKey } from './payload.js';

/** Bounds memory: beyond this many gates, checking an unknown gate no longer records it. */
export const MAX_GATES = 10_000;

export class GateStore {
  readonly #gates = new Map<string, boolean>();
  readonly #metrics: LoadtesterMetrics | undefined;

  constructor(metrics?: LoadtesterMetrics) {
    this.#metrics = metrics;
  }

  /** Whether the gate is open; an unknown gate is created closed. */
  isOpen(key: string): boolean {
    const state = this.#gates.get(key);
    if (state !== undefined) return state;
    if (this.#gates.size < MAX_GATES) this.#set(key, false);
    return false;
  }

  open(key: string): void {
    this.#set(key, true);
  }

  close(key: string): void {
    this.#set(key, false);
  }

  get size(): number {
    return this.#gates.size;
  }

  #set(key: string, open: boolean): void {
    this.#gates.set(key, open);
    this.#metrics?.gateOpen.set({ gate: key }, open ? 1 : 0);
  }
}

export type GateAction = 'check' | 'open' | 'close';

export interface GateRoute {
  readonly keyPrefix: '' | 'rollback.';
  readonly action: GateAction;
}

const ROUTES: ReadonlyMap<string, GateRoute> = new Map([
  ['/gate/check', { keyPrefix: '', action: 'check' }],
  ['/gate/open', { keyPrefix: '', action: 'open' }],
  ['/gate/close', { keyPrefix: '', action: 'close' }],
  ['/rollback/check', { keyPrefix: 'rollback.', action: 'check' }],
  ['/rollback/open', { keyPrefix: 'rollback.', action: 'open' }],
  ['/rollback/close', { keyPrefix: 'rollback.', action: 'close' }],
]);

/** The payload-reading gate endpoints (not /gate/approve and /gate/halt). */
export function gateRoute(pathname: string): GateRoute | undefined {
  return ROUTES.get(pathname);
}

/** Applies a gate endpoint to an already validated and authorised payload. */
export function applyGate(route: GateRoute, store: GateStore, payload: LoadtesterPayload): Reply {
  const key = `${route.keyPrefix}${canaryKey(payload)}`;
  switch (route.action) {
    case 'check':
      return store.isOpen(key) ? { status: 200, body: 'Approved' } : { status: 403, body: 'Forbidden' };
    case 'open':
      store.open(key);
      return { status: 202 };
    case 'close':
      store.close(key);
      return { status: 202 };
  }
}
