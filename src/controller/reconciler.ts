// The reconcile of one Canary: gather → decide (pure, looping over the input
// requests it makes) → execute effects → write status once. Returns when to look
// again (the analysis interval), or null to wait for a watch event.
import type { Canary } from '../api/canary.js';
import { analysisIntervalMs } from '../api/defaults.js';
import { validateCanary } from '../api/validate.js';
import { analysisWaitMs, decide, maxInputRounds, type Decision, type Snapshot } from '../core/index.js';
import { isConflict } from '../kube/errors.js';
import { reconcileMemo } from '../kube/reconcile-memo.js';
import type { KubeObject } from '../kube/types.js';
import { routerFor, routerProviders } from '../routers/registry.js';
import type { ControllerDeps, ReconcileContext } from './context.js';
import { baselineDeps, executeEffects } from './execute.js';
import { syncBaseline } from '../targets/baseline-sync.js';
import { finalizeCanary, hasFinalizer, syncFinalizer } from './finalizer.js';
import { gather, SpecError } from './gather.js';
import { answerRequests } from './inputs.js';
import { reportInvalidSpec } from './invalid-spec.js';
import { FreshCanaries } from './object-store.js';
import { prunedStatusFields, writeStatus } from './status-writer.js';
import { flaggerTakeover } from './takeover.js';
import type { Logger } from '../telemetry/logger.js';
import { acknowledgeUserRequest, pendingUserRequest } from './user-requests.js';

/** How soon to retry a finalization that waits for the target to become ready. */
const FINALIZE_RETRY_MS = 2000;

export class CanaryReconciler {
  readonly #deps: ControllerDeps;
  readonly #fresh = new FreshCanaries();
  /** Last user request acknowledged per canary: the cache may still show it unacknowledged. */
  readonly #acked = new Map<string, string>();
  /** Canaries whose generated objects someone else changed since their last reconcile. */
  readonly #repairs: Set<string>;

  constructor(deps: ControllerDeps, repairs: Set<string> = new Set()) {
    this.#deps = deps;
    this.#repairs = repairs;
  }

