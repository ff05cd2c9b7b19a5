// Summarises a V8 .cpuprofile (node --cpu-prof, written by `bench:flagger --cpu-prof DIR`):
// self time by function and by package/file, and inclusive time of flagger-ts's own
// functions, so a hot spot can be named without a browser.
//   node dist/bench/flagger/profile-top.js <file.cpuprofile> [top=25]
import { readFileSync } from 'node:fs';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { functionName: string; url: string; lineNumber: number };
  readonly children?: number[];
}
interface Profile {
  readonly nodes: ProfileNode[];
  readonly samples: number[];
  readonly timeDeltas: number[];
}

function where(url: string): string {
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm?.[1]) return nm[1];
  const own = /\/dist\/(src\/.*)$/.exec(url);
  if (own?.[1]) return own[1];
  return url === '' ? '(native)' : url.replace(/^node:/, 'node:');
}

function main(): void {
  const [file, topArg] = process.argv.slice(2);
  if (file === undefined) throw new Error('usage: profile-top <file.cpuprofile> [top]');
  const top = Number(topArg ?? 25);
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  let total = 0;
  p.samples.forEach((id, i) => {
    const dt = p.timeDeltas[i] ?? 0;
    total += dt;
    self.set(id, (self.get(id) ?? 0) + dt);
  });
  const fnSelf = new Map<string, number>();
  const fileSelf = new Map<string, number>();
  const ownIncl = new Map<string, number>();
  for (const [id, us] of self) {
    const n = byId.get(id);
    if (!n) continue;
    const f = n.callFrame;
    const label = `${f.functionName || '(anonymous)'} ${where(f.url)}:${f.lineNumber + 1}`;
    fnSelf.set(label, (fnSelf.get(label) ?? 0) + us);
    fileSelf.set(where(f.url), (fileSelf.get(where(f.url)) ?? 0) + us);
    // Inclusive time of our own frames: each distinct src/ frame on the stack once.
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const cf = byId.get(cur)?.callFrame;
      if (!cf || !cf.url.includes('/dist/src/')) continue;
      const l = `${cf.functionName || '(anonymous)'} ${where(cf.url)}:${cf.lineNumber + 1}`;
      if (seen.has(l)) continue;
      seen.add(l);
      ownIncl.set(l, (ownIncl.get(l) ?? 0) + us);
    }
  }
  const print = (title: string, m: Map<string, number>): void => {
    process.stdout.write(`\n${title}\n`);
    for (const [k, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top))
      process.stdout.write(
        `${((100 * us) / total).toFixed(1).padStart(5)} %  ${(us / 1e6).toFixed(2).padStart(7)} s  ${k}\n`,
      );
  };
  process.stdout.write(`${file}: ${(total / 1e6).toFixed(1)} s sampled\n`);
  print('self time by package / file', fileSelf);
  print('self time by function', fnSelf);
  print('inclusive time of flagger-ts functions', ownIncl);
}

main();
