// The informer caches the controller reads from, and the mapping from a changed
// object to the Canary keys that must be reconciled because of it.
import type { KubeConfig } from '@kubernetes/client-node';
import type { KubeObject } from '../kube/types.js';
import { userRequestInformer } from './user-requests.js';
import { Informer, type ChangeType } from './informer.js';

export interface CacheOptions {
  /** '' watches all namespaces (Flagger's -namespace). */
  readonly namespace: string;
  readonly enqueue: (canaryKey: string) => void;
  readonly onError: (what: string, err: unknown) => void;
}

export const canaryKey = (namespace: string, name: string): string => `${namespace}/${name}`;

function collectionPath(group: string, version: string, plural: string, namespace: string): string {
  const base = group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
  return namespace === '' ? `${base}/${plural}` : `${base}/namespaces/${namespace}/${plural}`;
}

function targetOf(canary: KubeObject): { kind: string; name: string } | undefined {
  const spec = canary['spec'];
  if (typeof spec !== 'object' || spec === null) return undefined;
  const ref = (spec as Record<string, unknown>)['targetRef'];
  if (typeof ref !== 'object' || ref === null) return undefined;
  const r = ref as Record<string, unknown>;
  return typeof r['kind'] === 'string' && typeof r['name'] === 'string'
    ? { kind: r['kind'], name: r['name'] }
    : undefined;
}

/** Our own status writes change resourceVersion but not generation: those must not loop. */
function canaryNeedsReconcile(type: ChangeType, obj: KubeObject, old: KubeObject | undefined): boolean {
  if (type !== 'modified' || !old) return true;
  const m = obj.metadata;
  const o = old.metadata;
  return (
    m.generation !== o.generation ||
    m.deletionTimestamp !== o.deletionTimestamp ||
    JSON.stringify(m.annotations ?? {}) !== JSON.stringify(o.annotations ?? {}) ||
    JSON.stringify(m.finalizers ?? []) !== JSON.stringify(o.finalizers ?? [])
  );
}

export class Caches {
  readonly canaries: Informer;
  readonly deployments: Informer;
  readonly metricTemplates: Informer;
  readonly alertProviders: Informer;
  /** `flagger-ts promote|abort|retry` requests (labelled ConfigMaps, see user-requests.ts). */
  readonly userRequests: Informer;
  readonly #opts: CacheOptions;

  constructor(kc: KubeConfig, opts: CacheOptions) {
    this.#opts = opts;
    const ns = opts.namespace;
    const err = (what: string) => (e: unknown) => {
      opts.onError(what, e);
    };
    this.canaries = new Informer(kc, {
      path: collectionPath('flagger.app', 'v1beta1', 'canaries', ns),
      apiVersion: 'flagger.app/v1beta1',
      kind: 'Canary',
      onChange: (type, obj, old) => {
        if (canaryNeedsReconcile(type, obj, old))
          opts.enqueue(canaryKey(obj.metadata.namespace ?? '', obj.metadata.name));
      },
      onError: err('canaries'),
    });
    this.deployments = new Informer(kc, {
      path: collectionPath('apps', 'v1', 'deployments', ns),
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      onChange: (_type, obj) => {
        this.#enqueueForWorkload(obj);
      },
      onError: err('deployments'),
    });
    // Templates and providers are read from cache at analysis time; a change to one
    // takes effect at the next analysis step, so no reconcile is triggered.
    this.metricTemplates = new Informer(kc, {
      path: collectionPath('flagger.app', 'v1beta1', 'metrictemplates', ns),
      apiVersion: 'flagger.app/v1beta1',
      kind: 'MetricTemplate',
      onError: err('metrictemplates'),
    });
    this.alertProviders = new Informer(kc, {
      path: collectionPath('flagger.app', 'v1beta1', 'alertproviders', ns),
      apiVersion: 'flagger.app/v1beta1',
      kind: 'AlertProvider',
      onError: err('alertproviders'),
    });
    this.userRequests = userRequestInformer(
      kc,
      ns,
      (namespace, canary) => {
        opts.enqueue(canaryKey(namespace, canary));
      },
      err('user-requests'),
    );
  }

  async start(): Promise<void> {
    await Promise.all([
      this.canaries.start(),
      this.deployments.start(),
      this.metricTemplates.start(),
      this.alertProviders.start(),
      this.userRequests.start(),
    ]);
  }

  get synced(): boolean {
    return (
      this.canaries.synced &&
      this.deployments.synced &&
      this.metricTemplates.synced &&
      this.alertProviders.synced &&
      this.userRequests.synced
    );
  }

  stop(): void {
    for (const i of [
      this.canaries,
      this.deployments,
      this.metricTemplates,
      this.alertProviders,
      this.userRequests,
    ])
      i.stop();
  }

  /** A target changed (new revision, status) or a primary changed (rollout progress). */
  #enqueueForWorkload(workload: KubeObject): void {
    const ns = workload.metadata.namespace ?? '';
    for (const c of this.canaries.list(ns)) {
      const t = targetOf(c);
      if (
        t?.kind === workload.kind &&
        (t.name === workload.metadata.name || `${t.name}-primary` === workload.metadata.name)
      ) {
        this.#opts.enqueue(canaryKey(ns, c.metadata.name));
      }
    }
  }
}
