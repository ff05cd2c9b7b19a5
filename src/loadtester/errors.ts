// An error that carries the HTTP status the load tester answers with. Anything else
// thrown while handling a request becomes a 500 with the error's message.

export class HttpError extends Error {
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
