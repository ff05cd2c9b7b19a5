// node:test reporter for the lane's inner run: one line per finished top-level test,
// `LANE-RESULT {json}`, which the outer test file (in the host's namespaces) turns into
// subtests of its own, so the lane's tests count in the one test run's summary. Output of the
// lane's test files is passed on as plain lines (the outer file prints them to stderr).
import { basename } from 'node:path';

export const RESULT_PREFIX = 'LANE-RESULT ';

export interface LaneResult {
  readonly file: string;
  readonly name: string;
  readonly passed: boolean;
  readonly skipped: boolean;
  readonly durationMs: number;
  readonly error?: string;
  /** The test's t.diagnostic() lines (e.g. the measured splits). */
  readonly diagnostics: string[];
}

interface TestEventData {
  name?: string;
  nesting?: number;
  file?: string;
  skip?: unknown;
  message?: string;
  details?: { duration_ms?: number; error?: unknown };
}

/** The innermost useful message: node wraps a test's own error in ERR_TEST_FAILURE. */
function describeError(err: unknown): string {
  const parts: string[] = [];
  let e: unknown = err;
  for (let depth = 0; e !== undefined && e !== null && depth < 4; depth++) {
    if (e instanceof Error || (typeof e === 'object' && 'message' in e)) {
      const { message, stack, cause } = e as { message?: unknown; stack?: unknown; cause?: unknown };
      const code = (e as { code?: unknown }).code;
      if (code !== 'ERR_TEST_FAILURE') parts.push(typeof stack === 'string' ? stack : String(message));
      e = cause;
    } else {
      parts.push(typeof e === 'string' ? e : JSON.stringify(e));
      break;
    }
  }
  return parts.join('\ncaused by: ') || 'failed';
}

export default async function* laneReporter(
  source: AsyncIterable<{ type: string; data: TestEventData }>,
): AsyncGenerator<string> {
  // A test's diagnostics arrive just after its result, so a result is held until the next one.
  let held: LaneResult | undefined;
  const flush = (): string => {
    const line = held === undefined ? '' : `\n${RESULT_PREFIX}${JSON.stringify(held)}\n`;
    held = undefined;
    return line;
  };
  for await (const { type, data } of source) {
    if (type === 'test:stdout' || type === 'test:stderr') {
      yield data.message ?? '';
    } else if (type === 'test:diagnostic' && data.file !== undefined) {
      // (the run's summary lines have no file)
      held?.diagnostics.push(data.message ?? '');
    } else if ((type === 'test:pass' || type === 'test:fail') && data.nesting === 0) {
      yield flush();
      held = {
        file: basename(data.file ?? ''),
        name: data.name ?? '(unnamed)',
        passed: type === 'test:pass',
        skipped: data.skip !== undefined && data.skip !== false,
        durationMs: data.details?.duration_ms ?? 0,
        ...(type === 'test:fail' ? { error: describeError(data.details?.error) } : {}),
        diagnostics: [],
      };
    }
  }
  yield flush();
}
