// Execute: perform the core's effects in order. A failing effect stops the rest and
// the status is not written, so the next reconcile decides again from the last
// written state (effects are idempotent; events and hooks are at-least-once).
import type { Effect, MetricRecord } from '../core/index.js';
import { ensureApexService, ensureCanaryServices, type ServiceInputs } from '../routers/kubernetes.js';
import { callWebhook } from '../webhooks/client.js';
import { webhookPayload } from '../webhooks/payloads.js';
import type { CanaryPhase } from '../api/status.js';
import type { ReconcileContext } from './context.js';
import { knownWorkloads } from './gather.js';
import { routesWithBaseline, type BaselineDeps } from '../targets/baseline-sync.js';

function serviceInputs(ctx: ReconcileContext): ServiceInputs {
  const obs = ctx.observation;
  if (!obs) throw new Error('cannot reconcile Services before the target has been observed');
  return { label: obs.selector.label, value: obs.selector.value, ports: obs.ports };
}

function recordMetric(ctx: ReconcileContext, r: MetricRecord): void {
  const m = ctx.deps.metrics;
  const ns = ctx.canary.metadata.namespace ?? '';
  const target = ctx.canary.spec.targetRef.name;
  switch (r.metric) {
    case 'status':
      m.canaryStatus.set({ name: target, namespace: ns }, r.value);
      return;
    case 'weight':
      m.canaryWeight.set({ workload: `${target}-primary`, namespace: ns }, r.primary);
      m.canaryWeight.set({ workload: target, namespace: ns }, r.canary);
      return;
    case 'successes':
    case 'failures': {
      const labels = {
        name: ctx.canary.metadata.name,
        namespace: ns,
        deployment_strategy: r.deploymentStrategy,
        analysis_status: r.analysisStatus,
      };
      (r.metric === 'successes' ? m.successes : m.failures).inc(labels);
      return;
    }
  }
}

async function postRolloutHooks(ctx: ReconcileContext, phase: CanaryPhase): Promise<void> {
  for (const hook of ctx.canary.spec.analysis.webhooks ?? []) {
    if (hook.type !== 'post-rollout') continue;
    try {
      await callWebhook(hook, webhookPayload(ctx.canary, hook, phase), {
        signal: ctx.signal,
        ...(ctx.deps.webhookRetryBaseDelayMs === undefined
          ? {}
          : { retryBaseDelayMs: ctx.deps.webhookRetryBaseDelayMs }),
      });
      await ctx.deps.events.emit(
        ctx.canary,
        {
          type: 'Normal',
          reason: 'PostRolloutPassed',
          message: `Post-rollout check ${hook.name} passed`,
          phase,
        },
        ctx.log,
      );
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      await ctx.deps.events.emit(
        ctx.canary,
        {
          type: 'Warning',
          reason: 'PostRolloutFailed',
          message: `Post-rollout hook ${hook.name} failed ${msg}`,
          phase,
        },
        ctx.log,
      );
    }
  }
}

/** What the baseline cohort's lifecycle (targets/baseline-sync.ts) needs from this reconcile. */
export function baselineDeps(ctx: ReconcileContext): BaselineDeps {
  const { deps } = ctx;
  const obs = ctx.observation;
  return {
    client: deps.client,
    deployment: (ns, name) => deps.cache.deployment(ns, name),
    router: ctx.router,
    routerContext: {
      client: deps.client,
      signal: ctx.signal,
      ingressClass: deps.config.ingressClass,
      ingressAnnotationsPrefix: deps.config.ingressAnnotationsPrefix,
    },
    inputs:
      obs === undefined
        ? undefined
        : { label: obs.selector.label, value: obs.selector.value, ports: obs.ports },
    warn: async (message) => {
      await deps.events.emitRaw(ctx.raw, { type: 'Warning', reason: 'BaselineNotDeleted', message });
    },
  };
}

async function execute(ctx: ReconcileContext, effect: Effect): Promise<void> {
  const { deps, canary } = ctx;
  const rctx = {
    client: deps.client,
    signal: ctx.signal,
    ingressClass: deps.config.ingressClass,
    ingressAnnotationsPrefix: deps.config.ingressAnnotationsPrefix,
    selectorLabel: ctx.observation?.selector.label,
  };
  switch (effect.kind) {
    case 'ensurePrimary':
      await deps.target.ensurePrimary(canary, knownWorkloads(deps, canary));
      return;
    case 'ensureServices': {
      // Flagger creates a missing primary HPA/ScaledObject at this point of every tick:
      // after the primary exists (and, while initializing, is ready), before the Services.
      await deps.target.reconcilePrimaryScaler(canary, true);
      // A Service target is its own Service (Flagger's KubernetesNoopRouter): re-sync its
      // `-canary`/`-primary` copies (a Knative target: nothing to do once initialised).
      if (canary.spec.targetRef.kind === 'Service') {
        await deps.target.ensurePrimary(canary, knownWorkloads(deps, canary));
        return;
      }
      const inputs = serviceInputs(ctx);
      await ensureCanaryServices(canary, inputs, rctx);
      await ensureApexService(canary, inputs, rctx);
      return;
    }
    case 'reconcileRouter':
      await ctx.router.reconcile(canary, rctx);
      return;
    case 'setRoutes':
      // analysis.baseline: the core's two-way weights, with the baseline's share carved out.
      await ctx.router.setRoutes(
        canary,
        routesWithBaseline(deps.cache, canary, effect.routes, ctx.phase),
        rctx,
      );
      recordMetric(ctx, { metric: 'weight', primary: effect.routes.primary, canary: effect.routes.canary });
      return;
    case 'scaleTargetToZero':
      await deps.target.scaleToZero(canary, knownWorkloads(deps, canary));
      return;
    case 'scaleTargetFromZero':
      await deps.target.scaleFromZero(canary, knownWorkloads(deps, canary));
      return;
    case 'promote':
      await deps.target.promote(canary);
      return;
    case 'reconcilePrimaryScaler':
      await deps.target.reconcilePrimaryScaler(canary, false);
      return;
    case 'emitEvent':
      await deps.events.emit(
        canary,
        { type: effect.type, reason: effect.reason, message: effect.message, phase: effect.phase },
        ctx.log,
      );
      return;
    case 'alert':
      // Never rejects and is bounded by its own deadline: a chat outage cannot stall the analysis.
      await deps.alerts.send(canary, effect, { phase: effect.phase, signal: ctx.signal, log: ctx.log });
      return;
    case 'callHooks':
      await postRolloutHooks(ctx, effect.phase);
      return;
    case 'recordMetric':
      recordMetric(ctx, effect.record);
      return;
  }
}

export async function executeEffects(ctx: ReconcileContext, effects: readonly Effect[]): Promise<void> {
  for (const effect of effects) {
    try {
      await execute(ctx, effect);
    } catch (err) {
      throw new Error(`${effect.kind} failed: ${err instanceof Error ? err.message : String(err)}`, {
        cause: err,
      });
    }
  }
}
