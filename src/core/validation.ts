// Spec problems only the core can see, because they depend on the resolved provider's
// capabilities or on the derived strategy. Schema-level problems are the shell's
// (src/api/validate.ts) and never reach decide().
import { skipAnalysis, stepWeights } from '../api/defaults.js';
import type { SpecProblem } from './conditions.js';
import type { Tick } from './tick.js';

export function specProblem(t: Tick): SpecProblem | undefined {
  if (skipAnalysis(t.c) || t.strategy.strategy !== 'canary') return undefined;
  const a = t.c.spec.analysis;
  // Flagger's CRD makes this impossible; a spec that bypassed it would never advance.
  if ((a.stepWeight ?? 0) <= 0 && stepWeights(t.c).length === 0) {
    return { message: 'analysis.stepWeight or analysis.stepWeights is required for the canary strategy' };
  }
  // Flagger repeats the mirror step forever on routers that cannot mirror (§2.8).
  if (a.mirror === true && !t.s.capabilities.mirror) {
    return { message: `analysis.mirror is not supported by provider ${t.provider} for the canary strategy` };
  }
  return undefined;
}
