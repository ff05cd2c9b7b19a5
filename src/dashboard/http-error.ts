// An error with the HTTP status the browser should get. Kubernetes API refusals keep
// their status (403 from RBAC stays 403) and the API server's own message, so the page
// can show exactly who refused what.
import { KubeApiError } from '../kube/errors.js';

export class HttpError extends Error {
  override readonly name = 'HttpError';
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

export function toHttpError(err: unknown, what: string): HttpError {
  if (err instanceof HttpError) return err;
  if (err instanceof KubeApiError) {
    if (err.code === 401) return new HttpError(401, `the API server no longer accepts your token (${what})`);
    if (err.code === 403)
      return new HttpError(403, `the Kubernetes API server refused to ${what}: ${err.message}`);
    if (err.code === 404) return new HttpError(404, `not found: ${what}`);
    return new HttpError(502, `cannot ${what}: ${err.message}`);
  }
  return new HttpError(502, `cannot ${what}: ${err instanceof Error ? err.message : String(err)}`);
}
