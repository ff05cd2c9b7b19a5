// What the simulated world observes: per-interval metric values and gate states. A value
// listed at interval k holds from k on, until a later entry changes it (a step
// function), so "fails from the 3rd interval" is one entry.
import { z } from 'zod';
import type { Canary, CanaryMetric, CanaryWebhook } from '../api/canary.js';
import { isBuiltinMetric, webhookType } from '../api/defaults.js';
import type { ThresholdRule } from '../metrics/thresholds.js';
import { CohortsSchema, type Cohorts } from './judge.js';

export type GateState = 'open' | 'closed';

const Values = z.record(z.string(), z.number());
const Gates = z.record(z.string(), z.enum(['open', 'closed']));
const Step = z.strictObject({
  metrics: Values.optional(),
  gates: Gates.optional(),
  /** Judged metrics (docs/judge.md): each cohort's distribution, by metric name. */
  cohorts: z.record(z.string(), CohortsSchema).optional(),
});

export const ScenarioSchema = z.strictObject({
  /** Values for intervals before (or without) any entry. */
  defaults: Step.optional(),
  /** 1-based reconcile number of the run → changes from that interval on. */
  intervals: z
    .record(z.string().regex(/^[1-9][0-9]*$/, 'interval keys are 1-based numbers'), Step)
    .optional(),
  /** Stop after this many intervals if the run has not ended (a gate closed forever). */
  maxIntervals: z.number().int().positive().max(10_000).optional(),
});
export type ScenarioInput = z.infer<typeof ScenarioSchema>;

interface Change<T> {
  readonly from: number;
  readonly value: T;
}

export class Scenario {
  readonly #metrics = new Map<string, Change<number>[]>();
  readonly #gates = new Map<string, Change<GateState>[]>();
  readonly #cohorts = new Map<string, Change<Cohorts>[]>();
  readonly maxIntervals: number;

  constructor(input: ScenarioInput = {}) {
    this.maxIntervals = input.maxIntervals ?? 500;
    const add = (step: z.infer<typeof Step>, from: number): void => {
      for (const [k, v] of Object.entries(step.metrics ?? {})) this.setMetric(k, v, from);
      for (const [k, v] of Object.entries(step.gates ?? {})) this.setGate(k, v, from);
      for (const [k, v] of Object.entries(step.cohorts ?? {})) push(this.#cohorts, k, { from, value: v });
    };
    if (input.defaults) add(input.defaults, 1);
    for (const [k, step] of Object.entries(input.intervals ?? {})) add(step, Number(k));
  }

  setMetric(name: string, value: number, from = 1): void {
    push(this.#metrics, name, { from, value });
  }

  setGate(name: string, state: GateState, from = 1): void {
    push(this.#gates, name, { from, value: state });
  }

  /** The scripted value of a metric at interval n, if any. */
  metric(name: string, n: number): number | undefined {
    return at(this.#metrics.get(name), n);
  }

  /** The scripted cohorts of a judged metric at interval n, if any. */
  cohorts(name: string, n: number): Cohorts | undefined {
    return at(this.#cohorts.get(name), n);
  }

  /** Gate by hook name, then by hook type; open by default, except rollback hooks (not signaling). */
  gate(hook: CanaryWebhook, n: number): GateState {
    const type = webhookType(hook);
    return (
      at(this.#gates.get(hook.name), n) ??
      at(this.#gates.get(type), n) ??
      (type === 'rollback' ? 'closed' : 'open')
    );
  }

  get metricNames(): string[] {
    return [...this.#metrics.keys()];
  }
}

function push<T>(m: Map<string, Change<T>[]>, key: string, c: Change<T>): void {
  const list = (m.get(key) ?? []).filter((x) => x.from !== c.from);
  list.push(c);
  list.sort((a, b) => a.from - b.from);
  m.set(key, list);
}

function at<T>(list: readonly Change<T>[] | undefined, n: number): T | undefined {
  let found: T | undefined;
  for (const c of list ?? []) if (c.from <= n) found = c.value;
  return found;
}

/** Which of Flagger's comparison rules the operator applies to this metric. */
export function ruleOf(m: CanaryMetric): ThresholdRule {
  if (m.templateRef !== undefined || m.query !== undefined || !isBuiltinMetric(m.name)) return 'custom';
  return m.name === 'request-success-rate' ? 'success-rate' : 'duration';
}

/** A value the metric's threshold accepts (what a healthy canary would report). */
export function passingValue(m: CanaryMetric): number {
  const rule = ruleOf(m);
  const r = m.thresholdRange;
  if (r?.min !== undefined && r.max !== undefined) return (r.min + r.max) / 2;
  if (r?.min !== undefined) return rule === 'success-rate' ? Math.max(r.min, 100) : r.min;
  if (r?.max !== undefined) return r.max / 2;
  if (rule === 'success-rate') return 100;
  return rule === 'duration' ? (m.threshold ?? 0) / 2 : (m.threshold ?? 0);
}

/** A value the threshold rejects (what `--fail-at` reports). */
export function failingValue(m: CanaryMetric): number {
  const r = m.thresholdRange;
  const rule = ruleOf(m);
  if (r?.min !== undefined) return r.min - Math.max(1, Math.abs(r.min) * 0.05);
  if (r?.max !== undefined) return r.max + Math.max(1, Math.abs(r.max));
  if (rule === 'success-rate') return (m.threshold ?? 0) - 1;
  return (m.threshold ?? 0) + Math.max(1, Math.abs(m.threshold ?? 0));
}

/** `--fail-at n`: every metric fails from interval n on. */
export function failAt(s: Scenario, canary: Canary, n: number): void {
  const metrics = canary.spec.analysis.metrics ?? [];
  if (metrics.length === 0) throw new Error('--fail-at needs spec.analysis.metrics (this canary has none)');
  for (const m of metrics) s.setMetric(m.name, failingValue(m), n);
}
