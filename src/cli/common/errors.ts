// Errors the CLI reports as one actionable line, with the exit code scripts can test.
export class CliError extends Error {
  override readonly name = 'CliError';
  readonly exitCode: number;
  constructor(message: string, exitCode = 1) {
    super(message);
    this.exitCode = exitCode;
  }
}

/** Exit codes: 0 success; 1 failure/invalid; 2 usage; 3 timed out. */
export const EXIT = { ok: 0, failed: 1, usage: 2, timeout: 3 } as const;

export const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));
