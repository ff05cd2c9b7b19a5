// Starting a router process inside the lane: detached, one log file in the lane cluster's
// directory, and a PID file there so `down` of the lane cluster stops it too. The PID
// namespace is the second guarantee: nothing outlives the lane's first process.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClusterState } from '../../../../hack/cluster/state.js';
import { probe, startDetached, tailOf, type Started } from '../../../../hack/cluster/proc.js';
import { dataplaneBin, type DataplaneBinary } from '../../../../hack/dataplane/paths.js';

/** The built binary, or an error naming the build command. */
export function requireBinary(bin: DataplaneBinary): string {
  const path = dataplaneBin(bin);
  if (!existsSync(path))
    throw new Error(
      `${bin} is not built (${path}); run: bash hack/dataplane/build.sh ${bin.startsWith('kuma-') ? 'kuma' : bin}`,
    );
  return path;
}

export function startRouterProcess(
  cluster: ClusterState,
  name: string,
  bin: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Started {
  const p = startDetached(name, bin, args, join(cluster.dir, 'logs', `${name}.log`), env);
  writeFileSync(join(cluster.dir, `${name}.pid`), String(p.pid));
  return p;
}

/** Waits until `url` answers 200; the error carries the process log's tail. */
export async function waitReady(p: Started, url: string, timeoutMs = 60_000): Promise<void> {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    if ((await probe(url)) === 200) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(
    `${p.name} did not answer ${url} within ${timeoutMs / 1000}s; log ${p.log}:\n${tailOf(p.log)}`,
  );
}

/**
 * The canary's share (percent) of each weighted split in an Envoy route dump: `all` holds each
 * route's upstream clusters, `child` matches the primary/canary cluster names with the role as
 * its first group. Splits without those clusters are skipped.
 */
export function canaryShares(
  all: readonly (readonly { name?: string; weight?: number }[])[],
  child: RegExp,
): number[] {
  const shares: number[] = [];
  for (const clusters of all) {
    if (!clusters.some((c) => child.test(c.name ?? ''))) continue;
    let canary = 0;
    let total = 0;
    for (const c of clusters) {
      total += c.weight ?? 0;
      if (child.exec(c.name ?? '')?.[1] === 'canary') canary += c.weight ?? 0;
    }
    shares.push(total === 0 ? 0 : (100 * canary) / total);
  }
  return shares;
}
