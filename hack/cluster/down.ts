// `down`: stop exactly the processes `up` recorded (reverse order), then remove the run dir.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { runDir } from './paths.js';
import { stopPid } from './proc.js';
import { readState } from './state.js';

export async function down(opts: { keepDir?: boolean } = {}): Promise<void> {
  const dir = runDir();
  const state = readState(dir);
  // Extra processes started beside the cluster (the demo's operator and exporter) leave a PID file.
  const extra = (() => {
    try {
      return readdirSync(dir).filter((f) => f.endsWith('.pid'));
    } catch {
      return [];
    }
  })();
  for (const f of extra) {
    const pid = Number(readFileSync(join(dir, f), 'utf8').trim());
    if (pid > 0) await stopPid(pid);
  }
  for (const p of [...(state?.processes ?? [])].reverse()) await stopPid(p.pid);
  if (opts.keepDir !== true) rmSync(dir, { recursive: true, force: true });
}
