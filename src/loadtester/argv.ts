// A small POSIX-like word splitter for commands that run without a shell. It handles
// single quotes (literal), double quotes (backslash escapes only \ " $ ` and newline),
// backslash escapes outside quotes, and reports shell syntax it will NOT interpret
// (pipes, redirections, separators, substitutions) so callers can reject it clearly.

export class ArgvError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArgvError';
  }
}

export interface ScannedCommand {
  readonly argv: string[];
  /** Shell constructs found outside single quotes, e.g. `|`, `;`, `$(`, in order of appearance. */
  readonly shellSyntax: string[];
}

const OPERATOR_CHARS = new Set(['|', '&', ';', '<', '>', '(', ')', '`']);
const DOUBLE_QUOTE_ESCAPABLE = new Set(['\\', '"', '$', '`', '\n']);
const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r';

/** `$(`, `${` or `$name`: an expansion a shell would perform. */
function expansionAt(s: string, i: number): string | undefined {
  if (s[i] !== '$') return undefined;
  const next = s[i + 1];
  if (next === '(' || next === '{') return `$${next}`;
  if (next !== undefined && /[A-Za-z0-9_@*#?$!-]/.test(next)) return '$';
  return undefined;
}

class Scanner {
  readonly argv: string[] = [];
  readonly shellSyntax: string[] = [];
  #word = '';
  #inWord = false;
  #i = 0;
  private readonly s: string;

  constructor(s: string) {
    this.s = s;
  }

  run(): ScannedCommand {
    while (this.#i < this.s.length) this.#step();
    this.#endWord();
    return { argv: this.argv, shellSyntax: this.shellSyntax };
  }

  #step(): void {
    const c = this.s.charAt(this.#i);
    if (isSpace(c)) {
      this.#endWord();
      this.#i++;
    } else if (c === "'") this.#single();
    else if (c === '"') this.#double();
    else if (c === '\\') this.#escape();
    else {
      this.#note(c);
      this.#append(c);
      this.#i++;
    }
  }

  #note(c: string): void {
    const expansion = expansionAt(this.s, this.#i);
    if (expansion !== undefined) this.shellSyntax.push(expansion);
    else if (OPERATOR_CHARS.has(c)) this.shellSyntax.push(c);
  }

  #append(text: string): void {
    this.#word += text;
    this.#inWord = true;
  }

  #endWord(): void {
    if (this.#inWord) this.argv.push(this.#word);
    this.#word = '';
    this.#inWord = false;
  }

  #single(): void {
    const end = this.s.indexOf("'", this.#i + 1);
    if (end < 0) throw new ArgvError(`unterminated single quote at position ${this.#i}`);
    this.#append(this.s.slice(this.#i + 1, end));
    this.#i = end + 1;
  }

  #double(): void {
    const start = this.#i;
    this.#inWord = true;
    this.#i++;
    for (;;) {
      const c = this.s[this.#i];
      if (c === undefined) throw new ArgvError(`unterminated double quote at position ${start}`);
      if (c === '"') break;
      const next = this.s[this.#i + 1];
      if (c === '\\' && next !== undefined && DOUBLE_QUOTE_ESCAPABLE.has(next)) {
        if (next !== '\n') this.#word += next;
        this.#i += 2;
        continue;
      }
      const expansion = expansionAt(this.s, this.#i);
      if (expansion !== undefined) this.shellSyntax.push(expansion);
      else if (c === '`') this.shellSyntax.push(c);
      this.#word += c;
      this.#i++;
    }
    this.#i++;
  }

  #escape(): void {
    const next = this.s[this.#i + 1];
    if (next === undefined) throw new ArgvError('command ends with an unescaped backslash');
    if (next !== '\n') this.#append(next);
    this.#i += 2;
  }
}

/** Splits a command line into argv and lists the shell syntax it contains. */
export function scanCommand(command: string): ScannedCommand {
  return new Scanner(command).run();
}

/** Splits a command line into argv; quotes and escapes are honoured, nothing is expanded. */
export function splitArgv(command: string): string[] {
  return scanCommand(command).argv;
}
