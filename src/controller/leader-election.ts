// Leader election on a coordination.k8s.io Lease, so two replicas can run and
// only one reconciles. Expiry is judged by when *we* last saw the record change
// (as client-go does), not by the holder's clock, so clock skew cannot steal a lease.
import type { KubeClient } from '../kube/client.js';
import { isConflict } from '../kube/errors.js';
import type { KubeObject } from '../kube/types.js';

export interface LeaderElectionOptions {
  readonly client: KubeClient;
  readonly namespace: string;
  readonly name: string;
  readonly identity: string;
  readonly leaseDurationMs: number;
  readonly renewDeadlineMs: number;
  readonly retryPeriodMs: number;
  readonly onStartedLeading: () => void;
  /** Called once when a held lease could not be renewed in time; the process should stop reconciling. */
  readonly onStoppedLeading: () => void;
  readonly onError?: (err: unknown) => void;
}

interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

/** Lease times are MicroTime: RFC 3339 with microseconds. */
const microTime = (d: Date): string => d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

export class LeaderElector {
  readonly #o: LeaderElectionOptions;
  #observed: { record: string; at: number } | undefined;
  #leading = false;
  #lastRenew = 0;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(options: LeaderElectionOptions) {
    this.#o = options;
  }

  get isLeader(): boolean {
    return this.#leading;
  }

  start(): void {
    void this.#tick();
  }

  /** Stops campaigning; a held lease is released so a standby takes over at once. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    if (!this.#leading) return;
    this.#leading = false;
    const lease = await this.#o.client.get(this.#ref()).catch(() => undefined);
    const spec = lease ? specOf(lease) : undefined;
    if (lease && spec?.holderIdentity === this.#o.identity) {
      await this.#o.client
        .replace({ ...lease, spec: { ...spec, holderIdentity: '', leaseDurationSeconds: 1 } })
        .catch(() => undefined);
    }
  }

  #ref(): { apiVersion: string; kind: string; namespace: string; name: string } {
    return {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      namespace: this.#o.namespace,
      name: this.#o.name,
    };
  }

  async #tick(): Promise<void> {
    if (this.#stopped) return;
    try {
      const held = await this.#tryAcquireOrRenew();
      if (held) {
        this.#lastRenew = Date.now();
        if (!this.#leading) {
          this.#leading = true;
          this.#o.onStartedLeading();
        }
      }
    } catch (err) {
      this.#o.onError?.(err);
    }
    if (this.#leading && Date.now() - this.#lastRenew > this.#o.renewDeadlineMs) {
      this.#leading = false;
      this.#o.onStoppedLeading();
    }
    // stop() may have run during the awaits above.
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition
    if (!this.#stopped) {
      this.#timer = setTimeout(() => void this.#tick(), this.#o.retryPeriodMs);
      this.#timer.unref();
    }
  }

  async #tryAcquireOrRenew(): Promise<boolean> {
    const now = new Date();
    const desired: LeaseSpec = {
      holderIdentity: this.#o.identity,
      leaseDurationSeconds: Math.ceil(this.#o.leaseDurationMs / 1000),
      renewTime: microTime(now),
    };
    const lease = await this.#o.client.get(this.#ref());
    if (!lease) {
      await this.#o.client.create({
        ...this.#ref(),
        metadata: { name: this.#o.name, namespace: this.#o.namespace },
        spec: { ...desired, acquireTime: microTime(now), leaseTransitions: 0 },
      });
      return true;
    }
    const spec = specOf(lease);
    const record = JSON.stringify([spec.holderIdentity, spec.renewTime]);
    if (this.#observed?.record !== record) this.#observed = { record, at: Date.now() };
    const holder = spec.holderIdentity ?? '';
    const expired = Date.now() - this.#observed.at > (spec.leaseDurationSeconds ?? 0) * 1000;
    if (holder !== '' && holder !== this.#o.identity && !expired) return false;
    const takeover = holder !== this.#o.identity;
    const next: LeaseSpec = {
      ...spec,
      ...desired,
      acquireTime: takeover ? microTime(now) : (spec.acquireTime ?? microTime(now)),
      leaseTransitions: (spec.leaseTransitions ?? 0) + (takeover && holder !== '' ? 1 : 0),
    };
    try {
      await this.#o.client.replace({ ...lease, spec: next });
      return true;
    } catch (err) {
      if (isConflict(err)) return false; // someone else wrote first; try again next period
      throw err;
    }
  }
}

function specOf(lease: KubeObject): LeaseSpec {
  const s = lease['spec'];
  return typeof s === 'object' && s !== null ? s : {};
}
