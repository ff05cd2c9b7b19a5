// Flagger's event and alert texts, word for word, so dashboards, chat notifications and
// tests written against Flagger keep matching. Only the texts marked "flagger-ts" are ours.
import type { Canary } from '../api/canary.js';
import { canaryNamespace } from '../api/defaults.js';

/** `<canary>.<ns>`, the name Flagger uses in most messages. */
export const canaryRef = (c: Canary): string => `${c.metadata.name}.${canaryNamespace(c)}`;
/** `<target>.<ns>`, used where Flagger talks about the workload. */
export const targetRef = (c: Canary): string => `${c.spec.targetRef.name}.${canaryNamespace(c)}`;
export const primaryRef = (c: Canary): string => `${c.spec.targetRef.name}-primary.${canaryNamespace(c)}`;

export const messages = {
  suspended: (): string => 'skipping canary run as object is suspended',
  providersAvailable: (): string => 'all the metrics providers are available!',
  providersUnavailable: (err: string): string => `Error checking metric providers: ${err}`,
  notReady: (workloadRef: string, err: string): string => `${workloadRef} not ready: ${err}`,
  initialized: (c: Canary): string => `Initialization done! ${canaryRef(c)}`,
  confirmRolloutPassed: (hook: string): string => `Confirm-rollout check ${hook} passed`,
  waitingForApproval: (c: Canary, hook: string): string =>
    `Halt ${canaryRef(c)} advancement waiting for approval ${hook}`,
  newRevision: (c: Canary): string => `New revision detected! Scaling up ${targetRef(c)}`,
  restarting: (c: Canary): string => `New revision detected! Restarting analysis for ${targetRef(c)}`,
  analysisStarted: (c: Canary): string => `Starting canary analysis for ${targetRef(c)}`,
  preRolloutPassed: (hook: string): string => `Pre-rollout check ${hook} passed`,
  preRolloutFailed: (c: Canary, hook: string, err: string): string =>
    `Halt ${canaryRef(c)} advancement pre-rollout check ${hook} failed ${err}`,
  rolloutFailed: (c: Canary, hook: string, err: string): string =>
    `Halt ${canaryRef(c)} advancement external check ${hook} failed ${err}`,
  trafficIncreasePassed: (hook: string): string => `Confirm-traffic-increase check ${hook} passed`,
  waitingForTrafficIncrease: (c: Canary, hook: string): string =>
    `Halt ${canaryRef(c)} advancement waiting for traffic increase approval ${hook}`,
  promotionPassed: (hook: string): string => `Confirm-promotion check ${hook} passed`,
  waitingForPromotion: (c: Canary, hook: string): string =>
    `Halt ${canaryRef(c)} advancement waiting for promotion approval ${hook}`,
  rollbackHookNotSignaling: (hook: string): string => `Rollback hook ${hook} not signaling a rollback`,
  rollbackHookPassed: (hook: string): string => `Rollback check ${hook} passed`,
  manualRollback: (c: Canary): string => `Rolling back ${canaryRef(c)} manual webhook invoked`,
  thresholdReached: (c: Canary, failed: number): string =>
    `Rolling back ${canaryRef(c)} failed checks threshold reached ${failed}`,
  deadlineExceeded: (c: Canary, err: string): string =>
    `Rolling back ${canaryRef(c)} progress deadline exceeded ${err}`,
  canaryFailed: (c: Canary): string => `Canary failed! Scaling down ${canaryRef(c)}`,
  promotionFailed: (c: Canary, err: string): string =>
    `Promotion of ${targetRef(c)} failed, primary not ready: ${err}`,
  advanceWeight: (c: Canary, weight: number): string => `Advance ${canaryRef(c)} canary weight ${weight}`,
  advanceIteration: (c: Canary, i: number, n: number): string =>
    `Advance ${canaryRef(c)} canary iteration ${i}/${n}`,
  advancePrimaryWeight: (c: Canary, weight: number): string =>
    `Advance ${canaryRef(c)} primary weight ${weight}`,
  mirroringStarted: (): string => 'Start traffic mirroring',
  mirroringStopped: (): string => 'Stop traffic mirroring and route all traffic to canary',
  routedToCanary: (): string => 'Routing all traffic to canary',
  routedToPrimary: (): string => 'Routing all traffic to primary',
  copying: (c: Canary): string => `Copying ${targetRef(c)} template spec to ${primaryRef(c)}`,
  promoted: (c: Canary): string => `Promotion completed! Scaling down ${targetRef(c)}`,
  promotedSkipped: (c: Canary): string =>
    `Promotion completed! Canary analysis was skipped for ${targetRef(c)}`,
  abUnsupported: (): string => 'A/B testing is not supported when using the kubernetes provider',
  progressiveUnsupported: (): string =>
    'Progressive traffic is not supported when using the kubernetes provider',
  settingIterations: (n: number): string => `Setting canaryAnalysis.iterations: ${n}`,
  // flagger-ts: Flagger reports the raw API error for a missing target.
  targetNotFound: (c: Canary): string => `${c.spec.targetRef.kind} ${targetRef(c)} not found`,
  // flagger-ts: Flagger logs GetRoutes errors and silently retries next tick.
  routesUnavailable: (c: Canary): string => `Routes of ${canaryRef(c)} are not available yet`,
} as const;

/** Alert texts (§2.15). */
export const alerts = {
  initialized: (kind: string): string => `New ${kind} detected, initialization completed.`,
  newRevision: (): string => 'New revision detected, progressing canary analysis.',
  waitingForApproval: (): string => 'Canary is waiting for approval.',
  waitingForTrafficIncrease: (): string => 'Canary traffic increase is waiting for approval.',
  waitingForPromotion: (): string => 'Canary promotion is waiting for approval.',
  manualRollback: (): string => 'Rolling back manual webhook invoked',
  thresholdReached: (failed: number): string => `Failed checks threshold reached ${failed}`,
  deadlineExceeded: (err: string): string => `Progress deadline exceeded ${err}`,
  promotionFailed: (err: string): string => `Promotion failed, primary not ready: ${err}`,
  succeeded: (): string => 'Canary analysis completed successfully, promotion finished.',
  skipped: (): string => 'Canary analysis was skipped, promotion finished.',
} as const;
