// `flagger-ts simulate <file>`: what the operator would do with this Canary, offline:
// the real decide() on a virtual clock against scripted metric values and gate states.
import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { parse, parseAllDocuments } from 'yaml';
import type { Canary } from '../api/canary.js';
import {
  analysisIntervalMs,
  analysisStrategy,
  analysisThreshold,
  maxWeight,
  parseDurationMs,
} from '../api/defaults.js';
import { formatPath, validateCanary } from '../api/validate.js';
import { isRecord } from '../kube/json.js';
import { routerProviders } from '../routers/registry.js';
import { simulateWithBounds } from '../simulate/bounds.js';
import { failAt, Scenario, ScenarioSchema } from '../simulate/scenario.js';
import { CliError, errorText, EXIT } from './common/errors.js';
import { parseOutput, stdoutWriter, structured, type Writer } from './common/output.js';
import { renderTimeline, timelineData, type SimHeader } from './simulate-render.js';

export interface SimulateFlags {
  readonly scenario?: string;
  readonly metric?: readonly string[];
  readonly gate?: readonly string[];
  readonly failAt?: string;
  readonly minInterval?: string;
  readonly meshProvider?: string;
  readonly maxIntervals?: string;
  readonly canary?: string;
  readonly output?: string;
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read ${file}: ${errorText(err)}`);
  }
}

/** The Canary document of the file (the one named by --canary when there are several). */
export function pickCanary(file: string, text: string, name: string | undefined): Canary {
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs)) throw new CliError(`${file}: no YAML documents`);
  const found = docs
    .map((d, i) => ({ obj: d.errors.length > 0 ? undefined : (d.toJS() as unknown), index: i + 1 }))
    .filter(({ obj }) => isRecord(obj) && obj['kind'] === 'Canary')
    .filter(
      ({ obj }) =>
        name === undefined ||
        (isRecord(obj) && isRecord(obj['metadata']) && obj['metadata']['name'] === name),
    );
  const first = found[0];
  if (first === undefined)
    throw new CliError(`${file}: no Canary${name === undefined ? '' : ` named ${name}`} found`);
  if (found.length > 1 && name === undefined)
    throw new CliError(`${file}: ${found.length} Canaries; choose one with --canary <name>`, EXIT.usage);
  const v = validateCanary(first.obj, { noCrossNamespaceRefs: false, knownProviders: routerProviders() });
  if (!v.ok)
    throw new CliError(`${file}: document ${first.index}: ${v.errors.map((e) => e.message).join('; ')}`);
  return v.canary;
}

/** `name=value[@interval]` */
function splitAssignment(flag: string, raw: string): { name: string; value: string; from: number } {
  const m = /^([^=]+)=([^@]+)(?:@([1-9][0-9]*))?$/.exec(raw);
  if (m === null)
    throw new CliError(`--${flag} "${raw}": expected name=value or name=value@interval`, EXIT.usage);
  return { name: m[1] ?? '', value: m[2] ?? '', from: Number(m[3] ?? '1') };
}

export async function buildScenario(canary: Canary, flags: SimulateFlags): Promise<Scenario> {
  let input = {};
  if (flags.scenario !== undefined) {
    const parsed = ScenarioSchema.safeParse(parse(await readText(flags.scenario)) ?? {});
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`).join('; ');
      throw new CliError(`${flags.scenario}: ${issues}`);
    }
    input = parsed.data;
  }
  const max = flags.maxIntervals === undefined ? undefined : Number(flags.maxIntervals);
  const s = new Scenario({
    ...input,
    ...(max === undefined || !Number.isInteger(max) || max < 1 ? {} : { maxIntervals: max }),
  });
  const metricNames = new Set((canary.spec.analysis.metrics ?? []).map((m) => m.name));
  for (const raw of flags.metric ?? []) {
    const a = splitAssignment('metric', raw);
    const value = Number(a.value);
    if (!Number.isFinite(value))
      throw new CliError(`--metric ${raw}: "${a.value}" is not a number`, EXIT.usage);
    if (!metricNames.has(a.name))
      throw new CliError(
        `--metric ${raw}: the canary has no metric "${a.name}" (it has: ${[...metricNames].join(', ') || 'none'})`,
        EXIT.usage,
      );
    s.setMetric(a.name, value, a.from);
  }
  for (const raw of flags.gate ?? []) {
    const a = splitAssignment('gate', raw);
    if (a.value !== 'open' && a.value !== 'closed')
      throw new CliError(`--gate ${raw}: the state must be open or closed`, EXIT.usage);
    s.setGate(a.name, a.value, a.from);
  }
  if (flags.failAt !== undefined) {
    const n = Number(flags.failAt);
    if (!Number.isInteger(n) || n < 1)
      throw new CliError(`--fail-at: "${flags.failAt}" is not an interval number (1, 2, ...)`, EXIT.usage);
    try {
      failAt(s, canary, n);
    } catch (err) {
      throw new CliError(errorText(err), EXIT.usage);
    }
  }
  return s;
}

export async function runSimulate(file: string, flags: SimulateFlags, w: Writer): Promise<boolean> {
  const format = parseOutput(flags.output);
  const canary = pickCanary(file, await readText(file), flags.canary);
  const minIntervalMs = parseDurationMs(flags.minInterval ?? '10s');
  if (minIntervalMs === undefined)
    throw new CliError(`--min-interval: "${flags.minInterval ?? ''}" is not a duration`, EXIT.usage);
  const meshProvider = flags.meshProvider ?? 'istio';
  const scenario = await buildScenario(canary, flags);
  const bounds = simulateWithBounds(canary, scenario, { minIntervalMs, meshProvider });
  const header: SimHeader = {
    name: canary.metadata.name,
    namespace: canary.metadata.namespace ?? 'default',
    strategy: analysisStrategy(canary, meshProvider).strategy,
    intervalMs: analysisIntervalMs(canary, minIntervalMs),
    threshold: analysisThreshold(canary),
    maxWeight: maxWeight(canary),
  };
  w.write(
    format === 'table' ? renderTimeline(w, header, bounds) : structured(timelineData(header, bounds), format),
  );
  return bounds.scenario.outcome === 'Succeeded';
}

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

export function registerSimulateCommand(program: Command): void {
  program
    .command('simulate')
    .argument('<file>', 'YAML file with the Canary (other documents are ignored)')
    .description(
      'run the decision core on a Canary offline and print the timeline, completion times and exposure',
    )
    .option('--scenario <file>', 'YAML with per-interval metric values and gate states')
    .option('--metric <name=value[@n]>', 'metric value (from interval n on); repeatable', collect)
    .option('--gate <name=open|closed[@n]>', 'webhook gate state by hook name or type; repeatable', collect)
    .option('--fail-at <n>', 'every metric fails from interval n on')
    .option('--min-interval <duration>', "the operator's --min-analysis-interval", '10s')
    .option('--mesh-provider <name>', 'provider when spec.provider is empty', 'istio')
    .option('--max-intervals <n>', 'stop a run that has not ended after n intervals', '500')
    .option('--canary <name>', 'which Canary of the file, when it has several')
    .option('-o, --output <format>', 'table, json or yaml', 'table')
    .action(async (file: string, flags: SimulateFlags) => {
      // The simulated outcome is the report, not an error: exit 0 either way.
      await runSimulate(file, flags, stdoutWriter());
    });
}
