// Canary status: Flagger's fields unchanged, plus a few flagger-ts additions that let
// a restarted operator and `kubectl get -o yaml` readers see what the last checks did.
import { z } from 'zod';
import { ConditionStatusSchema, count, int } from './common.js';
import { CheckJudgeSchema } from './judge.js';

export const CANARY_PHASES = [
  '',
  'Initializing',
  'Initialized',
  'Waiting',
  'Progressing',
  'WaitingPromotion',
  'Promoting',
  'Finalising',
  'Succeeded',
  'Failed',
  'Terminating',
  'Terminated',
] as const;
export const CanaryPhaseSchema = z.enum(CANARY_PHASES);
export type CanaryPhase = z.infer<typeof CanaryPhaseSchema>;

/** 'Promoted' is Flagger's only condition; 'Validated' is flagger-ts' spec-problem condition. */
export type CanaryConditionType = 'Promoted' | 'Validated';

// Fields are optional on input (a hand-edited status may lack them) but always present
// on output, so consumers can compare conditions without undefined checks.
export const CanaryConditionSchema = z.looseObject({
  type: z.string().min(1),
  status: ConditionStatusSchema,
  lastUpdateTime: z.string().meta({ format: 'date-time' }).default(''),
  lastTransitionTime: z.string().meta({ format: 'date-time' }).default(''),
  reason: z.string().default(''),
  message: z.string().default(''),
});
export type CanaryCondition = z.infer<typeof CanaryConditionSchema>;

/** Most recent checks kept in status.checks; older entries are dropped first. */
export const MAX_CHECK_HISTORY = 20;

/** One metric or webhook check outcome (flagger-ts addition). */
export const CheckRecordSchema = z.looseObject({
  name: z.string(),
  kind: z.enum(['metric', 'webhook']),
  /** The rendered query, for metric checks. */
  query: z.string().optional(),
  value: z.number().optional(),
  min: z.number().optional(),
  max: z.number().optional(),
  passed: z.boolean(),
  message: z.string(),
  time: z.string().meta({ format: 'date-time' }),
  /** flagger-ts: the statistical judge's verdict and evidence (docs/judge.md). */
  judge: CheckJudgeSchema.optional(),
});
export type CheckRecord = z.infer<typeof CheckRecordSchema>;

export const CanaryStatusSchema = z.looseObject({
  phase: CanaryPhaseSchema.optional(),
  failedChecks: count().optional(),
  canaryWeight: count().optional(),
  iterations: count().optional(),
  /** `configmap/<name>` or `secret/<name>` → checksum. */
  trackedConfigs: z.record(z.string(), z.string()).optional(),
  lastAppliedSpec: z.string().optional(),
  lastPromotedSpec: z.string().optional(),
  lastTransitionTime: z.string().meta({ format: 'date-time' }).optional(),
  sessionAffinityCookie: z.string().optional(),
  primarySessionAffinityCookie: z.string().optional(),
  previousSessionAffinityCookie: z.string().optional(),
  conditions: z.array(CanaryConditionSchema).optional(),
  // ---- flagger-ts additions ----
  /** metadata.generation of the spec this status was computed from. */
  observedGeneration: int().optional(),
  /** Bounded history (MAX_CHECK_HISTORY) of check outcomes, oldest first. */
  // Bounded for the API server only: a longer list must not make a parse fail.
  checks: z.array(CheckRecordSchema).meta({ maxItems: MAX_CHECK_HISTORY }).optional(),
  /** When the last analysis run happened, so a restarted operator honours the interval. */
  lastAnalysisTime: z.string().meta({ format: 'date-time' }).optional(),
});
export type CanaryStatus = z.infer<typeof CanaryStatusSchema>;

/** Appends records and keeps only the newest MAX_CHECK_HISTORY (pure). */
export function appendChecks(
  history: readonly CheckRecord[] | undefined,
  records: readonly CheckRecord[],
): CheckRecord[] {
  const all = [...(history ?? []), ...records];
  return all.slice(Math.max(0, all.length - MAX_CHECK_HISTORY));
}
