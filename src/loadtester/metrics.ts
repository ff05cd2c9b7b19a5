// The load tester's /metrics registry: process metrics plus task and gate series.
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

export interface LoadtesterMetrics {
  readonly registry: Registry;
  readonly started: Counter<'type'>;
  readonly succeeded: Counter<'type'>;
  readonly failed: Counter<'type'>;
  readonly running: Gauge<'type'>;
  readonly queued: Gauge;
  readonly gateOpen: Gauge<'gate'>;
}

export function createLoadtesterMetrics(opts: { defaults?: boolean } = {}): LoadtesterMetrics {
  const registry = new Registry();
  if (opts.defaults !== false) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    started: new Counter({
      name: 'flagger_ts_loadtester_tasks_started_total',
      help: 'Tasks started, by type',
      labelNames: ['type'],
      registers,
    }),
    succeeded: new Counter({
      name: 'flagger_ts_loadtester_tasks_succeeded_total',
      help: 'Tasks that succeeded, by type',
      labelNames: ['type'],
      registers,
    }),
    failed: new Counter({
      name: 'flagger_ts_loadtester_tasks_failed_total',
      help: 'Tasks that failed or timed out, by type',
      labelNames: ['type'],
      registers,
    }),
    running: new Gauge({
      name: 'flagger_ts_loadtester_tasks_running',
      help: 'Tasks running now, by type',
      labelNames: ['type'],
      registers,
    }),
    queued: new Gauge({
      name: 'flagger_ts_loadtester_tasks_queued',
      help: 'Async tasks waiting for a free slot',
      registers,
    }),
    gateOpen: new Gauge({
      name: 'flagger_ts_loadtester_gate_open',
      help: 'Gate state by key (<name>.<namespace> or rollback.<name>.<namespace>): 1 open, 0 closed',
      labelNames: ['gate'],
      registers,
    }),
  };
}
