// --allow-command-prefix: an allow-list of command prefixes for command tasks.
//
// Matching is on argv words, not raw text, so quoting cannot smuggle a different program
// past a prefix: every word of the prefix must equal the command's word at the same
// position, except that the LAST word of a multi-word prefix may be a string prefix of the
// command's word (so `curl -s http://podinfo` admits `curl -s http://podinfo-canary:9898/`).
// A one-word prefix names a program and must match argv[0] exactly (`hey` does not admit
// `heyx`).
import { splitArgv } from './argv.js';
import { HttpError } from './errors.js';

export class CommandAllowList {
  readonly #prefixes: readonly (readonly string[])[];

  constructor(prefixes: readonly string[]) {
    this.#prefixes = prefixes
      .map((p) => {
        try {
          return splitArgv(p);
        } catch (err) {
          throw new Error(`invalid --allow-command-prefix ${JSON.stringify(p)}: ${String(err)}`);
        }
      })
      .filter((words) => words.length > 0);
  }

  get size(): number {
    return this.#prefixes.length;
  }

  allows(argv: readonly string[]): boolean {
    return this.#prefixes.some((prefix) => matchesPrefix(prefix, argv));
  }

  /** 403 unless `argv` starts with an allowed prefix. */
  check(argv: readonly string[], shown: string): void {
    if (!this.allows(argv)) {
      throw new HttpError(
        403,
        `Forbidden: command ${JSON.stringify(shown)} is not allowed by --allow-command-prefix`,
      );
    }
  }
}

function matchesPrefix(prefix: readonly string[], argv: readonly string[]): boolean {
  if (argv.length < prefix.length) return false;
  const last = prefix.length - 1;
  return prefix.every((word, i) => {
    const actual = argv[i] ?? '';
    return i === last && last > 0 ? actual.startsWith(word) : actual === word;
  });
}

/** Allow-list check for a `bash -c` script: only a single simple command can be checked. */
export function checkShellScript(
  allowList: CommandAllowList,
  script: string,
  argv: readonly string[],
  shellSyntax: readonly string[],
): void {
  if (shellSyntax.length > 0 || /[\r\n]/.test(script)) {
    const found = shellSyntax.length > 0 ? shellSyntax.join(' ') : 'newline';
    throw new HttpError(
      403,
      `Forbidden: with --allow-command-prefix set, bash scripts must be one simple command (found shell syntax: ${found})`,
    );
  }
  allowList.check(argv, script);
}
