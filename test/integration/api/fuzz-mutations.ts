// Mutations for the verdict fuzz: replace, delete or add one thing somewhere under `spec`,
// with values chosen to sit on the edges of the rules (bounds, durations, YAML 1.1 booleans,
// wrong types, duplicates, order).

/** A small seeded PRNG (mulberry32), so a failing document reproduces from its seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const MUTATION_VALUES: readonly unknown[] = [
  -10,
  -1,
  0,
  1,
  2,
  10,
  50,
  99,
  100,
  101,
  150,
  200,
  65535,
  65536,
  70000,
  1.5,
  'yes',
  'no',
  'on',
  'off',
  'y',
  'true',
  true,
  false,
  null,
  '',
  'abc',
  '10',
  '1m',
  '30s',
  '0s',
  '1sfoo',
  '1h',
  '500ms',
  '1m30s',
  '1.5m',
  '-1s',
  '10sec',
  'http://svc.test/',
  'not a url',
  'ftp://x',
  'istio',
  'kubernetes',
  'knative',
  'gatewayapi:v1',
  'appmesh',
  'nope',
  [],
  [50, 20, 10],
  [10, 20, 30],
  [0],
  [101],
  ['a'],
  {},
  { min: 10, max: 1 },
  { exact: 'a', prefix: 'b' },
];

type Node = Record<string, unknown> | unknown[];

interface Slot {
  readonly parent: Node;
  readonly key: string | number;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function slots(node: unknown, out: Slot[]): void {
  if (Array.isArray(node)) {
    node.forEach((v, i) => {
      out.push({ parent: node, key: i });
      slots(v, out);
    });
  } else if (isRecord(node)) {
    for (const [k, v] of Object.entries(node)) {
      out.push({ parent: node, key: k });
      slots(v, out);
    }
  }
}

const pick = <T>(list: readonly T[], rand: () => number): T => {
  const v = list[Math.floor(rand() * list.length)];
  if (v === undefined) throw new Error('empty list');
  return v;
};

/** Applies one random mutation under obj.spec (in place). */
export function mutate(obj: Record<string, unknown>, rand: () => number): void {
  const all: Slot[] = [{ parent: obj, key: 'spec' }];
  slots(obj['spec'], all);
  const slot = pick(all, rand);
  const op = rand();
  const { parent, key } = slot;
  const target: unknown = Array.isArray(parent) ? parent[key as number] : parent[key as string];
  if (op < 0.7) {
    const value: unknown = structuredClone(pick(MUTATION_VALUES, rand));
    if (Array.isArray(parent)) parent[key as number] = value;
    else parent[key as string] = value;
  } else if (op < 0.82) {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else Reflect.deleteProperty(parent, key);
  } else if (op < 0.9 && isRecord(target)) {
    target['bogusField'] = 1;
  } else if (Array.isArray(target) && target.length > 0) {
    target.push(structuredClone(target[0]));
  } else if (isRecord(target)) {
    // A known field from elsewhere in the API, in the wrong place or with an edge value.
    target[pick(['maxWeight', 'stepWeight', 'timeout', 'port', 'min', 'max', 'name'], rand)] =
      structuredClone(pick(MUTATION_VALUES, rand));
  }
}
