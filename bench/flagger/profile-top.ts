// Summarises a V8 profile written by `bench:flagger --cpu-prof DIR` or `--heap-prof DIR`
// (node --cpu-prof / --heap-prof): self weight by package/file and by function, and the
// inclusive weight of flagger-ts's own functions, so a hot spot — or what holds the memory
// still live when the profile was written — can be named without a browser. Weight is time
// for a .cpuprofile, sampled live bytes for a .heapprofile.
//   node dist/bench/flagger/profile-top.js <file.cpuprofile|file.heapprofile> [top=25]
import { readFileSync } from 'node:fs';

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}
interface CpuProfile {
  readonly nodes: { readonly id: number; readonly callFrame: CallFrame; readonly children?: number[] }[];
  readonly samples: number[];
  readonly timeDeltas: number[];
}
interface HeapNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly selfSize: number;
  readonly children: HeapNode[];
}
interface HeapProfile {
  readonly head: HeapNode;
}

/** Any profile as a call tree: each node's frame and parent, and the weight seen at it. */
interface Tree {
  readonly frame: Map<number, CallFrame>;
  readonly parent: Map<number, number>;
  readonly self: Map<number, number>;
  readonly unit: { readonly name: string; readonly scale: number };
}

function cpuTree(p: CpuProfile): Tree {
  const frame = new Map(p.nodes.map((n) => [n.id, n.callFrame]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  p.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
  return { frame, parent, self, unit: { name: 's', scale: 1e6 } };
}

function heapTree(p: HeapProfile): Tree {
  const tree: Tree = {
    frame: new Map(),
    parent: new Map(),
    self: new Map(),
    unit: { name: 'MB', scale: 2 ** 20 },
  };
  const stack: HeapNode[] = [p.head];
  for (let n = stack.pop(); n !== undefined; n = stack.pop()) {
    tree.frame.set(n.id, n.callFrame);
    if (n.selfSize > 0) tree.self.set(n.id, n.selfSize);
    for (const c of n.children) {
      tree.parent.set(c.id, n.id);
      stack.push(c);
    }
  }
  return tree;
}

function where(url: string): string {
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm?.[1]) return nm[1];
  const own = /\/dist\/(src\/.*)$/.exec(url);
  if (own?.[1]) return own[1];
  return url === '' ? '(native)' : url.replace(/^node:/, 'node:');
}

const label = (f: CallFrame): string =>
  `${f.functionName || '(anonymous)'} ${where(f.url)}:${f.lineNumber + 1}`;

function main(): void {
  const [file, topArg] = process.argv.slice(2);
  if (file === undefined) throw new Error('usage: profile-top <file.cpuprofile|file.heapprofile> [top]');
  const top = Number(topArg ?? 25);
  const raw = JSON.parse(readFileSync(file, 'utf8')) as Partial<CpuProfile & HeapProfile>;
  const t = raw.head !== undefined ? heapTree(raw as HeapProfile) : cpuTree(raw as CpuProfile);
  let total = 0;
  const fnSelf = new Map<string, number>();
  const fileSelf = new Map<string, number>();
  const ownIncl = new Map<string, number>();
  const add = (m: Map<string, number>, k: string, v: number): void => {
    m.set(k, (m.get(k) ?? 0) + v);
  };
  for (const [id, w] of t.self) {
    const f = t.frame.get(id);
    if (!f) continue;
    total += w;
    add(fnSelf, label(f), w);
    add(fileSelf, where(f.url), w);
    // Inclusive weight of our own frames: each distinct src/ frame on the stack once.
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = t.parent.get(cur)) {
      const cf = t.frame.get(cur);
      if (!cf || !cf.url.includes('/dist/src/')) continue;
      const l = label(cf);
      if (seen.has(l)) continue;
      seen.add(l);
      add(ownIncl, l, w);
    }
  }
  const print = (title: string, m: Map<string, number>): void => {
    process.stdout.write(`\n${title}\n`);
    for (const [k, w] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top))
      process.stdout.write(
        `${((100 * w) / total).toFixed(1).padStart(5)} %  ${(w / t.unit.scale).toFixed(2).padStart(7)} ${t.unit.name}  ${k}\n`,
      );
  };
  const kind = raw.head !== undefined ? 'live at the end (sampled)' : 'sampled';
  process.stdout.write(`${file}: ${(total / t.unit.scale).toFixed(1)} ${t.unit.name} ${kind}\n`);
  print('self by package / file', fileSelf);
  print('self by function', fnSelf);
  print('inclusive of flagger-ts functions', ownIncl);
}

main();
