// A path reader for assertions on free-form mesh objects: dig(spec, 'routes.0.http.match')
// returns whatever sits there (undefined when any step is missing), without casts in tests.
export function dig(value: unknown, path: string): unknown {
  let cur: unknown = value;
  for (const step of path.split('.')) {
    if (Array.isArray(cur)) cur = cur[Number(step)];
    else if (typeof cur === 'object' && cur !== null) cur = (cur as Record<string, unknown>)[step];
    else return undefined;
  }
  return cur;
}
