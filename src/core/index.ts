// The pure decision core: `decide(snapshot)` and the types the shell is written against.
export { analysisWaitMs, decide, DUE_TOLERANCE_MS, type Decision, type Step } from './decide.js';
export type {
  CoreOptions,
  GateHookType,
  InputRequest,
  InputResult,
  MetricOutcome,
  MetricsResult,
  ProvidersResult,
  Readiness,
  RouterCapabilities,
  Routes,
  Snapshot,
  WebhookResult,
  WorkloadObservation,
} from './snapshot.js';
export type {
  AlertField,
  AlertSeverity,
  Effect,
  EffectKind,
  EventReason,
  EventType,
  MetricRecord,
} from './effects.js';
export { hooksOf, maxInputRounds } from './hooks.js';
export { METRICS_REQUEST_ID, PROVIDERS_REQUEST_ID, READINESS_POLL_MS } from './tick.js';
export {
  TRANSITIONS,
  assertTransition,
  canTransition,
  IllegalTransitionError,
  isActive,
  statusGaugeValue,
  type Phase,
} from './phases.js';
export {
  buildConditions,
  promotedCondition,
  promotedText,
  toIso,
  PROMOTED,
  VALIDATED,
} from './conditions.js';
export { hasTargetChanged, haveConfigsChanged } from './analysis.js';
export {
  advance,
  nextCanaryRoutes,
  nextStepWeight,
  promotionStep,
  weightSchedule,
  TOTAL_WEIGHT,
  type StepConfig,
} from './weights.js';
export { alerts as alertTexts, messages as eventTexts } from './events.js';
export {
  judgeUserRequest,
  USER_ACTIONS,
  type UserAction,
  type UserRequest,
  type UserRequestAck,
  type UserVerdict,
} from './user-request.js';
