// Which modules a node process loaded: a module-resolution hook (node:module register) that
// appends every resolved URL to a file. Used to prove the operator's process never loads
// @kubernetes/client-node (src/kube/client-node-auth.ts): a runtime import re-added anywhere
// in its module graph, static or dynamic, shows up here.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface ModuleTrace {
  /** Node arguments that install the hook (before the script). */
  readonly nodeArgs: readonly string[];
  /** Environment the traced process needs (the trace file). */
  readonly env: Readonly<Record<string, string>>;
  /** Resolved module URLs so far. */
  resolved(): string[];
  remove(): void;
}

const HOOKS = `import { appendFileSync } from 'node:fs';
const out = process.env.MODULE_TRACE_FILE;
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  if (out) appendFileSync(out, result.url + '\\n');
  return result;
}
`;

export function moduleTrace(): ModuleTrace {
  const dir = mkdtempSync(join(tmpdir(), 'flagger-ts-trace-'));
  const hooks = join(dir, 'hooks.mjs');
  const register = join(dir, 'register.mjs');
  const file = join(dir, 'resolved.txt');
  writeFileSync(hooks, HOOKS);
  writeFileSync(
    register,
    `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`,
  );
  writeFileSync(file, '');
  return {
    nodeArgs: ['--import', pathToFileURL(register).href],
    env: { MODULE_TRACE_FILE: file },
    resolved: () =>
      readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => l !== ''),
    remove: () => {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The resolved URLs that belong to the npm package `name`. */
export const packageModules = (urls: readonly string[], name: string): string[] =>
  urls.filter((u) => u.includes(`/node_modules/${name}/`));

/** The resolved URLs that belong to @kubernetes/client-node. */
export const clientNodeModules = (urls: readonly string[]): string[] =>
  packageModules(urls, '@kubernetes/client-node');
