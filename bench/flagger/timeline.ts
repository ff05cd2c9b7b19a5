// Every phase/weight change of every Canary in one namespace, stamped on arrival from one
// watch (the benchmark's own, not either operator's), and the questions the report asks of it.
import type { KubeConfig } from '@kubernetes/client-node';
import { canaryWatch, now, phaseOf, sleep, weightOf, type ObjectWatch } from '../kube.js';

export interface Change {
  readonly at: number;
  readonly phase: string;
  readonly weight: number;
}

export class Timeline {
  readonly watch: ObjectWatch;
  readonly #changes = new Map<string, Change[]>();

  constructor(kc: KubeConfig, namespace: string) {
    this.watch = canaryWatch(kc, namespace);
    this.watch.listen((name, seen) => {
      const phase = phaseOf(seen.obj);
      const weight = weightOf(seen.obj);
      const list = this.#changes.get(name) ?? [];
      const last = list[list.length - 1];
      if (last?.phase !== phase || last.weight !== weight) list.push({ at: seen.at, phase, weight });
      this.#changes.set(name, list);
    });
  }

  changes(name: string): readonly Change[] {
    return this.#changes.get(name) ?? [];
  }

  /** When `name` first showed `phase` at or after `since`; undefined if not yet. */
  first(name: string, phase: string, since: number): number | undefined {
    return this.changes(name).find((c) => c.at >= since && c.phase === phase)?.at;
  }

  /** The latest of the `first` times over `names`, or undefined while one is missing. */
  all(names: readonly string[], phase: string, since: number): number | undefined {
    let latest = since;
    for (const n of names) {
      const t = this.first(n, phase, since);
      if (t === undefined) return undefined;
      latest = Math.max(latest, t);
    }
    return latest;
  }

  /** Weight changes while Progressing after `since`: the starts of the analysis steps. */
  steps(name: string, since: number): Change[] {
    return this.changes(name).filter((c) => c.at >= since && c.phase === 'Progressing' && c.weight > 0);
  }

  /** Canaries that ended Failed after `since` (a benchmark with no metrics should have none). */
  failed(names: readonly string[], since: number): string[] {
    return names.filter((n) => this.first(n, 'Failed', since) !== undefined);
  }
}

/** Resolves with the time every name reached `phase` after `since`, polling the timeline. */
export async function waitAll(
  tl: Timeline,
  names: readonly string[],
  phase: string,
  since: number,
  timeoutMs: number,
): Promise<number | undefined> {
  const deadline = now() + timeoutMs;
  for (;;) {
    const t = tl.all(names, phase, since);
    if (t !== undefined) return t;
    if (now() > deadline) return undefined;
    await sleep(250);
  }
}
