// Other projects' real CRDs (Gateway API, Traefik, Contour, APISIX, Istio ...) on the test
// cluster, taken from their Go modules at the versions pinned in hack/crds/pins.txt.
// hack/crds/fetch.sh (run by scripts/setup.sh) resolves the module directories into an index;
// a project missing from it is fetched here on first use, so a test file also works alone.
//
// Safe when many test files apply the same CRDs at once: server-side apply by one field
// manager is idempotent, and the create race ("already exists" / conflict) is retried.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { cacheRoot } from '../../hack/cluster/paths.js';
import type { ClusterState } from '../../hack/cluster/state.js';
import { waitEstablished } from './kubectl.js';

const run = promisify(execFile);

export type ThirdPartyProject = 'gatewayapi' | 'traefik' | 'contour' | 'apisix' | 'istio' | (string & {});

export interface CrdSource {
  readonly module: string;
  readonly version: string;
  readonly files: readonly string[];
}

const FETCH_SCRIPT = new URL('../../../hack/crds/fetch.sh', import.meta.url).pathname;
const indexFile = (): string => join(cacheRoot(), 'crds', 'index.json');

function readIndex(): Record<string, CrdSource> {
  const file = indexFile();
  if (!existsSync(file)) return {};
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, CrdSource>;
}

/** Where a project's pinned CRD files are; fetches the module when the index lacks it. */
export async function crdSource(project: ThirdPartyProject): Promise<CrdSource> {
  const known = readIndex()[project];
  if (known !== undefined && known.files.every((f) => existsSync(f))) return known;
  try {
    await run('bash', [FETCH_SCRIPT, project], { maxBuffer: 16 << 20 });
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr ?? String(err);
    throw new Error(`CRDs of ${project} are not available: ${stderr.trim()}`);
  }
  const fetched = readIndex()[project];
  if (fetched === undefined) throw new Error(`CRDs of ${project}: not pinned in hack/crds/pins.txt`);
  return fetched;
}

const applied = new Map<string, Promise<CrdSource>>();

async function kubectl(cluster: ClusterState, args: string[]): Promise<string> {
  const res = await run(cluster.kubectl, ['--kubeconfig', cluster.kubeconfig, ...args], {
    maxBuffer: 64 << 20,
  });
  return res.stdout;
}

/** Transient failures of concurrent appliers of the same CRD. */
const RACE = /already exists|conflict|the object has been modified|not found|connection refused/i;

async function applyOnce(cluster: ClusterState, project: ThirdPartyProject): Promise<CrdSource> {
  const source = await crdSource(project);
  const files = source.files.flatMap((f) => ['-f', f]);
  for (let attempt = 1; ; attempt++) {
    try {
      // kubectl's default field manager, the one earlier hand-written fixtures were applied
      // with, so fields the real CRDs no longer set are removed rather than left behind.
      await kubectl(cluster, ['apply', '--server-side', '--force-conflicts', ...files]);
      break;
    } catch (err) {
      const stderr = (err as { stderr?: string }).stderr ?? String(err);
      if (attempt >= 5 || !RACE.test(stderr)) {
        throw new Error(`applying ${project} CRDs (${source.module}@${source.version}): ${stderr.trim()}`);
      }
      await new Promise((r) => setTimeout(r, 200 * attempt));
    }
  }
  waitEstablished(cluster, files);
  return source;
}

/**
 * Applies a project's CRDs (once per process and cluster) and waits until every one is
 * Established. Resolves to where they came from, for messages.
 */
export function applyThirdPartyCrds(cluster: ClusterState, project: ThirdPartyProject): Promise<CrdSource> {
  const key = `${cluster.kubeconfig}\0${project}`;
  let pending = applied.get(key);
  if (pending === undefined) {
    pending = applyOnce(cluster, project);
    // A failure is not cached: the next caller tries again.
    pending.catch(() => applied.delete(key));
    applied.set(key, pending);
  }
  return pending;
}

const modules = new Map<string, Promise<string>>();

/** The directory of a Go module in the module cache (downloaded on first use), e.g. Flagger's docs. */
export function goModuleDir(moduleAtVersion: string): Promise<string> {
  let dir = modules.get(moduleAtVersion);
  if (dir === undefined) {
    mkdirSync(join(cacheRoot(), 'crds'), { recursive: true });
    dir = run('go', ['mod', 'download', '-json', moduleAtVersion], {
      cwd: join(cacheRoot(), 'crds'),
      env: { ...process.env, GOFLAGS: '-mod=mod', GOTOOLCHAIN: 'local', GOWORK: 'off' },
      maxBuffer: 16 << 20,
    }).then(
      (res) => {
        const info = JSON.parse(res.stdout) as { Dir?: string };
        if (info.Dir === undefined) throw new Error(`go mod download ${moduleAtVersion}: no Dir`);
        return info.Dir;
      },
      (err: unknown) => {
        const out = (err as { stdout?: string }).stdout ?? String(err);
        throw new Error(`go mod download ${moduleAtVersion}: ${out.trim()}`);
      },
    );
    modules.set(moduleAtVersion, dir);
  }
  return dir;
}
