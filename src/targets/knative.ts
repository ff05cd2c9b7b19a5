// Target kind Knative `Service` (serving.knative.dev/v1, spec §2.4, §3.13): the "primary" is a
// revision. Initialisation records the latest created revision in the annotation
// `flagger.app/primary-revision` and pins all traffic to it; a new revision (the spec hash is
// `status.latestCreatedRevisionName`, as in Flagger) is the canary; promotion moves the
// annotation to it. Readiness is each revision's Ready condition. Nothing scales.
import type { Canary } from '../api/canary.js';
import { canaryNamespace } from '../api/defaults.js';
import type { KubeClient } from '../kube/client.js';
import { modifyObject } from '../kube/ensure.js';
import { isRecord } from '../kube/json.js';
import type { KubeObject } from '../kube/types.js';
import {
  KNATIVE_SERVING_V1,
  PRIMARY_REVISION_ANNOTATION,
  knativeServiceRef,
  knativeTraffic,
  latestCreatedRevision,
  primaryRevision,
} from '../routers/knative.js';
import { READY, type Readiness } from './readiness.js';
import { TargetError, type KnownObjects, type TargetObservation, type WorkloadTarget } from './target.js';

export const isKnativeTarget = (canary: Canary): boolean =>
  canary.spec.targetRef.kind === 'Service' &&
  canary.spec.targetRef.apiVersion.startsWith('serving.knative.dev/');

const describe = (canary: Canary): string => `${canary.spec.targetRef.name}.${canaryNamespace(canary)}`;

/** Ready when the revision's Ready condition is True (Knative's own readiness). */
export function revisionReadiness(
  revision: KubeObject | undefined,
  name: string,
  namespace: string,
): Readiness {
  if (revision === undefined) {
    return { ready: false, retriable: true, message: `Knative Revision ${name}.${namespace} not found` };
  }
  const status = revision['status'];
  const conditions =
    isRecord(status) && Array.isArray(status['conditions']) ? status['conditions'].filter(isRecord) : [];
  const ready = conditions.find((c) => c['type'] === 'Ready');
  if (ready?.['status'] === 'True') return READY;
  const why = typeof ready?.['message'] === 'string' ? `: ${ready['message']}` : '';
  return {
    ready: false,
    retriable: true,
    message: `Knative Revision ${name}.${namespace} is not ready${why}`,
  };
}

export class KnativeTargetAdapter implements WorkloadTarget {
  readonly #client: KubeClient;

  constructor(opts: { client: KubeClient }) {
    this.#client = opts.client;
  }

  async #service(canary: Canary, known: KnownObjects = {}): Promise<KubeObject> {
    const found = known.target ?? (await this.#client.get(knativeServiceRef(canary)));
    if (!isRecord(found) || found['apiVersion'] !== KNATIVE_SERVING_V1) {
      throw new TargetError('TargetNotFound', `Knative Service ${describe(canary)} not found`);
    }
    return found as KubeObject;
  }

  async #readiness(canary: Canary, revision: string): Promise<Readiness> {
    const namespace = canaryNamespace(canary);
    const obj = await this.#client.get({
      apiVersion: KNATIVE_SERVING_V1,
      kind: 'Revision',
      name: revision,
      namespace,
    });
    return revisionReadiness(obj, revision, namespace);
  }

  async observe(canary: Canary, known: KnownObjects = {}): Promise<TargetObservation> {
    const service = await this.#service(canary, known);
    const latest = latestCreatedRevision(service);
    const primary = primaryRevision(service);
    return {
      kind: 'Service',
      target: service,
      primary: primary === undefined ? undefined : service,
      primaryHash: primary,
      targetReplicas: undefined,
      primaryReplicas: undefined,
      selector: { label: 'app', value: canary.spec.targetRef.name },
      specHash: latest ?? '',
      targetReadiness:
        latest === undefined
          ? {
              ready: false,
              retriable: true,
              message: `Knative Service ${describe(canary)} has no revision yet`,
            }
          : await this.#readiness(canary, latest),
      primaryReadiness: primary === undefined ? undefined : await this.#readiness(canary, primary),
      ports: {},
      trackedConfigs: {},
    };
  }

  /** Flagger's Initialize: annotate the latest created revision as primary, all traffic on it. */
  async ensurePrimary(canary: Canary, known: KnownObjects = {}): Promise<'created' | 'exists'> {
    const service = await this.#service(canary, known);
    if (primaryRevision(service) !== undefined) return 'exists';
    await modifyObject(this.#client, knativeServiceRef(canary), (svc) => {
      if (primaryRevision(svc) !== undefined) return undefined;
      const latest = latestCreatedRevision(svc);
      if (latest === undefined) {
        throw new TargetError('TargetNotFound', `Knative Service ${describe(canary)} has no revision yet`);
      }
      svc.metadata.annotations = { ...svc.metadata.annotations, [PRIMARY_REVISION_ANNOTATION]: latest };
      const spec = isRecord(svc['spec']) ? svc['spec'] : {};
      svc['spec'] = {
        ...spec,
        traffic: knativeTraffic(latest, { primary: 100, canary: 0, mirrored: false }),
      };
      return svc;
    });
    // Annotated by someone else meanwhile counts as created too: the primary exists now.
    return 'created';
  }

  /** The latest created revision becomes the primary. */
  async promote(canary: Canary): Promise<void> {
    const done = await modifyObject(this.#client, knativeServiceRef(canary), (svc) => {
      const latest = latestCreatedRevision(svc);
      if (latest === undefined || primaryRevision(svc) === latest) return undefined;
      svc.metadata.annotations = { ...svc.metadata.annotations, [PRIMARY_REVISION_ANNOTATION]: latest };
      return svc;
    });
    if (done === undefined)
      throw new TargetError('TargetNotFound', `Knative Service ${describe(canary)} not found`);
  }

  scaleToZero(): Promise<boolean> {
    return Promise.resolve(false);
  }

  scaleFromZero(): Promise<boolean> {
    return Promise.resolve(false);
  }

  finalize(): Promise<boolean> {
    return Promise.resolve(false);
  }
}
