// The informer caches the controller reads from, and the mapping from a changed
// object to the Canary keys that must be reconciled because of it.
import type { V1PodSpec } from '@kubernetes/client-node';
import { isRecord } from '../kube/json.js';
import type { KubeTransport } from '../kube/transport.js';
import type { KubeObject } from '../kube/types.js';
import { findConfigRefs, type ConfigKind } from '../targets/config-refs.js';
import { userRequestInformer } from './user-requests.js';
import { Informer, type ChangeType, type InformerOptions } from './informer.js';
import { WatchedKinds } from './watched-kinds.js';
import type { Canary } from '../api/canary.js';
import type { CacheLookup } from '../kube/cached-client.js';
import type { Router } from '../routers/router.js';

export interface CacheOptions {
  /** '' watches all namespaces (Flagger's -namespace). */
  readonly namespace: string;
  readonly enqueue: (canaryKey: string) => void;
  /** A generated object was changed by someone else: put it right before the next tick. */
  readonly repair?: (canaryKey: string) => void;
  readonly onError: (what: string, err: unknown) => void;
  /** A watch is open again after failures: the API server answers again. */
  readonly onRecovered?: (what: string) => void;
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

/** spec.service.name, else the target's name: what generated objects are named after. */
function serviceNameOf(canary: KubeObject): string | undefined {
  const spec = canary['spec'];
  const service = isRecord(spec) ? spec['service'] : undefined;
  const name = isRecord(service) ? service['name'] : undefined;
  return typeof name === 'string' && name !== '' ? name : targetOf(canary)?.name;
}

/** The pod spec of a cached Deployment or DaemonSet (plain JSON with the model's shape). */
function podSpecOf(workload: KubeObject | undefined): V1PodSpec | undefined {
  const spec = workload?.['spec'];
  const template = isRecord(spec) ? spec['template'] : undefined;
  const podSpec = isRecord(template) ? template['spec'] : undefined;
  return isRecord(podSpec) && Array.isArray(podSpec['containers'])
    ? (podSpec as unknown as V1PodSpec)
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
  readonly daemonSets: Informer;
  /** Metadata only: a change notice is all config tracking needs; contents are read when used. */
  readonly configMaps: Informer;
  readonly secrets: Informer;
  readonly metricTemplates: Informer;
  readonly alertProviders: Informer;
  /** `flagger-ts promote|abort|retry` requests (labelled ConfigMaps, see user-requests.ts). */
  readonly userRequests: Informer;
  /** Services, router objects and autoscalers, watched from the first canary that uses them. */
  readonly kinds: WatchedKinds;
  readonly #opts: CacheOptions;
  /**
   * `<ns>/<kind>/<workload>` → names of the canaries whose target (or its -primary or -baseline) it is.
   * Every Deployment event looked through all canaries before: O(canaries) per event, the
   * quadratic part of a 1,000-canary rollout. Kept equal to the canary store by onStore.
   */
  readonly #byWorkload = new Map<string, Set<string>>();

  constructor(transport: KubeTransport, opts: CacheOptions) {
    this.#opts = opts;
    // One informer per kind; `extra` adds the change handler and options of that kind.
    const make = (
      apiVersion: string,
      plural: string,
      kind: string,
      extra: Pick<InformerOptions, 'onChange' | 'onStore' | 'metadataOnly'> = {},
    ): Informer => {
      const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
      return new Informer(transport, {
        path: collectionPath(group ?? '', version ?? '', plural, opts.namespace),
        apiVersion,
        kind,
        ...extra,
        onError: (e) => {
          opts.onError(plural, e);
        },
        onRecovered: () => opts.onRecovered?.(plural),
      });
    };
    this.canaries = make('flagger.app/v1beta1', 'canaries', 'Canary', {
      onStore: (obj, old) => {
        this.#index(old, false);
        this.#index(obj, true);
      },
      onChange: (type, obj, old) => {
        if (canaryNeedsReconcile(type, obj, old))
          opts.enqueue(canaryKey(obj.metadata.namespace ?? '', obj.metadata.name));
      },
    });
    const onWorkload = {
      onChange: (_t: ChangeType, obj: KubeObject) => {
        this.#enqueueForWorkload(obj);
      },
    };
    this.deployments = make('apps/v1', 'deployments', 'Deployment', onWorkload);
    this.daemonSets = make('apps/v1', 'daemonsets', 'DaemonSet', onWorkload);
    // A changed tracked ConfigMap/Secret is a new revision: react to the watch event
    // rather than wait for the next interval (an idle canary has none).
    this.configMaps = make('v1', 'configmaps', 'ConfigMap', {
      metadataOnly: true,
      onChange: (_t, obj) => {
        this.#enqueueForConfig('configmap', obj);
      },
    });
    this.secrets = make('v1', 'secrets', 'Secret', {
      metadataOnly: true,
      onChange: (_t, obj) => {
        this.#enqueueForConfig('secret', obj);
      },
    });
    // Templates are read from cache at analysis time; a change wakes the canaries that
    // reference one, since a template turning (in)valid makes them (no longer) InvalidSpec.
    this.metricTemplates = make('flagger.app/v1beta1', 'metrictemplates', 'MetricTemplate', {
      onChange: (_t, obj) => {
        this.#enqueueForTemplate(obj);
      },
    });
    this.alertProviders = make('flagger.app/v1beta1', 'alertproviders', 'AlertProvider');
    this.kinds = new WatchedKinds(transport, {
      namespace: opts.namespace,
      onChange: (_t, obj) => {
        this.#repairFor(obj);
      },
      onError: opts.onError,
    });
    this.userRequests = userRequestInformer(
      transport,
      opts.namespace,
      (ns, canary) => {
        opts.enqueue(canaryKey(ns, canary));
      },
      (e) => {
        opts.onError('user-requests', e);
      },
    );
  }

  get #all(): Informer[] {
    return [
      this.canaries,
      this.deployments,
      this.daemonSets,
      this.configMaps,
      this.secrets,
      this.metricTemplates,
      this.alertProviders,
      this.userRequests,
    ];
  }

