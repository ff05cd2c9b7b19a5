// Reads nested fields of plain JSON objects as the API server returns them.
import { isRecord } from '../../src/kube/json.js';

/** A nested field, e.g. at(obj, 'spec', 'template', 'spec'); undefined where the path breaks. */
export function at(value: unknown, ...path: (string | number)[]): unknown {
  let cur = value;
  for (const key of path) {
    if (typeof key === 'number') cur = Array.isArray(cur) ? (cur as unknown[])[key] : undefined;
    else cur = isRecord(cur) ? cur[key] : undefined;
  }
  return cur;
}
