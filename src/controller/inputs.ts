// Answers the core's input requests: call a gate/hook webhook, run the metric
// checks, check metric provider availability. The core decides *whether*; this
// file only performs the call and reports the result.
import type { Canary } from '../api/canary.js';
import { validateMetricTemplate } from '../api/validate.js';
import type { InputRequest, InputResult, MetricOutcome } from '../core/index.js';
import { readSecretData } from '../kube/secrets.js';
import { checkProvidersAvailable } from '../metrics/availability.js';
import { allPassed, runMetricChecks, type MetricCheckDeps } from '../metrics/analysis.js';
import { metricJudge } from '../api/judge.js';
import { recordJudgeMetrics } from '../judge/telemetry.js';
import { runJudgedMetrics } from '../judge/run.js';
import type { MetricTemplate } from '../api/metric-template.js';
import { callWebhook } from '../webhooks/client.js';
import { webhookPayload } from '../webhooks/payloads.js';
import type { ControllerDeps } from './context.js';

function metricDeps(deps: ControllerDeps, signal: AbortSignal): MetricCheckDeps {
  return {
    metricsServer: deps.config.metricsServer,
    meshProvider: deps.config.meshProvider,
    signal,
    kube: deps.kubeConfig === undefined ? undefined : { client: deps.client, kubeConfig: deps.kubeConfig },
    getMetricTemplate: (ns, name): Promise<MetricTemplate | undefined> => {
      const raw = deps.cache.metricTemplate(ns, name);
      if (!raw) return Promise.resolve(undefined);
      const v = validateMetricTemplate(raw);
      if (!v.ok)
        return Promise.reject(
          new Error(`MetricTemplate ${ns}/${name} is invalid: ${v.errors.map((e) => e.message).join('; ')}`),
        );
      return Promise.resolve(v.template);
    },
    // Secrets are read on demand (never cached or logged): only templates with a secretRef need them.
    getSecretData: (ns, name) => readSecretData(deps.client, ns, name, signal),
  };
}

async function answer(
  deps: ControllerDeps,
  canary: Canary,
  req: InputRequest,
  signal: AbortSignal,
): Promise<InputResult> {
  switch (req.kind) {
    case 'webhook': {
      try {
        await callWebhook(req.hook, webhookPayload(canary, req.hook, req.phase), {
          signal,
          ...(deps.webhookRetryBaseDelayMs === undefined
            ? {}
            : { retryBaseDelayMs: deps.webhookRetryBaseDelayMs }),
        });
        return { kind: 'webhook', ok: true, message: '' };
      } catch (err) {
        if (signal.aborted) throw err;
        return { kind: 'webhook', ok: false, message: err instanceof Error ? err.message : String(err) };
      }
    }
    case 'metrics': {
      // Metrics with a `judge` block compare cohorts (src/judge); the others are Flagger's checks.
      const plain = req.metrics.filter((m) => metricJudge(m) === undefined);
      const only = {
        ...canary,
        spec: { ...canary.spec, analysis: { ...canary.spec.analysis, metrics: plain } },
      };
      const outcomes = await runMetricChecks(only, metricDeps(deps, signal));
      recordMetricValues(deps, canary, outcomes);
      const core = outcomes.map(toCoreOutcome);
      if (!allPassed(outcomes)) return { kind: 'metrics', outcomes: core };
      const judged = req.metrics.filter((m) => metricJudge(m) !== undefined);
      const verdicts = await runJudgedMetrics(canary, judged, metricDeps(deps, signal), deps.now());
      recordJudgeMetrics(deps.metrics, canary, verdicts);
      return { kind: 'metrics', outcomes: [...core, ...verdicts] };
    }
    case 'providers': {
      const r = await checkProvidersAvailable(canary, metricDeps(deps, signal));
      return { kind: 'providers', ok: r.available, message: r.message };
    }
  }
}

function toCoreOutcome(o: Awaited<ReturnType<typeof runMetricChecks>>[number]): MetricOutcome {
  const failureKind =
    o.failureKind === undefined ? undefined : o.failureKind === 'no-data' ? 'no-data' : 'error';
  return {
    name: o.name,
    passed: o.passed,
    message: o.message,
    ...(o.query === undefined ? {} : { query: o.query }),
    ...(o.value === undefined ? {} : { value: o.value }),
    ...(o.min === undefined ? {} : { min: o.min }),
    ...(o.max === undefined ? {} : { max: o.max }),
    ...(failureKind === undefined ? {} : { failureKind }),
  };
}

/** flagger_canary_metric_analysis (durations in seconds, as Flagger records them) and our threshold gauges. */
function recordMetricValues(
  deps: ControllerDeps,
  canary: Canary,
  outcomes: Awaited<ReturnType<typeof runMetricChecks>>,
): void {
  const labels = { name: canary.metadata.name, namespace: canary.metadata.namespace ?? '' };
  for (const o of outcomes) {
    const l = { ...labels, metric: o.name };
    const scale = o.name === 'request-duration' && o.source === 'builtin' ? 1 / 1000 : 1;
    if (o.value !== undefined) deps.metrics.metricAnalysis.set(l, o.value * scale);
    if (o.min !== undefined) deps.metrics.metricThresholdMin.set(l, o.min * scale);
    if (o.max !== undefined) deps.metrics.metricThresholdMax.set(l, o.max * scale);
  }
}

/** Answers a batch of requests in order (hooks are sequential in Flagger too). */
export async function answerRequests(
  deps: ControllerDeps,
  canary: Canary,
  requests: readonly InputRequest[],
  signal: AbortSignal,
): Promise<Record<string, InputResult>> {
  const out: Record<string, InputResult> = {};
  for (const req of requests) out[req.id] = await answer(deps, canary, req, signal);
  return out;
}
