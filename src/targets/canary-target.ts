// The controller's view of a canary's target: the workload adapter for its kind
// (Deployment or DaemonSet) plus its autoscaler. Flagger always pairs "pause the target's
// scaler" with "scale the target to zero" and "resume" with "scale from zero"; doing both
// here keeps that pairing in one place for every caller (effects, finalizer).
import type { Canary } from '../api/canary.js';
import { AutoscalerReconciler } from '../autoscalers/scaler.js';
import { DaemonSetAdapter } from './daemonset.js';
import { DeploymentAdapter } from './deployment.js';
import { KnativeTargetAdapter, isKnativeTarget } from './knative.js';
import { ServiceTargetAdapter } from './service.js';
import type { KnownObjects, TargetAdapter, TargetObservation, WorkloadTarget } from './target.js';
import type { WorkloadAdapterOptions } from './workload-adapter.js';

export class CanaryTarget implements TargetAdapter {
  readonly #deployments: WorkloadTarget;
  readonly #daemonSets: WorkloadTarget;
  readonly #services: WorkloadTarget;
  readonly #knative: WorkloadTarget;
  readonly #scaler: AutoscalerReconciler;

  constructor(opts: WorkloadAdapterOptions) {
    this.#deployments = new DeploymentAdapter(opts);
    this.#daemonSets = new DaemonSetAdapter(opts);
    this.#services = new ServiceTargetAdapter(opts);
    this.#knative = new KnativeTargetAdapter(opts);
    this.#scaler = new AutoscalerReconciler(opts);
  }

  /** By targetRef kind (a Knative Service by its apiVersion); anything else is a Deployment, as in Flagger. */
  #workload(canary: Canary): WorkloadTarget {
    if (isKnativeTarget(canary)) return this.#knative;
    if (canary.spec.targetRef.kind === 'Service') return this.#services;
    return canary.spec.targetRef.kind === 'DaemonSet' ? this.#daemonSets : this.#deployments;
  }

  observe(canary: Canary, known?: KnownObjects): Promise<TargetObservation> {
    return this.#workload(canary).observe(canary, known);
  }

  ensurePrimary(canary: Canary, known?: KnownObjects): Promise<'created' | 'exists'> {
    return this.#workload(canary).ensurePrimary(canary, known);
  }

  promote(canary: Canary): Promise<void> {
    return this.#workload(canary).promote(canary);
  }

  async scaleToZero(canary: Canary, known?: KnownObjects): Promise<boolean> {
    await this.#scaler.pauseTarget(canary);
    return this.#workload(canary).scaleToZero(canary, known);
  }

  async scaleFromZero(canary: Canary, known?: KnownObjects): Promise<boolean> {
    await this.#scaler.resumeTarget(canary);
    return this.#workload(canary).scaleFromZero(canary, known);
  }

  async finalize(canary: Canary): Promise<boolean> {
    // A paused ScaledObject would pin the handed-back target at 0 replicas.
    await this.#scaler.resumeTarget(canary);
    return this.#workload(canary).finalize(canary);
  }

  reconcilePrimaryScaler(canary: Canary, init: boolean): Promise<void> {
    return this.#scaler.reconcilePrimary(canary, init);
  }
}
