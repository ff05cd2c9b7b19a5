// N canaries per operator, interval 10s: create them all → all Initialized; set every image →
// all Progressing → all Succeeded. Both namespaces get each request at (nearly) the same moment
// (interleaved, 16 in flight). CPU seconds and requests are counted from the first Canary
// create to the moment that side's last canary is Succeeded; peak RSS is the process's VmHWM.
import { now, sleep } from '../kube.js';
import type { Side } from './operators.js';
import {
  SIDES,
  canary,
  canaryNames,
  createTargets,
  pool,
  requestKinds,
  requestsBetween,
  setImage,
  withPair,
  type Env,
  type Pair,
} from './pair.js';
import { waitAll } from './timeline.js';

export interface FleetSide {
  /** seconds from the first create / first set image; undefined = not reached in time */
  readonly initializedS: number | undefined;
  readonly progressingS: number | undefined;
  readonly succeededS: number | undefined;
  readonly cpuS: number;
  readonly peakRssMb: number;
  readonly requests: number;
  /** The same requests by `verb resource`, to explain a ratio (kept in --json output). */
  readonly requestsByKind: Record<string, number>;
  readonly failed: number;
}

export interface FleetResult {
  readonly n: number;
  readonly sides: Readonly<Record<Side, FleetSide>>;
}

const INTERVAL = '10s';

export async function runFleet(env: Env, n: number, timeoutS: number): Promise<FleetResult> {
  const names = canaryNames(n);
  return withPair(env, `n${n}`, async (pair) => {
    env.log(`  creating ${n} Deployments per namespace …`);
    await createTargets(env, pair, names);
    const cpu0 = Object.fromEntries(SIDES.map((s) => [s, pair[s].proc.usage().cpuS])) as Record<Side, number>;
    const tCreate = now();
    env.log(`  creating ${n} Canaries per namespace …`);
    await pool(
      names.flatMap((name) => SIDES.map((s) => ({ ns: pair[s].ns, name }))),
      16,
      (j) => env.kube.create(canary(j.ns, j.name, INTERVAL)),
    );
    const init = await waitSides(pair, names, 'Initialized', tCreate, timeoutS * 1000);
    env.log(`  all Initialized: ${fmt(init, tCreate)}`);
    await sleep(5000); // let both finish scaling the targets to zero
    const tSet = now();
    env.log(`  setting ${n} images per namespace …`);
    await pool(
      names.flatMap((name) => SIDES.map((s) => ({ ns: pair[s].ns, name }))),
      16,
      (j) => setImage(env.kube, j.ns, j.name, '6.0.1'),
    );
    const prog = await waitSides(pair, names, 'Progressing', tSet, timeoutS * 1000);
    env.log(`  all Progressing: ${fmt(prog, tSet)}`);
    // Each side is measured at its own finish line, so the slower side's extra time counts.
    const done: Partial<
      Record<Side, { at: number | undefined; cpuS: number; requests: number; byKind: Record<string, number> }>
    > = {};
    await Promise.all(
      SIDES.map(async (s) => {
        const at = await waitAll(pair[s].tl, names, 'Succeeded', tSet, timeoutS * 1000);
        const end = at ?? now();
        done[s] = {
          at,
          cpuS: pair[s].proc.usage().cpuS - cpu0[s],
          requests: requestsBetween(pair[s], tCreate, end),
          byKind: requestKinds(pair[s], tCreate, end),
        };
      }),
    );
    const sides = {} as Record<Side, FleetSide>;
    for (const s of SIDES) {
      const d = done[s];
      sides[s] = {
        initializedS: secs(init[s], tCreate),
        progressingS: secs(prog[s], tSet),
        succeededS: secs(d?.at, tSet),
        cpuS: d?.cpuS ?? NaN,
        peakRssMb: pair[s].proc.usage().peakRssMb,
        requests: d?.requests ?? NaN,
        requestsByKind: d?.byKind ?? {},
        failed: pair[s].tl.failed(names, tSet).length,
      };
    }
    env.log(`  all Succeeded: ${SIDES.map((s) => `${s} ${String(sides[s].succeededS)} s`).join(', ')}`);
    for (const s of SIDES) {
      const top = Object.entries(sides[s].requestsByKind).slice(0, 10);
      env.log(`  ${s} requests by kind: ${top.map(([k, v]) => `${k} ${String(v)}`).join(', ')}`);
    }
    return { n, sides };
  });
}

async function waitSides(
  pair: Pair,
  names: readonly string[],
  phase: string,
  since: number,
  timeoutMs: number,
): Promise<Record<Side, number | undefined>> {
  const [a, b] = await Promise.all(SIDES.map((s) => waitAll(pair[s].tl, names, phase, since, timeoutMs)));
  return { [SIDES[0] as Side]: a, [SIDES[1] as Side]: b } as Record<Side, number | undefined>;
}

const secs = (at: number | undefined, from: number): number | undefined =>
  at === undefined ? undefined : (at - from) / 1000;

function fmt(r: Record<Side, number | undefined>, from: number): string {
  return SIDES.map((s) => `${s} ${secs(r[s], from)?.toFixed(1) ?? 'not reached'} s`).join(', ');
}