  async start(): Promise<void> {
    await Promise.all(this.#all.map((i) => i.start()));
  }

  get synced(): boolean {
    return this.#all.every((i) => i.synced);
  }

  stop(): void {
    for (const i of this.#all) i.stop();
    this.kinds.stop();
  }

  /** Watches what this canary's Services, router and autoscaler are made of. */
  watchKindsFor(canary: Canary, router: Router): void {
    this.kinds.ensure('v1', 'Service');
    for (const k of router.objectKinds) this.kinds.ensure(k.apiVersion, k.kind);
    const scaler = canary.spec.autoscalerRef;
    if (scaler !== undefined) this.kinds.ensure(scaler.apiVersion, scaler.kind);
  }

  /**
   * The complete cache of a kind, for reads (cached-client.ts): workloads from their informers,
   * the rest from the watched kinds. ConfigMaps and Secrets are cached as metadata only, so
   * they are never served from here.
   */
  readonly lookup: CacheLookup = (apiVersion, kind) => {
    if (apiVersion === 'apps/v1' && kind === 'Deployment')
      return this.deployments.synced ? this.deployments : undefined;
    if (apiVersion === 'apps/v1' && kind === 'DaemonSet')
      return this.daemonSets.synced ? this.daemonSets : undefined;
    return this.kinds.synced(apiVersion, kind);
  };

  /**
   * Someone changed a generated object: its owner canary (owner reference), or for objects
   * the canary took over (the apex Service, a user's VirtualService) the canaries whose
   * service name it carries.
   */
  #repairFor(obj: KubeObject): void {
    const repair = this.#opts.repair;
    if (repair === undefined) return;
    const ns = obj.metadata.namespace ?? '';
    const owner = obj.metadata.ownerReferences?.find((o) => o.kind === 'Canary');
    if (owner !== undefined && ns !== '') {
      repair(canaryKey(ns, owner.name));
      return;
    }
    const name = obj.metadata.name;
    for (const c of this.canaries.list(ns === '' ? undefined : ns)) {
      const svc = serviceNameOf(c);
      if (svc !== undefined && (name === svc || name.startsWith(`${svc}-`)))
        repair(canaryKey(c.metadata.namespace ?? '', c.metadata.name));
    }
  }

  /** The canary's target workload from the cache of its kind (anything but DaemonSet is a Deployment). */
  workload(kind: string, namespace: string, name: string): KubeObject | undefined {
    return (kind === 'DaemonSet' ? this.daemonSets : this.deployments).get(namespace, name);
  }

  #index(canary: KubeObject | undefined, add: boolean): void {
    const t = canary === undefined ? undefined : targetOf(canary);
    if (canary === undefined || t === undefined) return;
    const ns = canary.metadata.namespace ?? '';
    // -baseline: the judge's baseline cohort (analysis.baseline) is routed as soon as it is ready.
    for (const workload of [t.name, `${t.name}-primary`, `${t.name}-baseline`]) {
      const k = `${ns}/${t.kind}/${workload}`;
      const names = this.#byWorkload.get(k) ?? new Set<string>();
      if (add) names.add(canary.metadata.name);
      else names.delete(canary.metadata.name);
      if (names.size === 0) this.#byWorkload.delete(k);
      else this.#byWorkload.set(k, names);
    }
  }

  /** A target changed (new revision, status) or a primary changed (rollout progress). */
  #enqueueForWorkload(workload: KubeObject): void {
    const ns = workload.metadata.namespace ?? '';
    const names = this.#byWorkload.get(`${ns}/${workload.kind}/${workload.metadata.name}`);
    for (const name of names ?? []) this.#opts.enqueue(canaryKey(ns, name));
  }

  /** A ConfigMap/Secret changed: every canary whose target's pod spec references it. */
  #enqueueForTemplate(template: KubeObject): void {
    const { name, namespace = '' } = template.metadata;
    for (const c of this.canaries.list()) {
      const cns = c.metadata.namespace ?? '';
      const analysis = (c['spec'] as { analysis?: { metrics?: unknown } } | undefined)?.analysis;
      const metrics = Array.isArray(analysis?.metrics)
        ? (analysis.metrics as { templateRef?: { name?: string; namespace?: string } }[])
        : [];
      if (metrics.some((m) => m.templateRef?.name === name && (m.templateRef.namespace || cns) === namespace))
        this.#opts.enqueue(canaryKey(cns, c.metadata.name));
    }
  }

  #enqueueForConfig(kind: ConfigKind, config: KubeObject): void {
    const ns = config.metadata.namespace ?? '';
    for (const c of this.canaries.list(ns)) {
      const t = targetOf(c);
      if (t === undefined) continue;
      const refs = findConfigRefs(podSpecOf(this.workload(t.kind, ns, t.name)));
      if (refs.some((r) => r.kind === kind && r.name === config.metadata.name))
        this.#opts.enqueue(canaryKey(ns, c.metadata.name));
    }
  }
}
