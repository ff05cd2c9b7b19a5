// What the lane started inside its network namespace, handed to the lane's test files
// through a JSON file named by FLAGGER_TS_LANE_STATE.
import { readFileSync } from 'node:fs';

/** A router the lane runs; `error` says why it is not running (tests that need it fail with it). */
export interface LaneRouter {
  /** Where clients send requests (http://host:port). */
  readonly url?: string;
  /** The listener port as Gateway listeners and Host routing must name it. */
  readonly port?: number;
  /** The router's admin/API base URL, to see the configuration it applied. */
  readonly adminUrl?: string;
  readonly log?: string;
  readonly error?: string;
}

export interface LaneState {
  readonly clusterDir: string;
  readonly routers: Readonly<Record<string, LaneRouter>>;
  /** The Gateway (served by Traefik) that gatewayapi canaries attach to. */
  readonly gateway?: { readonly name: string; readonly namespace: string; readonly port: number };
}

export const LANE_STATE_ENV = 'FLAGGER_TS_LANE_STATE';

/**
 * The lane's state. Throws outside the lane, so a lane test file run on its own (in the
 * host's network namespace) never sends traffic to pod addresses there.
 */
export function laneState(): LaneState {
  const file = process.env[LANE_STATE_ENV];
  if (!file) {
    throw new Error(
      `${LANE_STATE_ENV} is not set: lane tests run only inside the lane (node --test dist/test/integration/traffic/lane.test.js)`,
    );
  }
  return JSON.parse(readFileSync(file, 'utf8')) as LaneState;
}

/** The router's entry, or an error that says why the lane has none. */
export function laneRouter(name: string): Required<Pick<LaneRouter, 'url' | 'port'>> & LaneRouter {
  const r = laneState().routers[name];
  if (r?.url === undefined || r.port === undefined) {
    throw new Error(`router ${name} is not running in the lane: ${r?.error ?? 'not started'}`);
  }
  return { ...r, url: r.url, port: r.port };
}
