// Maps API failures to the few cases callers branch on (404, 409 ...). Works for the
// facade's KubeApiError and for client-node's ApiException thrown by typed clients (CLI,
// dashboard), recognised by shape: importing its class would load client-node into the
// operator's process (see client-node-auth.ts).

import { isRecord } from './json.js';
import { describeRef, type ObjectRef } from './types.js';

export type Verb = 'get' | 'list' | 'create' | 'replace' | 'patch' | 'patchStatus' | 'delete';

/** The Kubernetes `Status` fields that say why a request failed. */
export interface StatusDetails {
  code: number;
  reason: string;
  message: string;
}

/** An API request that got a non-2xx answer, named after what was attempted. */
export class KubeApiError extends Error {
  override readonly name = 'KubeApiError';
  readonly code: number;
  readonly reason: string;
  readonly verb: Verb;
  readonly ref: ObjectRef | undefined;

  constructor(verb: Verb, ref: ObjectRef | undefined, status: StatusDetails, options?: ErrorOptions) {
    const target = ref === undefined ? '' : ` ${describeRef(ref)}`;
    const detail = status.message === '' ? '' : `: ${status.message}`;
    super(`${verb}${target}: ${status.code} ${status.reason}${detail}`, options);
    this.code = status.code;
    this.reason = status.reason;
    this.verb = verb;
    this.ref = ref;
  }
}

const reasonByCode: Readonly<Record<number, string>> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  409: 'Conflict',
  410: 'Expired',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

/** Decodes the body of a failed request (a `Status` object, as JSON text or already parsed). */
export function statusDetails(code: number, body: unknown): StatusDetails {
  let parsed: unknown = body;
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body);
    } catch {
      parsed = { message: body };
    }
  }
  const reason = isRecord(parsed) && typeof parsed['reason'] === 'string' ? parsed['reason'] : '';
  const message = isRecord(parsed) && typeof parsed['message'] === 'string' ? parsed['message'] : '';
  return { code, reason: reason === '' ? (reasonByCode[code] ?? 'Unknown') : reason, message };
}

/** client-node's ApiException: an Error of that class with the HTTP status as `code` and the body. */
interface ApiExceptionLike extends Error {
  readonly code: number;
  readonly body: unknown;
}

function isApiException(err: unknown): err is ApiExceptionLike {
  return (
    err instanceof Error &&
    err.constructor.name === 'ApiException' &&
    typeof (err as Partial<ApiExceptionLike>).code === 'number' &&
    'body' in err
  );
}

/** The HTTP status of an API failure, or undefined for anything else (network, bug ...). */
export function statusCode(err: unknown): number | undefined {
  if (err instanceof KubeApiError || isApiException(err)) return err.code;
  return undefined;
}

function reasonOf(err: unknown): string | undefined {
  if (err instanceof KubeApiError) return err.reason;
  if (isApiException(err)) return statusDetails(err.code, err.body).reason;
  return undefined;
}

/** Reason of the 404 raised when discovery does not know the kind (e.g. CRD not installed). */
export const KIND_NOT_SERVED = 'KindNotServed';

/** The object does not exist (a kind the server does not serve is not "not found"). */
export function isNotFound(err: unknown): boolean {
  return statusCode(err) === 404 && reasonOf(err) !== KIND_NOT_SERVED;
}

/** The API server does not serve this apiVersion/kind at all. */
export function isKindNotServed(err: unknown): boolean {
  return statusCode(err) === 404 && reasonOf(err) === KIND_NOT_SERVED;
}

/** A 409 that is an optimistic-concurrency failure (stale resourceVersion). */
export function isConflict(err: unknown): boolean {
  return statusCode(err) === 409 && reasonOf(err) !== 'AlreadyExists';
}

/** A 409 from create: the name is taken. */
export function isAlreadyExists(err: unknown): boolean {
  return statusCode(err) === 409 && reasonOf(err) === 'AlreadyExists';
}

/** Worth retrying later without a spec change: throttling, server-side or transport trouble. */
export function isTransient(err: unknown): boolean {
  const code = statusCode(err);
  if (code === undefined) return !(err instanceof TypeError);
  return code === 429 || code >= 500 || code === 409;
}
