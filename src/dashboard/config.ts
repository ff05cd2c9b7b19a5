// How a dashboard server is set up; the CLI (src/cli/dashboard-command.ts) and the
// tests build this. `kubeconfig` mode: one user, the local kubeconfig's. `token` mode
// (in-cluster): every user logs in with their own bearer token.
import type { KubeConfig } from '@kubernetes/client-node';
import type { Logger } from '../telemetry/logger.js';
import type { RateLimit } from './rate-limit.js';

export type AuthMode = 'kubeconfig' | 'token';

export interface DashboardConfig {
  readonly mode: AuthMode;
  /**
   * The dashboard's own identity: validates tokens (TokenReview) and writes the audit
   * Events. In kubeconfig mode it is the user's kubeconfig. It never reads canaries for a user.
   */
  readonly serverKubeConfig: KubeConfig;
  readonly listenAddress: string;
  readonly port: number;
  /** PEM certificate and key: HTTPS, and the session cookie gets `Secure`. */
  readonly tls: { readonly cert: string; readonly key: string } | undefined;
  /** `Secure` cookies even without TLS here (TLS terminated by an ingress in front). */
  readonly secureCookies: boolean;
  readonly readOnly: boolean;
  /** Namespaces to offer; empty = those the user (or else the dashboard) can list. */
  readonly namespaces: readonly string[];
  /** Host headers to answer to; empty = any. Loopback servers answer to their own address only. */
  readonly allowedHosts: readonly string[];
  readonly actionLimit: RateLimit;
  readonly loginLimit: RateLimit;
  readonly sessionIdleMs: number;
  readonly sessionMaxMs: number;
  readonly logger: Logger;
}

export const DEFAULTS = {
  actionLimit: { burst: 5, refillMs: 12_000 },
  loginLimit: { burst: 10, refillMs: 6_000 },
  sessionIdleMs: 30 * 60_000,
  sessionMaxMs: 8 * 3600_000,
} as const;
