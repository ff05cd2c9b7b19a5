// Packaging tools for the tests: helm and hadolint (built by hack/tools/build.sh into
// the versioned cache), kubectl (built with the control plane, it embeds kustomize),
// and helpers that render charts and kustomizations into plain objects.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { binPaths } from '../../../hack/cluster/paths.js';
import { hadolintBin, helmBin } from '../../../hack/tools/paths.js';
import { toKubeObject, type KubeObject } from '../../../src/kube/types.js';

export { hadolintBin, helmBin };

/** The repository root, from dist/test/integration/packaging/. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

export const kubectlBin = (): string => binPaths().kubectl;

export interface RunResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function run(bin: string, args: readonly string[], input?: string): RunResult {
  const res = spawnSync(bin, args, { cwd: repoRoot, encoding: 'utf8', input, timeout: 120_000 });
  if (res.error) throw new Error(`${bin}: ${res.error.message} (run 'bash scripts/setup.sh' to build it)`);
  return { status: res.status, stdout: res.stdout, stderr: res.stderr };
}

/** Runs a tool that must succeed; returns its stdout. */
export function runOk(bin: string, args: readonly string[], input?: string): string {
  const res = run(bin, args, input);
  if (res.status !== 0) throw new Error(`${bin} ${args.join(' ')} exited ${res.status}: ${res.stderr}`);
  return res.stdout;
}

/** Multi-document YAML → objects (empty documents dropped). */
export function parseManifests(text: string): KubeObject[] {
  const out: KubeObject[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new Error(`invalid YAML: ${doc.errors[0]?.message ?? ''}`);
    const value: unknown = doc.toJS();
    if (value !== null && value !== undefined) out.push(toKubeObject(value));
  }
  return out;
}

export interface RenderOptions {
  readonly release: string;
  readonly namespace: string;
  /** Values, written to a file as JSON (JSON is YAML), so no --set escaping applies. */
  readonly values?: Record<string, unknown>;
  readonly includeCrds?: boolean;
}

/** `helm template` of charts/<chart> → objects. */
export function helmTemplate(chart: string, o: RenderOptions): KubeObject[] {
  const dir = mkdtempSync(join(tmpdir(), 'helm-values-'));
  try {
    const valuesFile = join(dir, 'values.json');
    writeFileSync(valuesFile, JSON.stringify(o.values ?? {}));
    const args = ['template', o.release, join('charts', chart), '-n', o.namespace, '-f', valuesFile];
    if (o.includeCrds === true) args.push('--include-crds');
    return parseManifests(runOk(helmBin(), args));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `kubectl kustomize <dir>` → objects. */
export function kustomizeBuild(dir: string): KubeObject[] {
  return parseManifests(runOk(kubectlBin(), ['kustomize', join(repoRoot, dir)]));
}

export function findObject(objs: readonly KubeObject[], kind: string, name?: string): KubeObject {
  const found = objs.find((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  if (!found) throw new Error(`no ${kind}${name === undefined ? '' : ` ${name}`} in the rendered manifests`);
  return found;
}

export const kindsOf = (objs: readonly KubeObject[]): string[] => objs.map((o) => o.kind).sort();
