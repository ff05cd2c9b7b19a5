// Spec problems only the core can see, because they depend on the resolved provider's
// capabilities or on the derived strategy. Schema-level problems are the shell's
// (src/api/validate.ts) and never reach decide().
import { skipAnalysis, stepWeights } from '../api/defaults.js';
import { analysisBaseline } from '../api/judge.js';
import type { SpecProblem } from './conditions.js';
import type { Tick } from './tick.js';

export function specProblem(t: Tick): SpecProblem | undefined {
  if (skipAnalysis(t.c)) return undefined;
  const a = t.c.spec.analysis;
  // Flagger repeats the canary strategy's mirror step forever on routers that cannot mirror
  // (§2.8), and silently drops mirroring for Blue/Green there. Asking for it is a mistake
  // either way; A/B never mirrors, so it is not one there.
  if (a.mirror === true && !t.s.capabilities.mirror && t.strategy.strategy !== 'ab-testing') {
    return {
      message: `spec.analysis.mirror: provider ${t.provider} cannot mirror traffic; remove analysis.mirror or use a provider that can (istio)`,
    };
  }
  const baseline = baselineProblem(t);
  if (baseline !== undefined) return baseline;
  if (t.strategy.strategy !== 'canary') return undefined;
  // Flagger's CRD makes this impossible; a spec that bypassed it would never advance.
  if ((a.stepWeight ?? 0) <= 0 && stepWeights(t.c).length === 0) {
    return { message: 'analysis.stepWeight or analysis.stepWeights is required for the canary strategy' };
  }
  return undefined;
}

/**
 * analysis.baseline.enabled (docs/judge.md): the `<target>-baseline` cohort takes a weight of its
 * own, so the router must split three ways, and the run must be a weighted canary of a
 * Deployment (A/B and Blue/Green give the canary all or none of the traffic it judges).
 */
function baselineProblem(t: Tick): SpecProblem | undefined {
  if (analysisBaseline(t.c.spec.analysis)?.enabled !== true) return undefined;
  const field = 'spec.analysis.baseline.enabled';
  if (t.s.capabilities.threeWaySplit !== true) {
    return {
      message: `${field}: provider ${t.provider} cannot route a third share to the baseline; use a router that splits three ways (istio, gatewayapi, traefik, contour) or remove analysis.baseline`,
    };
  }
  if (t.c.spec.targetRef.kind !== 'Deployment') {
    return {
      message: `${field}: a baseline cohort needs a Deployment target (got ${t.c.spec.targetRef.kind})`,
    };
  }
  if (t.strategy.strategy !== 'canary') {
    return {
      message: `${field}: a baseline cohort needs the canary strategy (stepWeight or stepWeights), not ${t.strategy.strategy}`,
    };
  }
  return undefined;
}
