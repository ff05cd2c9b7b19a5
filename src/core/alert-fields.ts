// The fields Flagger attaches to alerts (§2.15): Cluster always (when configured), and
// for the initialization and new-revision alerts a summary of the rollout settings.
import type { Canary } from '../api/canary.js';
import {
  analysisThreshold,
  canaryNamespace,
  maxWeight,
  progressDeadlineSeconds,
  stepWeights,
  type EffectiveStrategy,
} from '../api/defaults.js';
import type { AlertField } from './effects.js';

function trafficRouting(c: Canary, strategy: EffectiveStrategy): string {
  if (strategy.strategy === 'ab-testing') return 'A/B Testing';
  if (strategy.strategy === 'blue-green') return 'Blue/Green';
  const steps = stepWeights(c);
  if (steps.length > 0) return `Weight steps: ${steps.join(',')} max: ${maxWeight(c)}`;
  return `Weight step: ${c.spec.analysis.stepWeight ?? 0} max: ${maxWeight(c)}`;
}

/** `metadataFor` set = add the rollout summary, computed for that effective strategy. */
export function alertFields(
  c: Canary,
  clusterName: string | undefined,
  metadataFor: EffectiveStrategy | undefined,
): AlertField[] {
  const fields: AlertField[] = [];
  if (clusterName) fields.push({ name: 'Cluster', value: clusterName });
  if (metadataFor === undefined) return fields;
  const { kind, name } = c.spec.targetRef;
  fields.push(
    { name: 'Target', value: `${kind}/${name}.${canaryNamespace(c)}` },
    { name: 'Failed checks threshold', value: String(analysisThreshold(c)) },
    { name: 'Progress deadline', value: `${progressDeadlineSeconds(c)}s` },
    { name: 'Traffic routing', value: trafficRouting(c, metadataFor) },
  );
  return fields;
}
