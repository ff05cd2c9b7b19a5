// Traffic weight arithmetic of the canary strategy and the promotion shift. Pure
// functions of numbers so Flagger's worked examples can be tested directly.
import type { Routes } from './snapshot.js';

/** Flagger routes weights out of a total of 100. */
export const TOTAL_WEIGHT = 100;

export interface StepConfig {
  /** analysis.stepWeight (0 when unset). */
  readonly stepWeight: number;
  /** Effective analysis.stepWeights (empty when stepWeight > 0). */
  readonly stepWeights: readonly number[];
}

/**
 * How much canary weight the next step adds at `current` (Flagger's nextStepWeight).
 * stepWeight mode returns stepWeight uncapped (advance() caps the result). stepWeights
 * mode walks the list, capped at what is left; when nothing is left it returns 1, which
 * means "at the top: promote".
 */
export function nextStepWeight(cfg: StepConfig, current: number): number {
  if (cfg.stepWeight > 0 || cfg.stepWeights.length === 0) return cfg.stepWeight;
  const left = TOTAL_WEIGHT - current;
  if (left <= 0) return 1;
  const first = cfg.stepWeights[0] ?? left;
  if (current === 0) return Math.min(first, left);
  const at = cfg.stepWeights.indexOf(current);
  const next = at >= 0 ? cfg.stepWeights[at + 1] : undefined;
  return next === undefined ? left : Math.min(next - current, left);
}

/** One canary step: primary loses `step` (floor 0), canary gains it (cap 100); never mirrored. */
export function advance(routes: Routes, step: number): Routes {
  return {
    primary: Math.max(0, routes.primary - step),
    canary: Math.min(TOTAL_WEIGHT, routes.canary + step),
    mirrored: false,
  };
}

/**
 * The canary strategy's next routes below maxWeight. With `mirror`, the step from
 * weight 0 is split in two: first mirror at 100/0, then shift the first step unmirrored.
 */
export function nextCanaryRoutes(routes: Routes, cfg: StepConfig, mirror: boolean): Routes {
  if (mirror && routes.canary === 0) {
    if (!routes.mirrored) return { primary: TOTAL_WEIGHT, canary: 0, mirrored: true };
    const step = nextStepWeight(cfg, 0);
    return { primary: TOTAL_WEIGHT - step, canary: step, mirrored: false };
  }
  return advance(routes, nextStepWeight(cfg, routes.canary));
}

/** One promotion step back to the primary (stepWeightPromotion > 0). */
export function promotionStep(routes: Routes, stepWeightPromotion: number): Routes {
  return {
    primary: Math.min(TOTAL_WEIGHT, routes.primary + stepWeightPromotion),
    canary: Math.max(0, routes.canary - stepWeightPromotion),
    mirrored: false,
  };
}

/**
 * The canary weights a canary-strategy run visits from 0 until promotion starts, e.g.
 * stepWeight 20 / maxWeight 50 → [20, 40, 60]. Used by tests and `simulate`-style tools;
 * bounded so a zero step cannot loop.
 */
export function weightSchedule(cfg: StepConfig, maxWeight: number): number[] {
  const out: number[] = [];
  let routes: Routes = { primary: TOTAL_WEIGHT, canary: 0, mirrored: false };
  while (routes.canary < maxWeight && out.length <= TOTAL_WEIGHT) {
    const next = advance(routes, nextStepWeight(cfg, routes.canary));
    if (next.canary === routes.canary) break;
    routes = next;
    out.push(routes.canary);
  }
  return out;
}

export const primaryOnly = (): Routes => ({ primary: TOTAL_WEIGHT, canary: 0, mirrored: false });
export const canaryOnly = (): Routes => ({ primary: 0, canary: TOTAL_WEIGHT, mirrored: false });
