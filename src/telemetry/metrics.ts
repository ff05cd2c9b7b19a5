// The operator's Prometheus metrics. Names and labels are Flagger's, so existing
// Grafana dashboards and alert rules keep working; flagger_ts_* series are ours.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface OperatorMetrics {
  readonly registry: Registry;
  readonly info: Gauge;
  readonly canaryTotal: Gauge;
  readonly canaryStatus: Gauge;
  /** 1 while a Canary cannot be acted on (Validated=False): invalid specs are visible to alerting. */
  readonly canaryInvalid: Gauge;
  readonly canaryWeight: Gauge;
  readonly canaryDuration: Histogram;
  readonly metricAnalysis: Gauge;
  readonly metricThresholdMin: Gauge;
  readonly metricThresholdMax: Gauge;
  /** flagger-ts judge: p-value of each test, per window (docs/judge.md). */
  readonly judgePValue: Gauge;
  /** flagger-ts judge: effect size of each measure, per window. */
  readonly judgeEffect: Gauge;
  /** flagger-ts judge: 1 for the metric's current verdict, 0 for the others. */
  readonly judgeVerdict: Gauge;
  readonly successes: Counter;
  readonly failures: Counter;
  readonly reconciles: Counter;
  readonly reconcileDuration: Histogram;
  readonly apiRequests: Counter;
}

export function createOperatorMetrics(opts: {
  version: string;
  meshProvider: string;
  defaults?: boolean;
}): OperatorMetrics {
  const registry = new Registry();
  if (opts.defaults !== false) collectDefaultMetrics({ register: registry });
  const r = [registry];
  const m: OperatorMetrics = {
    registry,
    info: new Gauge({
      name: 'flagger_info',
      help: 'Flagger version and mesh provider information',
      labelNames: ['version', 'mesh_provider'],
      registers: r,
    }),
    canaryTotal: new Gauge({
      name: 'flagger_canary_total',
      help: 'Total number of canary object',
      labelNames: ['namespace'],
      registers: r,
    }),
    canaryStatus: new Gauge({
      name: 'flagger_canary_status',
      help: 'Last canary analysis result (0 progressing, 1 done, 2 failed)',
      labelNames: ['name', 'namespace'],
      registers: r,
    }),
    canaryInvalid: new Gauge({
      name: 'flagger_ts_canary_invalid',
      help: '1 while the Canary cannot be acted on (status condition Validated=False; its message names the field)',
      labelNames: ['name', 'namespace'],
      registers: r,
    }),
    canaryWeight: new Gauge({
      name: 'flagger_canary_weight',
      help: 'The virtual service destination weight current value',
      labelNames: ['workload', 'namespace'],
      registers: r,
    }),
    canaryDuration: new Histogram({
      name: 'flagger_canary_duration_seconds',
      help: 'Seconds spent performing canary analysis.',
      labelNames: ['name', 'namespace'],
      registers: r,
    }),
    metricAnalysis: new Gauge({
      name: 'flagger_canary_metric_analysis',
      help: 'Last canary analysis result per metric',
      labelNames: ['name', 'namespace', 'metric'],
      registers: r,
    }),
    metricThresholdMin: new Gauge({
      name: 'flagger_ts_canary_metric_threshold_min',
      help: 'thresholdRange.min of each metric check, to compare against flagger_canary_metric_analysis',
      labelNames: ['name', 'namespace', 'metric'],
      registers: r,
    }),
    judgePValue: new Gauge({
      name: 'flagger_ts_judge_pvalue',
      help: 'p-value of each statistical test of a judged metric (window: interval or run)',
      labelNames: ['name', 'namespace', 'metric', 'test', 'window'],
      registers: r,
    }),
    judgeEffect: new Gauge({
      name: 'flagger_ts_judge_effect',
      help: 'effect size of a judged metric, canary against baseline (e.g. 0.2 = 20 % worse)',
      labelNames: ['name', 'namespace', 'metric', 'measure', 'window'],
      registers: r,
    }),
    judgeVerdict: new Gauge({
      name: 'flagger_ts_judge_verdict',
      help: '1 for the current verdict of a judged metric (pass, fail, inconclusive, wait), 0 for the others',
      labelNames: ['name', 'namespace', 'metric', 'verdict'],
      registers: r,
    }),
    metricThresholdMax: new Gauge({
      name: 'flagger_ts_canary_metric_threshold_max',
      help: 'thresholdRange.max of each metric check, to compare against flagger_canary_metric_analysis',
      labelNames: ['name', 'namespace', 'metric'],
      registers: r,
    }),
    successes: new Counter({
      name: 'flagger_canary_successes_total',
      help: 'Total number of canary successes',
      labelNames: ['name', 'namespace', 'deployment_strategy', 'analysis_status'],
      registers: r,
    }),
    failures: new Counter({
      name: 'flagger_canary_failures_total',
      help: 'Total number of canary failures',
      labelNames: ['name', 'namespace', 'deployment_strategy', 'analysis_status'],
      registers: r,
    }),
    reconciles: new Counter({
      name: 'flagger_ts_reconciles_total',
      help: 'Canary reconciles by result',
      labelNames: ['result'],
      registers: r,
    }),
    reconcileDuration: new Histogram({
      name: 'flagger_ts_reconcile_duration_seconds',
      help: 'Wall time of one canary reconcile',
      registers: r,
    }),
    apiRequests: new Counter({
      name: 'flagger_ts_kube_api_requests_total',
      help: 'Kubernetes API requests made by the operator',
      labelNames: ['verb'],
      registers: r,
    }),
  };
  m.info.set({ version: opts.version, mesh_provider: opts.meshProvider }, 1);
  return m;
}