  async reconcile(key: string, signal: AbortSignal): Promise<number | null> {
    const [namespace = '', name = ''] = key.split('/');
    const raw = this.#fresh.newest(this.#deps.cache.canary(namespace, name));
    if (!raw) {
      this.#fresh.forget(namespace, name);
      return null;
    }
    const valid = validateCanary(raw, {
      noCrossNamespaceRefs: this.#deps.config.noCrossNamespaceRefs,
      knownProviders: routerProviders(),
    });
    if (!valid.ok) {
      if (raw.metadata.deletionTimestamp !== undefined && hasFinalizer(raw)) {
        await syncFinalizer(
          this.#deps,
          { ...raw, metadata: { ...raw.metadata, deletionTimestamp: undefined } },
          false,
        );
        return null;
      }
      this.#remember(await reportInvalidSpec(this.#deps, raw, valid.errors.map((e) => e.message).join('; ')));
      return null;
    }
    const canary = valid.canary;
    if (raw.metadata.deletionTimestamp !== undefined) {
      if (!hasFinalizer(raw)) return null;
      const outcome = await finalizeCanary(
        this.#deps,
        raw,
        canary,
        routerFor(canary.spec.provider || this.#deps.config.meshProvider),
        signal,
      );
      return outcome === 'waiting' ? FINALIZE_RETRY_MS : null;
    }
    try {
      return await this.#reconcileLive(key, raw, canary, signal);
    } catch (err) {
      // Retried with back-off by the queue; the Event (folded into one with a count by the
      // recorder) makes a stuck canary visible in `kubectl describe`, not only in our logs.
      // A 409 is routine (someone wrote first): the retry reads again; no need to alarm anyone.
      if (!signal.aborted && !isConflict(err)) {
        const message = `Reconcile failed, retrying: ${err instanceof Error ? err.message : String(err)}`;
        await this.#deps.events.emitRaw(raw, { type: 'Warning', reason: 'ReconcileError', message });
      }
      throw err;
    }
  }

  async #reconcileLive(
    key: string,
    raw: KubeObject,
    canary: Canary,
    signal: AbortSignal,
  ): Promise<number | null> {
    const [namespace = '', name = ''] = key.split('/');
    const log = this.#deps.logger.child({ canary: name, namespace });
    // One view of the API server per reconcile: an object is read at most once (see reconcile-memo.ts).
    const deps: ControllerDeps = { ...this.#deps, client: reconcileMemo(this.#deps.client) };
    const stored = await syncFinalizer(deps, raw, canary.spec.revertOnDeletion === true);
    const pending = pendingUserRequest(deps.cache.userRequest?.(namespace, name));
    const userRequest = pending === undefined || this.#acked.get(key) === pending.id ? undefined : pending;
    // Woken between analysis ticks (e.g. by our own Deployment updates) with nothing to act
    // on: decide() will only wait, so do not read the live routes for it. The snapshot gets
    // the same `now`, so the core reaches the same "not due" verdict.
    const now = deps.now();
    const skipRoutes =
      userRequest === undefined && analysisWaitMs(canary, deps.config.minAnalysisIntervalMs, now) > 0;
    let gathered;
    try {
      gathered = await gather(deps, canary, signal, { skipRoutes, now });
    } catch (err) {
      if (!(err instanceof SpecError)) throw err;
      this.#remember(await reportInvalidSpec(deps, stored, err.message));
      return null;
    }
    // A canary Flagger left behind is adopted once, with our hashes, before the core could
    // take Flagger's hash for a new revision (takeover.ts); then looked at again at once.
    const takeover = flaggerTakeover(canary.status, gathered.observation);
    if (takeover !== undefined) {
      const ref = { apiVersion: stored.apiVersion, kind: 'Canary', namespace, name };
      this.#remember(await deps.client.patchStatus(ref, takeover.patch, { signal }));
      await deps.events.emitRaw(stored, {
        type: 'Normal',
        reason: 'FlaggerTakeover',
        message: takeover.message,
      });
      log.info({ phase: canary.status?.phase }, takeover.message);
      return 1;
    }
    const ctx: ReconcileContext = {
      deps,
      raw: stored,
      canary,
      router: gathered.router,
      observation: gathered.observation,
      log,
      signal,
    };
    deps.watchKindsFor?.(canary, gathered.router);
    const repair = this.#repairs.delete(key);
    const snapshot = {
      ...gathered.snapshot,
      ...(userRequest === undefined ? {} : { userRequest }),
      ...(repair ? { repair } : {}),
    };
    const decision = await this.#decide(ctx, snapshot);
    await executeEffects({ ...ctx, phase: decision.status.phase }, decision.effects);
    const written = await writeStatus(deps.client, stored, decision.status, signal);
    this.#remember(written);
    await syncBaseline(baselineDeps(ctx), canary, decision.status.phase);
    await this.#checkSchema(stored, decision.status, written, log);
    // After the status: losing this write only replays the request, which the core then rejects.
    if (decision.userAck !== undefined) {
      const at = new Date(deps.now()).toISOString();
      await acknowledgeUserRequest(deps.client, { namespace, name }, decision.userAck, at, signal);
      this.#acked.set(key, decision.userAck.id);
      log.info({ userRequest: decision.userAck }, 'user request acknowledged');
    }
    // Service and Knative Service targets have no informer to report a new revision: an idle
    // canary of theirs is looked at again every analysis interval, as Flagger polls.
    if (decision.requeueAfterMs === null && canary.spec.targetRef.kind === 'Service') {
      return analysisIntervalMs(canary, deps.config.minAnalysisIntervalMs);
    }
    return decision.requeueAfterMs;
  }

  /** decide() may ask for webhook/metric results first; answer and ask again, a bounded number of times. */
  async #decide(ctx: ReconcileContext, first: Snapshot): Promise<Decision> {
    let snapshot = first;
    for (let round = 0; round <= maxInputRounds(ctx.canary); round++) {
      const step = decide(snapshot);
      if (step.kind === 'decision') return step.decision;
      const answers = await answerRequests(ctx.deps, ctx.canary, step.requests, ctx.signal);
      snapshot = { ...snapshot, results: { ...snapshot.results, ...answers } };
    }
    throw new Error(`decision did not settle after ${maxInputRounds(ctx.canary)} rounds of inputs`);
  }

  /** Said once per process: every canary would repeat it. */
  #schemaWarned = false;

  async #checkSchema(
    raw: KubeObject,
    sent: unknown,
    written: KubeObject | undefined,
    log: Logger,
  ): Promise<void> {
    if (this.#schemaWarned) return;
    const pruned = prunedStatusFields(sent, written);
    if (pruned.length === 0) return;
    this.#schemaWarned = true;
    const message =
      `The API server dropped status.${pruned.join(', status.')}: the Canary CRD installed is Flagger's, not ` +
      `flagger-ts's (helm does not upgrade CRDs). Apply flagger-ts's CRDs: kubectl apply --server-side -f ` +
      `charts/flagger-ts/crds/crds.yaml`;
    log.error({ pruned }, message);
    await this.#deps.events.emitRaw(raw, { type: 'Warning', reason: 'OutdatedCRD', message });
  }

  #remember(obj: KubeObject | undefined): void {
    if (obj) this.#fresh.remember(obj);
  }
}
