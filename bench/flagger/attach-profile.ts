// CPU-profiles a running flagger-ts process for a while without restarting it: SIGUSR1 opens
// Node's inspector on 127.0.0.1:9229, the V8 profiler runs for `seconds`, and the profile is
// written as a .cpuprofile (summarise it with profile-top.js). Lets a long benchmark run be
// profiled in the phase of interest (initialisation, rollout) instead of end to end.
//   node dist/bench/flagger/attach-profile.js <pid> <seconds> <out.cpuprofile>
import { writeFileSync } from 'node:fs';
import WebSocket from 'ws';

interface Reply {
  readonly id?: number;
  readonly result?: Record<string, unknown>;
  readonly error?: { message: string };
}

async function main(): Promise<void> {
  const [pidArg, secondsArg, out] = process.argv.slice(2);
  const pid = Number(pidArg);
  const seconds = Number(secondsArg);
  if (!Number.isInteger(pid) || !(seconds > 0) || out === undefined)
    throw new Error('usage: attach-profile <pid> <seconds> <out.cpuprofile>');
  process.kill(pid, 'SIGUSR1');
  let targets: { webSocketDebuggerUrl: string }[] = [];
  for (let i = 0; i < 50 && targets.length === 0; i++) {
    await new Promise((r) => setTimeout(r, 200));
    targets = await fetch('http://127.0.0.1:9229/json/list')
      .then((r) => r.json() as Promise<{ webSocketDebuggerUrl: string }[]>)
      .catch(() => []);
  }
  const url = targets[0]?.webSocketDebuggerUrl;
  if (url === undefined) throw new Error(`no inspector on 127.0.0.1:9229 after SIGUSR1 to ${pid}`);
  const ws = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => {
      resolve();
    });
    ws.once('error', reject);
  });
  let next = 1;
  const pending = new Map<number, (r: Reply) => void>();
  ws.on('message', (data: Buffer) => {
    const msg = JSON.parse(data.toString('utf8')) as Reply;
    if (msg.id !== undefined) pending.get(msg.id)?.(msg);
  });
  const call = (method: string, params: Record<string, unknown> = {}): Promise<Record<string, unknown>> =>
    new Promise((resolve, reject) => {
      const id = next++;
      pending.set(id, (r) => {
        if (r.error) reject(new Error(`${method}: ${r.error.message}`));
        else resolve(r.result ?? {});
      });
      ws.send(JSON.stringify({ id, method, params }));
    });
  await call('Profiler.enable');
  await call('Profiler.setSamplingInterval', { interval: 1000 });
  await call('Profiler.start');
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const { profile } = await call('Profiler.stop');
  const heap = await call('Runtime.getHeapUsage');
  writeFileSync(out, JSON.stringify(profile));
  process.stdout.write(`wrote ${out}; heap used ${JSON.stringify(heap)}\n`);
  ws.close();
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
